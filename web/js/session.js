// Who is signed in, as last told by the server (/api/auth/me, login, signup). Only
// in-memory state: the session itself is the HttpOnly cookie. Components subscribe with
// onChange() to re-render the user's name, e.g. after a profile update.

const state = { status: null, user: null, account: null, flash: null };
const listeners = new Set();

function notify() {
  for (const fn of listeners) fn(state);
}

export const session = {
  get status() { return state.status; },
  get user() { return state.user; },
  get account() { return state.account; },
  get signedIn() { return state.user !== null; },
  // Owners and admins manage the account (integration token, audit log); agents do not.
  get isAdmin() { return state.user !== null && (state.user.role === 'owner' || state.user.role === 'admin'); },

  setStatus(status) { state.status = status; },

  signIn(user, account) {
    state.user = user;
    state.account = account || state.account;
    notify();
  },

  updateUser(user) {
    state.user = { ...state.user, ...user };
    notify();
  },

  clear() {
    state.user = null;
    state.account = null;
    notify();
  },

  onChange(fn) {
    listeners.add(fn);
    return () => listeners.delete(fn);
  },

  // A one-shot message for the next page (e.g. "Your session has expired"); `email`
  // pre-fills the login form.
  setFlash(message, kind = 'info', email = '') { state.flash = { message, kind, email }; },
  takeFlash() {
    const flash = state.flash;
    state.flash = null;
    return flash;
  },
};
