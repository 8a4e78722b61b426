// Small pieces shared by the conversation list and the thread header: the customer's name and
// avatar, the 24-hour window indicator and the Sandbox label.

import { h } from '../dom.js';
import { icon } from '../icons.js';
import { formatPhone, initials } from '../format.js';
import { formatDateTime, relativeTime } from '../time.js';

export function customerName(conv) {
  return conv.userName || conv.userProfileName || formatPhone(conv.userPhone);
}

// "Window open" (green dot) / "Window closed" (grey), with when it closes(d) on hover.
export function windowIndicator(conv, { long = false } = {}) {
  const open = Boolean(conv.serviceWindowOpen);
  const until = conv.serviceWindowExpiresAt;
  let text = open ? 'Window open' : 'Window closed';
  if (long && open && until) text = `Window open · closes ${relativeTime(until)}`;
  const title = open
    ? `The customer wrote in the last 24 hours: you can reply freely until ${formatDateTime(until)}.`
    : 'The customer has not written in the last 24 hours: only approved template messages can be sent.';
  return h('span', { class: ['window-chip', open ? 'is-open' : 'is-closed'], title }, text);
}

export function sandboxChip() {
  return h('span', { class: 'sandbox-chip', title: 'Sandbox number: simulated, no real WhatsApp' }, 'Sandbox');
}

// Initials in a round avatar; a person icon when all we know is the phone number.
export function customerAvatar(conv, extraClass = '') {
  const name = customerName(conv);
  return h('span', { class: `avatar conv-avatar ${extraClass}`.trim(), 'aria-hidden': 'true' },
    name.startsWith('+') ? icon('user') : initials(name));
}
