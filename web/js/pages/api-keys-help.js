// The two side cards of Settings > API Keys: "Unusual activity" (the latest token.new_ip
// audit events, i.e. the token used from an address it never used before) and the short
// how-to for connecting Enromatics and testing the token from a terminal.

import { h, mount } from '../dom.js';
import { api } from '../api.js';
import { icon } from '../icons.js';
import { formatDateTime, isoAttr, relativeTime } from '../time.js';
import { card, keyValues } from '../components/page.js';
import { errorState, loadingState } from '../components/states.js';

const API_PORT = 5050;

function activityItem(event) {
  return h('li', { class: 'activity-item' },
    h('span', { class: 'activity-icon' }, icon('alert')),
    h('span', {}, 'Used from a new address ', h('code', { class: 'code' }, event.ip || 'unknown'), ' · ',
      h('time', { datetime: isoAttr(event.createdAt), title: formatDateTime(event.createdAt) }, relativeTime(event.createdAt))));
}

// Returns { el, reload() }.
export function unusualActivityCard() {
  const slot = h('div', {}, loadingState('Checking recent token use…'));
  const reload = async () => {
    try {
      const res = await api.get('/api/audit-log', { action: 'token.new_ip', limit: 5 });
      const events = res.data.events || [];
      mount(slot, events.length
        ? h('ul', { class: 'activity-list' }, events.map(activityItem))
        : h('p', { class: 'activity-none' }, icon('shield'), 'No unusual activity'));
    } catch (err) {
      if (!err.handled) mount(slot, errorState(err.message, reload));
    }
  };
  reload();
  const el = card({ title: 'Unusual activity', subtitle: 'Token use from an address it never used before.', body: slot,
    footer: h('a', { href: '#/settings/audit-log', class: 'link-arrow' }, 'Open the audit log', icon('arrowRight')),
    extraClass: 'activity-card' });
  return { el, reload };
}

function command(text) {
  return h('pre', { class: 'codeblock' }, h('code', {}, text));
}

export function howToCard() {
  const base = `${window.location.protocol}//${window.location.hostname}:${API_PORT}`;
  return card({ title: 'How to connect Enromatics', subtitle: 'Setup takes a minute.', extraClass: 'howto-card', body: [
    h('ol', { class: 'steps' },
      h('li', {}, 'Generate a token here and copy it from the popup. It is shown only once.'),
      h('li', {}, 'In Enromatics, open the WhatsApp integration settings and paste it into the "Token" or "API Key" field.'),
      h('li', {}, 'Click "Test Connection". You should see Connected; then save.')),
    keyValues([
      ['Token format', h('code', { class: 'code' }, 'wpi_int_ + 64 hex characters')],
      ['API base URL (likely)', h('code', { class: 'code' }, base)],
    ]),
    h('h3', { class: 'subheading' }, icon('terminal'), 'Test from a terminal'),
    command('pixels token-test <token>'),
    h('p', { class: 'muted small' }, 'From another machine, point it at this server:'),
    command(`pixels token-test <token> --url ${base}`),
    h('p', { class: 'hint-line' }, icon('refresh'),
      'Rotate the token every 90 days: generate a new one, update Enromatics, and the old one stops working at once.'),
  ] });
}
