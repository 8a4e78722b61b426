// One WhatsApp number in Settings > WhatsApp numbers: name and phone, status (Active /
// Reconnect required / Paused, with Meta's reason), Default and Sandbox labels, what Meta
// reported at the last connection test, and the actions. Pure rendering: the tab passes the
// handlers and the last "Test connection" result for this number (kept across reloads).

import { h, uid } from '../dom.js';
import { icon } from '../icons.js';
import { formatPhone } from '../format.js';
import { formatDateTime, isoAttr, relativeTime } from '../time.js';
import { badge } from '../components/page.js';

export const SANDBOX_LABEL = 'Sandbox (simulated, no real WhatsApp)';

const QUALITY = {
  GREEN: ['High', 'success'],
  YELLOW: ['Medium', 'warning'],
  RED: ['Low', 'danger'],
};

// "+1 555 0100" stays as typed; Meta's bare digits "15554352126" become "+15554352126".
export function numberPhone(n) {
  const shown = String(n.displayPhone || '').trim();
  if (!shown) return '';
  return /^[\d]+$/.test(shown) ? formatPhone(shown) : shown;
}

export function numberName(n) {
  return n.displayName || n.verifiedName || numberPhone(n) || `Number ${n.phoneNumberId}`;
}

function statusBadge(n) {
  if (n.status === 'reauth') return badge('Reconnect required', 'danger');
  if (n.status === 'paused') return badge('Paused', 'warning');
  return badge('Active', 'success');
}

function qualityValue(n) {
  const q = QUALITY[String(n.qualityRating || '').toUpperCase()];
  if (!q) return h('span', { class: 'muted' }, n.qualityRating || 'Not reported yet');
  return badge(`${q[0]} (${n.qualityRating.toLowerCase()})`, q[1]);
}

function alertBox(kind, iconName, title, text, action) {
  return h('div', { class: `alert alert-${kind} number-alert`, role: kind === 'error' ? 'alert' : 'status' },
    h('span', { class: 'alert-icon' }, icon(iconName)),
    h('div', { class: 'alert-text' }, h('p', { class: 'strong' }, title), text ? h('p', {}, text) : null,
      action || null));
}

function stateAlert(n, handlers) {
  if (n.status === 'reauth') {
    const update = h('button', { class: 'btn btn-primary btn-sm', type: 'button', onclick: () => handlers.onEdit(n, true) },
      icon('key'), 'Update token');
    return alertBox('error', 'alert', 'Reconnect required',
      n.statusReason || 'Meta refused the access token.', h('div', { class: 'alert-actions' }, update));
  }
  if (n.status === 'paused') {
    return alertBox('warning', 'pause', 'Paused: Pixels is not sending from this number',
      n.statusReason || 'Meta paused this number.');
  }
  return null;
}

function sandboxNote() {
  return h('div', { class: 'alert alert-info number-alert', role: 'note' },
    h('span', { class: 'alert-icon' }, icon('flask')),
    h('div', { class: 'alert-text' },
      h('p', { class: 'strong' }, SANDBOX_LABEL),
      h('p', {}, 'Messages to and from this number go to Pixels\' built-in simulator, which plays Meta and your '
        + 'customers. Nothing reaches a real phone. Pixels manages its token.')));
}

function testResult(result) {
  if (!result) return null;
  const kind = result.ok ? 'success' : 'error';
  return h('div', { class: `test-result test-result-${kind}`, role: result.ok ? 'status' : 'alert' },
    icon(result.ok ? 'checkCircle' : 'alert'),
    h('span', {}, result.message),
    h('time', { class: 'muted small', datetime: isoAttr(result.at) }, relativeTime(result.at)));
}

function details(n) {
  const rows = [
    ['Verified name', n.verifiedName || h('span', { class: 'muted' }, 'Not reported yet')],
    ['Quality rating', qualityValue(n)],
    ['Throughput', `${n.throughputMps} messages/second`],
    ['Phone number ID', h('code', { class: 'code' }, n.phoneNumberId)],
    ['WhatsApp Business Account', h('code', { class: 'code' }, n.wabaId)],
    ['Last tested', n.lastTestedAt
      ? h('time', { datetime: isoAttr(n.lastTestedAt), title: formatDateTime(n.lastTestedAt) }, relativeTime(n.lastTestedAt))
      : h('span', { class: 'muted' }, 'Never')],
  ];
  return h('dl', { class: 'number-details' }, rows.map(([label, value]) =>
    h('div', { class: 'number-detail' }, h('dt', {}, label), h('dd', {}, value))));
}

function actions(n, handlers) {
  const button = (label, iconName, onClick, extra = 'btn-secondary') => h('button', {
    class: `btn ${extra} btn-sm`, type: 'button', onclick: (e) => onClick(n, e.currentTarget),
  }, icon(iconName), label);
  return h('div', { class: 'button-row' },
    button('Test connection', 'zap', handlers.onTest),
    n.isDefault ? null : button('Set default', 'star', handlers.onDefault),
    n.sandbox ? null : button('Edit', 'edit', (num) => handlers.onEdit(num, false)),
    n.sandbox ? null : button('Remove', 'trash', handlers.onRemove, 'btn-danger-outline'));
}

// handlers: { onTest(n, button), onDefault(n, button), onEdit(n, tokenOnly), onRemove(n) }.
export function numberCard(n, result, handlers) {
  const titleId = uid('number');
  const phone = numberPhone(n);
  return h('section', { class: ['card number-card', n.status !== 'active' && `is-${n.status}`], 'aria-labelledby': titleId },
    h('div', { class: 'card-header' },
      h('div', { class: 'number-title' },
        h('span', { class: ['number-icon', n.sandbox && 'is-sandbox'] }, icon(n.sandbox ? 'flask' : 'phone')),
        h('div', {}, h('h3', { class: 'card-title', id: titleId }, numberName(n)),
          h('p', { class: 'card-subtitle tabular' }, phone || 'Phone number not reported yet'))),
      h('div', { class: 'number-badges' },
        n.isDefault ? h('span', { class: 'badge badge-primary' }, icon('star'), 'Default') : null,
        n.sandbox ? badge('Sandbox', 'info') : null,
        statusBadge(n))),
    h('div', { class: 'card-body stack-sm' },
      n.sandbox ? sandboxNote() : null,
      stateAlert(n, handlers),
      details(n),
      testResult(result)),
    h('div', { class: 'card-footer' }, actions(n, handlers)));
}
