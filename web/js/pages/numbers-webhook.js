// The "Webhook setup" card of Settings > WhatsApp numbers: the callback URL to paste into
// Meta's app dashboard and the verify token (each with Copy), and whether the server has the verify token and the app
// secret it needs (META_VERIFY_TOKEN, META_APP_SECRET); when one is missing it says which
// environment variable to set. webhook: the "webhook" member of GET /api/settings/phone-numbers.

import { h, uid } from '../dom.js';
import { icon } from '../icons.js';
import { card } from '../components/page.js';
import { copyButton } from '../components/copy-button.js';

function urlField(url) {
  const id = uid('webhook-url');
  // A textarea so the whole URL shows (it wraps in the narrow card) and can be checked by eye.
  const input = h('textarea', { class: 'input input-mono token-field', id, rows: 2, readonly: true, value: url,
    spellcheck: 'false', autocomplete: 'off' });
  input.addEventListener('focus', () => input.select());
  const copy = copyButton(input, 'URL');
  copy.button.classList.add('btn-sm');
  return h('div', { class: 'field webhook-url' },
    h('div', { class: 'webhook-url-head' }, h('label', { class: 'label', for: id }, 'Callback URL'), copy.button),
    input,
    copy.status);
}

// The verify token, shown to owners and admins so they can paste it into Meta's dashboard.
function verifyTokenField(token) {
  const id = uid('verify-token');
  const input = h('input', { class: 'input input-mono', id, readonly: true, value: token,
    spellcheck: 'false', autocomplete: 'off' });
  input.addEventListener('focus', () => input.select());
  const copy = copyButton(input, 'verify token');
  copy.button.classList.add('btn-sm');
  return h('div', { class: 'field webhook-url' },
    h('div', { class: 'webhook-url-head' }, h('label', { class: 'label', for: id }, 'Verify token'), copy.button),
    input,
    copy.status);
}

function setting({ label, set, envVar, setText, missingText }) {
  return h('li', { class: ['webhook-check', set ? 'is-set' : 'is-missing'] },
    icon(set ? 'checkCircle' : 'alert', 'webhook-check-icon'),
    h('div', {},
      h('p', { class: 'strong' }, label, ' ', h('span', { class: set ? 'badge badge-success' : 'badge badge-warning' },
        set ? 'Configured' : 'Not set')),
      h('p', { class: 'muted small' }, set ? setText : [missingText, ' Set ', h('code', { class: 'code' }, envVar),
        ' in the server\'s environment (or its .env file) and restart Pixels.'])));
}

export function webhookCard(webhook, sandbox) {
  return card({ title: 'Webhook setup', subtitle: 'How Meta tells Pixels about new messages and delivery receipts.',
    extraClass: 'webhook-card', body: [
      h('ol', { class: 'steps' },
        h('li', {}, 'In your Meta app, open WhatsApp → Configuration → Webhook and click Edit.'),
        h('li', {}, 'Paste the callback URL below and the verify token you set on this server.'),
        h('li', {}, 'Click "Verify and save", then subscribe to the "messages" field.')),
      urlField(webhook.url),
      webhook.verifyToken ? verifyTokenField(webhook.verifyToken) : null,
      h('ul', { class: 'webhook-checks' },
        setting({ label: 'Verify token', set: webhook.verifyTokenSet, envVar: 'META_VERIFY_TOKEN',
          setText: 'Enter the same value as "Verify token" in Meta\'s dashboard.',
          missingText: 'Meta\'s verification request will be refused.' }),
        setting({ label: 'App secret', set: webhook.appSecretSet, envVar: 'META_APP_SECRET',
          setText: 'Pixels checks the signature of every webhook with it.',
          missingText: 'Until then Pixels accepts only webhooks signed with an app secret saved on a number.' })),
      h('p', { class: 'hint-line' }, icon('info'),
        'Meta must reach this URL over the internet with HTTPS: put Pixels behind your HTTPS proxy and use its public address.'),
      sandbox ? h('p', { class: 'muted small webhook-sandbox' }, icon('flask'),
        'The Sandbox number needs none of this: the simulator signs its webhooks and posts them to this server itself.') : null,
    ] });
}
