// Settings (#/settings/:tab): a tab bar over one panel. Adding a tab is one line in
// SETTINGS_TABS; each tab's render(panel) fills the panel and may return a cleanup function.
// `adminOnly` tabs are listed for owners and admins only (the API refuses agents anyway).

import { h, mount } from '../dom.js';
import { session } from '../session.js';
import { pageHeader } from '../components/page.js';
import { emptyState } from '../components/states.js';
import { renderProfileTab } from './settings-profile.js';
import { renderApiKeysTab } from './settings-api-keys.js';
import { renderAuditTab } from './settings-audit.js';
import { renderNumbersTab } from './settings-numbers.js';

export const SETTINGS_TABS = [
  { id: 'profile', label: 'Profile', render: renderProfileTab },
  { id: 'whatsapp-numbers', label: 'WhatsApp numbers', render: renderNumbersTab, adminOnly: true },
  { id: 'api-keys', label: 'API Keys', render: renderApiKeysTab, adminOnly: true },
  { id: 'audit-log', label: 'Audit log', render: renderAuditTab, adminOnly: true },
];

function tabBar(tabs, activeId) {
  return h('nav', { class: 'tabs', 'aria-label': 'Settings sections' },
    tabs.map((tab) => h('a', {
      class: 'tab', href: `#/settings/${tab.id}`, 'aria-current': tab.id === activeId ? 'page' : null,
    }, tab.label)));
}

export function renderSettings(container, { params }) {
  const tabs = SETTINGS_TABS.filter((t) => !t.adminOnly || session.isAdmin);
  const tab = tabs.find((t) => t.id === params.tab);
  const panel = h('div', { class: 'tab-panel' });
  mount(container,
    pageHeader('Settings', session.isAdmin
      ? 'Manage your profile, WhatsApp numbers, the integration token and review account activity.'
      : 'Manage your profile and how you sign in.'),
    tabBar(tabs, tab ? tab.id : null),
    panel);
  if (!tab) {
    const hidden = SETTINGS_TABS.some((t) => t.id === params.tab);
    mount(panel, hidden
      ? emptyState('Only owners and admins can open this page.', 'Ask an owner of this account if you need access.')
      : emptyState('This settings page does not exist.', 'Pick a section from the tabs above.'));
    return null;
  }
  return tab.render(panel);
}
