// Settings (#/settings/:tab): a tab bar over one panel. Adding a tab is one line in
// SETTINGS_TABS; each tab's render(panel) fills the panel and may return a cleanup function.

import { h, mount } from '../dom.js';
import { pageHeader } from '../components/page.js';
import { emptyState } from '../components/states.js';
import { renderProfileTab } from './settings-profile.js';

export const SETTINGS_TABS = [
  { id: 'profile', label: 'Profile', render: renderProfileTab },
];

function tabBar(activeId) {
  return h('nav', { class: 'tabs', 'aria-label': 'Settings sections' },
    SETTINGS_TABS.map((tab) => h('a', {
      class: 'tab', href: `#/settings/${tab.id}`, 'aria-current': tab.id === activeId ? 'page' : null,
    }, tab.label)));
}

export function renderSettings(container, { params }) {
  const tab = SETTINGS_TABS.find((t) => t.id === params.tab);
  const panel = h('div', { class: 'tab-panel' });
  mount(container,
    pageHeader('Settings', 'Manage your profile and how you sign in.'),
    tabBar(tab ? tab.id : null),
    panel);
  if (!tab) {
    mount(panel, emptyState('This settings page does not exist.', 'Pick a section from the tabs above.'));
    return null;
  }
  return tab.render(panel);
}
