// The signed-in layout: sidebar (brand + NAV_ITEMS), top bar (account name, user menu) and
// the main area pages render into. Built once per sign-in and reused across navigation.
// Below 768px the sidebar becomes a drawer opened by the top bar's menu button.

import { h } from '../dom.js';
import { icon } from '../icons.js';
import { NAV_ITEMS } from '../nav.js';
import { session } from '../session.js';
import { brand } from './brand.js';
import { userMenu } from './user-menu.js';

function navList() {
  const links = new Map();
  const items = NAV_ITEMS.map((item) => {
    const link = h('a', { class: 'nav-link', href: item.href }, icon(item.icon), h('span', {}, item.label));
    links.set(item.id, link);
    return h('li', {}, link);
  });
  const setActive = (id) => {
    for (const [key, link] of links) {
      if (key === id) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  };
  return { el: h('ul', { class: 'nav-list' }, items), setActive };
}

export function createShell({ onLogout }) {
  const nav = navList();
  const version = (session.status && session.status.version) || '';
  const sidebar = h('aside', { class: 'sidebar', id: 'sidebar' }, h('div', { class: 'sidebar-inner' },
    h('div', { class: 'sidebar-brand' }, h('a', { href: '#/overview', class: 'brand-link', 'aria-label': 'Pixels overview' }, brand())),
    h('nav', { class: 'sidebar-nav', 'aria-label': 'Main' }, nav.el),
    h('div', { class: 'sidebar-footer' }, version ? `Pixels ${version}` : 'Pixels')));
  const backdrop = h('div', { class: 'sidebar-backdrop', 'aria-hidden': 'true' });
  const menuButton = h('button', {
    class: 'icon-btn menu-toggle', type: 'button', 'aria-label': 'Open navigation',
    'aria-controls': 'sidebar', 'aria-expanded': 'false',
  }, icon('menu'));
  const accountName = h('span', { class: 'topbar-account-name' });
  const menu = userMenu({ onLogout });
  const main = h('main', { class: 'content', id: 'main', tabindex: '-1' });
  const root = h('div', { class: 'shell' },
    h('a', { class: 'skip-link', href: '#main', onclick: (e) => { e.preventDefault(); main.focus(); } }, 'Skip to content'),
    sidebar, backdrop,
    h('div', { class: 'shell-body' },
      h('header', { class: 'topbar' }, menuButton,
        h('div', { class: 'topbar-account' }, h('span', { class: 'topbar-label' }, 'Account'), accountName),
        menu.el),
      main));

  const setDrawer = (open) => {
    root.classList.toggle('nav-open', open);
    menuButton.setAttribute('aria-expanded', String(open));
  };
  menuButton.addEventListener('click', () => setDrawer(!root.classList.contains('nav-open')));
  backdrop.addEventListener('click', () => setDrawer(false));
  sidebar.addEventListener('click', (e) => { if (e.target.closest('a')) setDrawer(false); });
  root.addEventListener('keydown', (e) => { if (e.key === 'Escape') setDrawer(false); });

  const refresh = () => {
    if (!session.user) return;
    menu.update(session.user);
    accountName.textContent = (session.account && session.account.name) || session.user.name;
  };
  const unsubscribe = session.onChange(refresh);
  refresh();

  return {
    root,
    main,
    // Called on every route change: highlight the page's entry, close open popups.
    setActive(id) {
      nav.setActive(id);
      menu.close();
      setDrawer(false);
    },
    destroy() {
      unsubscribe();
      menu.destroy();
      root.remove();
    },
  };
}
