// The top-bar user menu: avatar button that opens a panel with the signed-in user's name,
// email and role, and "Log out". Closes on Escape, outside click and after choosing.

import { h } from '../dom.js';
import { icon } from '../icons.js';
import { capitalize, initials } from '../format.js';

export function userMenu({ onLogout }) {
  const avatar = h('span', { class: 'avatar', 'aria-hidden': 'true' });
  const buttonName = h('span', { class: 'user-button-name' });
  const button = h('button', {
    class: 'user-button', type: 'button', 'aria-haspopup': 'menu', 'aria-expanded': 'false',
    'aria-controls': 'user-menu-panel',
  }, avatar, buttonName, icon('chevronDown', 'user-button-chevron'));

  const name = h('p', { class: 'menu-name' });
  const email = h('p', { class: 'menu-email' });
  const role = h('span', { class: 'badge badge-neutral' });
  const logout = h('button', { class: 'menu-item', type: 'button', role: 'menuitem' }, icon('logout'), 'Log out');
  const panel = h('div', { class: 'menu', id: 'user-menu-panel', role: 'menu', 'aria-label': 'Account', hidden: true },
    h('div', { class: 'menu-header' }, name, email, h('div', { class: 'menu-role' }, role)),
    h('div', { class: 'menu-separator', role: 'separator' }),
    logout);
  const el = h('div', { class: 'user-menu' }, button, panel);

  const setOpen = (open) => {
    if (open === !panel.hidden) return;
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) logout.focus();
  };
  button.addEventListener('click', () => setOpen(panel.hidden));
  el.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !panel.hidden) {
      setOpen(false);
      button.focus();
    }
  });
  const onDocumentClick = (e) => {
    if (!el.contains(e.target)) setOpen(false);
  };
  document.addEventListener('click', onDocumentClick);
  logout.addEventListener('click', () => {
    setOpen(false);
    onLogout(logout);
  });

  return {
    el,
    close() {
      setOpen(false);
    },
    destroy() {
      document.removeEventListener('click', onDocumentClick);
    },
    update(user) {
      avatar.textContent = initials(user.name);
      buttonName.textContent = user.name;
      button.setAttribute('aria-label', `Account menu for ${user.name}`);
      name.textContent = user.name;
      email.textContent = user.email;
      role.textContent = capitalize(user.role || 'member');
    },
  };
}
