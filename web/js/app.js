// Dashboard entry point: asks the server whether it needs first-run setup and who is signed
// in, then renders the page for the current #/path. Signed-out pages get the whole window;
// signed-in pages render inside the shell (sidebar + top bar), which is built once.

import { h, mount } from './dom.js';
import { api, onAuthLost } from './api.js';
import { session } from './session.js';
import { logout, loadCurrentUser } from './auth.js';
import { navigate, startRouter } from './router.js';
import { HOME_PATH } from './nav.js';
import { ROUTES } from './routes.js';
import { createShell } from './components/shell.js';
import { authLayout } from './components/auth-layout.js';
import { errorState } from './components/states.js';
import { clearToasts, toast } from './components/toast.js';
import { renderNotFound } from './pages/not-found.js';

const root = document.getElementById('app');
let shell = null;
let cleanupPage = null;
let routed = false;

const SESSION_EXPIRED_MESSAGE = 'Your session has expired. Please log in again.';

onAuthLost(() => {
  if (!session.signedIn) return false;
  const { email } = session.user;
  session.clear();
  session.setFlash(SESSION_EXPIRED_MESSAGE, 'warning', email);
  navigate('/login');
  return true;
});

async function handleLogout() {
  try {
    await logout();
  } catch (err) {
    if (!err.handled) toast(`Could not log out: ${err.message}`, 'error');
  }
}

// Where a route must send the visitor instead, or null to render it.
function redirectFor(route, path) {
  if (route.redirect) return route.redirect;
  const status = session.status || {};
  if (route.public) {
    if (session.signedIn) return HOME_PATH;
    if (path === '/login' && status.needsSetup) return '/setup';
    if (path === '/setup' && !status.needsSetup && !status.signupAllowed) return '/login';
    return null;
  }
  if (!session.signedIn) return status.needsSetup ? '/setup' : '/login';
  return null;
}

function renderPublic(route, params) {
  if (shell) {
    // Leaving the signed-in area: its notifications no longer apply.
    shell.destroy();
    shell = null;
    clearToasts();
  }
  const page = h('div', { class: 'public-page' });
  mount(root, page);
  return route.render(page, { params });
}

function renderSignedIn(route, params) {
  if (!shell) {
    shell = createShell({ onLogout: handleLogout });
    mount(root, shell.root);
  }
  shell.setActive(route ? route.nav : null);
  const page = h('div', { class: 'page' });
  mount(shell.main, page);
  window.scrollTo(0, 0);
  if (routed) shell.main.focus({ preventScroll: true });
  return route ? route.render(page, { params }) : renderNotFound(page);
}

function onRoute(match, path) {
  const target = match ? redirectFor(match.route, path) : (session.signedIn ? null : '/login');
  if (target) {
    navigate(target, { replace: true });
    return;
  }
  if (cleanupPage) cleanupPage();
  const route = match ? match.route : null;
  cleanupPage = (route && route.public ? renderPublic(route, match.params) : renderSignedIn(route, match && match.params)) || null;
  document.title = `${route ? route.title : 'Not found'} · Pixels`;
  routed = true;
}

function showBootError(err) {
  const retry = () => {
    mount(root, h('div', { class: 'boot' }, h('span', { class: 'spinner spinner-lg', 'aria-hidden': 'true' })));
    boot();
  };
  mount(root, authLayout({
    title: 'Cannot open the dashboard',
    subtitle: 'Pixels could not load its status from the server.',
    body: errorState(err.message, retry),
  }));
}

async function boot() {
  try {
    const status = await api.get('/api/auth/status');
    session.setStatus(status.data || {});
    if (!session.status.needsSetup) {
      await loadCurrentUser().catch((err) => {
        if (err.status !== 401) throw err;
      });
    }
  } catch (err) {
    showBootError(err);
    return;
  }
  startRouter([{ path: '/', redirect: HOME_PATH }, ...ROUTES], onRoute);
}

boot();
