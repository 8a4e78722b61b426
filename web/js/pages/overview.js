// Overview (#/overview): welcome with the account name, server status from /health, the
// workspace details and a checklist of things that can be done today. Refreshes
// /api/auth/me on every visit, which is also how an expired session is noticed.

import { h, mount } from '../dom.js';
import { api } from '../api.js';
import { session } from '../session.js';
import { icon } from '../icons.js';
import { loadCurrentUser } from '../auth.js';
import { capitalize, firstName, formatUptime } from '../format.js';
import { badge, card, keyValues, pageHeader } from '../components/page.js';
import { errorState, loadingState } from '../components/states.js';

function statusBody(health) {
  const dbOk = String(health.database).toLowerCase() === 'ok';
  return keyValues([
    ['Server', h('span', { class: 'status-dot status-ok' }, 'Online')],
    ['Database', h('span', { class: `status-dot ${dbOk ? 'status-ok' : 'status-bad'}` }, dbOk ? 'Connected' : String(health.database))],
    ['Version', health.version || '—'],
    ['Uptime', formatUptime(health.uptime)],
  ]);
}

function statusCard() {
  const slot = h('div', {}, loadingState('Checking server…'));
  const badgeSlot = h('div', {});
  const checked = h('span', { class: 'muted' }, '');
  const refresh = h('button', { class: 'btn btn-ghost btn-sm', type: 'button' }, icon('refresh'), 'Refresh');
  const load = async () => {
    refresh.disabled = true;
    mount(slot, loadingState('Checking server…'));
    try {
      const health = await api.get('/health');
      const healthy = String(health.status).toUpperCase() === 'OK' && String(health.database).toLowerCase() === 'ok';
      mount(badgeSlot, badge(healthy ? 'Operational' : 'Degraded', healthy ? 'success' : 'warning'));
      mount(slot, statusBody(health));
    } catch (err) {
      mount(badgeSlot, badge('Unreachable', 'danger'));
      mount(slot, errorState(err.message, load));
    } finally {
      checked.textContent = `Checked at ${new Date().toLocaleTimeString()}`;
      refresh.disabled = false;
    }
  };
  refresh.addEventListener('click', load);
  load();
  return card({ title: 'System status', subtitle: 'This Pixels server', actions: badgeSlot, body: slot,
    footer: [checked, refresh], extraClass: 'status-card' });
}

function workspaceCard() {
  const { account, user } = session;
  const status = (account && account.status) || 'active';
  return card({ title: 'Workspace', body: keyValues([
    ['Account', (account && account.name) || '—'],
    ['Contact email', (account && account.email) || '—'],
    ['Status', badge(capitalize(status), status === 'active' ? 'success' : 'warning')],
    ['Your role', capitalize(user.role)],
  ]) });
}

function step({ done, title, text, href, action }) {
  return h('li', { class: ['checklist-item', done && 'is-done'] },
    icon(done ? 'checkCircle' : 'circle', 'checklist-icon'),
    h('div', { class: 'checklist-text' }, h('p', { class: 'checklist-title' }, title), h('p', { class: 'muted' }, text)),
    done ? badge('Done', 'success') : h('a', { class: 'btn btn-secondary btn-sm', href }, action));
}

function checklistCard() {
  return card({ title: 'Getting started', subtitle: 'A few things worth checking on a new Pixels server.', body:
    h('ol', { class: 'checklist' },
      step({ done: true, title: 'Create your account', text: `You are signed in as ${session.user.email}.` }),
      step({ title: 'Review your profile', text: 'Make sure your name and email address are correct.',
        href: '#/settings/profile', action: 'Open profile' }),
      session.isAdmin ? step({ title: 'Connect your WhatsApp number', text: 'Add the number from your Meta app and set up its webhook.',
        href: '#/settings/whatsapp-numbers', action: 'Open WhatsApp numbers' }) : null,
      step({ title: 'Answer your customers', text: 'Read and reply to WhatsApp conversations as they come in.',
        href: '#/conversations', action: 'Open conversations' }),
      session.isAdmin ? step({ title: 'Connect Enromatics', text: 'Generate an integration token and paste it into Enromatics.',
        href: '#/settings/api-keys', action: 'Open API Keys' }) : null,
      step({ title: 'Add your contacts', text: 'Keep the people you message on WhatsApp in one place.',
        href: '#/contacts', action: 'Open contacts' }),
      step({ title: 'Keep your password strong', text: 'Change it at any time; your other sessions are signed out when you do.',
        href: '#/settings/profile', action: 'Change password' })) });
}

function welcomeHeader() {
  const { user, account } = session;
  const accountName = (account && account.name) || user.name;
  return pageHeader(`Welcome, ${firstName(user.name)}`,
    ['Here is how ', h('strong', { class: 'account-name' }, accountName), ' is doing on this Pixels server.']);
}

export function renderOverview(container) {
  const header = h('div');
  const checklist = h('div');
  const workspace = h('div');
  const paint = () => {
    mount(header, welcomeHeader());
    mount(checklist, checklistCard());
    mount(workspace, workspaceCard());
  };
  paint();
  mount(container, header,
    h('div', { class: 'overview-grid' },
      h('div', { class: 'stack' }, checklist),
      h('div', { class: 'stack' }, statusCard(), workspace)));
  // Fresh names after edits elsewhere; a 401 here sends an expired session to the login page.
  loadCurrentUser()
    .then(() => { if (container.isConnected) paint(); })
    .catch((err) => {
      if (!err.handled && container.isConnected) {
        mount(workspace, card({ title: 'Workspace', body: errorState(err.message, () => renderOverview(container)) }));
      }
    });
}
