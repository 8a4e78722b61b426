// The reply composer under a thread: a growing textarea where Enter sends and Shift+Enter
// starts a new line. When the 24-hour customer-service window is closed it is disabled and
// says why. onSend(text) returns a promise; the text is cleared only when it resolves true,
// so a refused message stays in the box to fix or retry.

import { h, uid } from '../dom.js';
import { icon } from '../icons.js';

export const WINDOW_CLOSED_TEXT = 'The customer has not written in the last 24 hours. '
  + 'WhatsApp only allows approved template messages now.';

const MAX_LENGTH = 4096; // WhatsApp's limit for a text message body

export function replyBox({ onSend }) {
  const id = uid('reply');
  const input = h('textarea', {
    class: 'input composer-input', id, rows: 1, maxlength: MAX_LENGTH, placeholder: 'Type a message',
    'aria-label': 'Reply', 'aria-describedby': `${id}-help`,
  });
  const send = h('button', { class: 'btn btn-primary composer-send', type: 'submit', 'aria-label': 'Send', title: 'Send (Enter)' },
    icon('send'));
  const help = h('p', { class: 'composer-help', id: `${id}-help` }, 'Enter to send · Shift+Enter for a new line');
  const closed = h('p', { class: 'composer-closed', role: 'status', hidden: true }, icon('lock'), WINDOW_CLOSED_TEXT);
  const error = h('p', { class: 'composer-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'composer', 'aria-label': 'Reply' },
    closed, error, h('div', { class: 'composer-row' }, input, send), help);
  let busy = false;
  let windowOpen = true;

  const sync = () => {
    input.disabled = !windowOpen;
    send.disabled = busy || !windowOpen || input.value.trim() === '';
    closed.hidden = windowOpen;
    help.hidden = !windowOpen;
    form.classList.toggle('is-closed', !windowOpen);
  };
  const submit = async () => {
    const text = input.value.trim();
    if (busy || !windowOpen || !text) return;
    busy = true;
    error.hidden = true;
    sync();
    try {
      if (await onSend(text)) input.value = '';
    } finally {
      busy = false;
      sync();
      if (windowOpen) input.focus();
    }
  };
  input.addEventListener('input', () => { error.hidden = true; sync(); });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  form.addEventListener('submit', (event) => { event.preventDefault(); submit(); });
  sync();

  return {
    el: form,
    input,
    setWindowOpen(open) {
      if (open === windowOpen) return;
      windowOpen = open;
      sync();
    },
    showError(message) {
      error.textContent = message;
      error.hidden = false;
    },
    focus() { if (windowOpen) input.focus({ preventScroll: true }); },
  };
}
