// The one-time token dialog shown right after "Generate Integration Token": the full token in
// a read-only field with Copy, the warning and the next steps. Only "Done" closes it; the token
// lives in the field alone and is wiped from it when the dialog closes.

import { h, uid } from '../dom.js';
import { formatDate } from '../time.js';
import { openModal } from '../components/modal.js';
import { copyButton } from '../components/copy-button.js';

function nextSteps() {
  return h('div', { class: 'next-steps' },
    h('h3', { class: 'subheading' }, 'Next steps'),
    h('ol', { class: 'steps' },
      h('li', {}, 'In Enromatics, open the WhatsApp integration settings.'),
      h('li', {}, 'Paste the token into the "Token" or "API Key" field.'),
      h('li', {}, 'Click "Test Connection": you should see Connected. Then save.')));
}

// grant: the POST /api/account/integration-token answer. onDone runs after the dialog closed.
export function showTokenModal(grant, onDone) {
  const id = uid('token');
  // A textarea so the whole token is visible (it wraps) and can be checked by eye.
  const input = h('textarea', {
    class: 'input input-mono token-field', id, rows: 2, readonly: true, value: grant.integrationToken,
    spellcheck: 'false', autocomplete: 'off', 'aria-describedby': `${id}-hint`,
  });
  input.addEventListener('focus', () => input.select());
  const copy = copyButton(input, 'token');
  const expiry = grant.expiresAt ? `It expires on ${formatDate(grant.expiresAt)}.` : 'It never expires.';
  const done = h('button', { class: 'btn btn-primary', type: 'button' }, 'Done');
  const body = h('div', { class: 'stack' },
    h('div', { class: 'alert alert-warning', role: 'alert' },
      h('span', { class: 'alert-text' }, '⚠️ Copy this token now. It will not be shown again.')),
    h('div', { class: 'field' },
      h('label', { class: 'label', for: id }, 'Integration token'),
      h('div', { class: 'input-group' }, input, copy.button),
      h('p', { class: 'field-hint', id: `${id}-hint` }, `Starts with wpi_int_. ${expiry}`),
      copy.status),
    nextSteps());
  const modal = openModal({
    title: 'Your integration token', description: 'Paste it into Enromatics to connect it to this account.',
    body, footer: [done], dismissible: false, size: 'lg', initialFocus: copy.button,
    onClose: () => {
      input.value = '';
      if (onDone) onDone();
    },
  });
  done.addEventListener('click', () => modal.close());
}
