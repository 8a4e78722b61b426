// The sidebar navigation, in order. Adding a page to the sidebar is one line here (plus its
// route in routes.js). `id` matches the `nav` field of the routes that highlight the entry.
// List only pages that work: no placeholders for features that do not exist yet.

// Where the dashboard opens after login.
export const HOME_PATH = '/overview';

export const NAV_ITEMS = [
  { id: 'overview', label: 'Overview', href: '#/overview', icon: 'home' },
  { id: 'conversations', label: 'Conversations', href: '#/conversations', icon: 'chat' },
  { id: 'contacts', label: 'Contacts', href: '#/contacts', icon: 'users' },
  { id: 'templates', label: 'Templates', href: '#/templates', icon: 'template' },
  { id: 'broadcasts', label: 'Broadcasts', href: '#/broadcasts', icon: 'broadcast' },
  { id: 'settings', label: 'Settings', href: '#/settings/profile', icon: 'settings' },
];
