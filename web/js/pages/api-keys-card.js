// The integration token card of Settings > API Keys: an empty state with the blue
// "Generate Integration Token" button when there is no token, else the token's prefix, status,
// dates, last use and expiry banners. Pure rendering: the tab passes the handlers in.

import { h } from '../dom.js';
import { icon } from '../icons.js';
import { plural } from '../format.js';
import { daysUntil, formatDate, formatDateTime, isoAttr, relativeTime } from '../time.js';
import { badge, keyValues } from '../components/page.js';

export const GENERATE_LABEL = 'Generate Integration Token';
const WARN_DAYS = 14;

export function generateButton(onGenerate) {
  const button = h('button', { class: 'btn btn-primary', type: 'button' }, icon('key'), GENERATE_LABEL);
  button.addEventListener('click', () => onGenerate(button));
  return button;
}

function banner(kind, text) {
  return h('div', { class: `alert alert-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    h('span', { class: 'alert-icon' }, icon('alert')), h('span', { class: 'alert-text' }, text));
}

function expiryBanner(token) {
  if (token.status === 'expired') {
    return banner('error', `This token expired on ${formatDate(token.expiresAt)}. Enromatics can no longer connect: `
      + 'generate a new token and paste it into Enromatics.');
  }
  const days = daysUntil(token.expiresAt);
  if (days === null || days > WARN_DAYS) return null;
  const when = days >= 1 ? `in ${plural(days, 'day')}` : 'in less than a day';
  return banner('warning', `This token expires ${when}. Generate a new one and update Enromatics before then.`);
}

function timeWithDate(iso) {
  return h('span', { class: 'when' },
    h('time', { datetime: isoAttr(iso), title: formatDateTime(iso) }, relativeTime(iso)),
    h('span', { class: 'muted' }, ` · ${formatDateTime(iso)}`));
}

function lastUsed(token) {
  if (!token.lastUsedAt) return h('span', { class: 'muted' }, 'Never used');
  return h('span', { class: 'when-stack' }, timeWithDate(token.lastUsedAt),
    token.lastUsedIp ? h('span', { class: 'muted' }, 'from ', h('code', { class: 'code' }, token.lastUsedIp)) : null);
}

function expires(token) {
  if (!token.expiresAt) return 'Never';
  const past = token.status === 'expired';
  return h('span', { class: 'when-stack' }, formatDate(token.expiresAt),
    h('span', { class: past ? 'text-danger' : 'muted' }, relativeTime(token.expiresAt)));
}

export function emptyTokenCard(onGenerate) {
  return h('section', { class: 'card token-empty', 'aria-label': 'Integration token' },
    h('div', { class: 'token-empty-icon' }, icon('key')),
    h('h3', { class: 'state-title' }, 'No integration token yet'),
    h('p', { class: 'muted token-empty-text' },
      'Generate a token and paste it into Enromatics. It is shown once; you can revoke it or generate a new one at any time.'),
    generateButton(onGenerate));
}

export function tokenCard(token, { onGenerate, onRevoke }) {
  const active = token.status === 'active';
  const revoke = h('button', { class: 'btn btn-danger-outline', type: 'button' }, icon('trash'), 'Revoke');
  revoke.addEventListener('click', () => onRevoke(revoke));
  return h('section', { class: 'card token-card', 'aria-label': 'Integration token' },
    h('div', { class: 'card-header' },
      h('div', { class: 'token-title' }, h('span', { class: 'token-icon' }, icon('key')),
        h('div', {}, h('h3', { class: 'card-title' }, 'Integration token'),
          h('p', { class: 'card-subtitle' }, 'Enromatics sends it as Authorization: Bearer <token>.'))),
      badge(active ? 'Active' : 'Expired', active ? 'success' : 'danger')),
    h('div', { class: 'card-body stack-sm' },
      expiryBanner(token),
      keyValues([
        ['Token', h('code', { class: 'code token-prefix' }, `${token.prefix}…`)],
        ['Created', formatDateTime(token.createdAt)],
        ['Expires', expires(token)],
        ['Last used', lastUsed(token)],
      ])),
    h('div', { class: 'card-footer' },
      h('p', { class: 'muted' }, 'Generating a new token revokes this one immediately.'),
      h('div', { class: 'button-row' }, revoke, generateButton(onGenerate))));
}
