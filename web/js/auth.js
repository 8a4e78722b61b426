// Session transitions shared by pages: fetch who is signed in, finish a login or signup,
// log out. The cookie is set and cleared by the server; here only in-memory state changes.

import { api } from './api.js';
import { session } from './session.js';
import { navigate } from './router.js';
import { HOME_PATH } from './nav.js';

// GET /api/auth/me into the session. Throws ApiError (401 when signed out).
export async function loadCurrentUser() {
  const me = await api.get('/api/auth/me');
  session.signIn(me.user, me.account);
  return me;
}

// After login/signup answered with `user`: load the account too, then open the dashboard.
export async function completeSignIn(user) {
  session.signIn(user, null);
  await loadCurrentUser();
  navigate(HOME_PATH);
}

// Logs out on the server, then shows the login page. Throws ApiError when the server could
// not be told; the user then stays signed in and the caller shows the error.
export async function logout() {
  await api.post('/api/auth/logout');
  session.clear();
  session.setFlash('You have been logged out.', 'info');
  navigate('/login');
}
