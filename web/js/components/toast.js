// Toast notifications: short confirmations and errors in the corner, announced to screen
// readers through a polite live region. toast('Saved') or toast('Failed', 'error').

import { h } from '../dom.js';
import { icon } from '../icons.js';

const DURATION_MS = 5000;
let region = null;

function ensureRegion() {
  if (region && document.body.contains(region)) return region;
  region = h('div', { class: 'toast-region', role: 'status', 'aria-live': 'polite' });
  document.body.append(region);
  return region;
}

// Removes every toast, e.g. when the signed-in session ends.
export function clearToasts() {
  if (region) region.replaceChildren();
}

export function toast(message, kind = 'success') {
  const host = ensureRegion();
  const close = h('button', { class: 'toast-close', type: 'button', 'aria-label': 'Dismiss notification' }, icon('close'));
  const el = h('div', { class: `toast toast-${kind}` },
    icon(kind === 'success' ? 'checkCircle' : kind === 'error' ? 'alert' : 'info', 'toast-icon'),
    h('p', { class: 'toast-message' }, message),
    close);
  const dismiss = () => {
    el.classList.add('is-leaving');
    window.setTimeout(() => el.remove(), 200);
  };
  close.addEventListener('click', dismiss);
  host.append(el);
  window.setTimeout(dismiss, DURATION_MS);
  return el;
}
