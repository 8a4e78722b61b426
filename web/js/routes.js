// Every screen of the dashboard. `public` routes render without the signed-in shell;
// the rest require a session. `nav` names the sidebar entry (nav.js) to highlight.

import { renderLogin } from './pages/login.js';
import { renderSetup } from './pages/setup.js';
import { renderOverview } from './pages/overview.js';
import { renderSettings } from './pages/settings.js';
import { renderContacts } from './pages/contacts.js';
import { renderConversations } from './pages/conversations.js';
import { renderTemplates } from './pages/templates.js';
import { renderBroadcasts } from './pages/broadcasts.js';
import { renderBroadcastDetail } from './pages/broadcast-detail.js';

export const ROUTES = [
  { path: '/login', public: true, title: 'Log in', render: renderLogin },
  { path: '/setup', public: true, title: 'Create your account', render: renderSetup },
  { path: '/overview', nav: 'overview', title: 'Overview', render: renderOverview },
  { path: '/conversations', nav: 'conversations', title: 'Conversations', render: renderConversations },
  { path: '/conversations/:id', nav: 'conversations', title: 'Conversations', render: renderConversations },
  { path: '/contacts', nav: 'contacts', title: 'Contacts', render: renderContacts },
  { path: '/templates', nav: 'templates', title: 'Templates', render: renderTemplates },
  { path: '/broadcasts', nav: 'broadcasts', title: 'Broadcasts', render: renderBroadcasts },
  { path: '/broadcasts/:id', nav: 'broadcasts', title: 'Broadcast', render: renderBroadcastDetail },
  { path: '/settings', redirect: '/settings/profile' },
  { path: '/settings/:tab', nav: 'settings', title: 'Settings', render: renderSettings },
];
