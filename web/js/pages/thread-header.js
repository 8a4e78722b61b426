// The thread's header: back to the list (small screens), the customer's name and phone, the
// 24-hour window state, Sandbox / Closed labels and the Close or Reopen button.

import { h } from '../dom.js';
import { icon } from '../icons.js';
import { formatPhone } from '../format.js';
import { badge } from '../components/page.js';
import { customerAvatar, customerName, sandboxChip, windowIndicator } from './conversation-meta.js';

// opts: { sandbox: bool, onBack(), onStatus(status, button) }.
export function threadHeader(conv, { sandbox, onBack, onStatus }) {
  const name = customerName(conv);
  const closed = conv.status === 'closed';
  const phone = formatPhone(conv.userPhone);
  const label = closed ? 'Reopen' : 'Close conversation';
  const toggle = h('button', { class: 'btn btn-secondary btn-sm thread-toggle', type: 'button', title: label },
    icon(closed ? 'refresh' : 'checkCircle'), h('span', { class: 'btn-label' }, label));
  toggle.addEventListener('click', () => onStatus(closed ? 'open' : 'closed', toggle));
  return h('header', { class: 'thread-header' },
    h('button', { class: 'icon-btn thread-back', type: 'button', 'aria-label': 'Back to conversations', onclick: onBack },
      icon('arrowLeft')),
    customerAvatar(conv),
    h('div', { class: 'thread-who' },
      h('h2', { class: 'thread-name' }, name),
      h('p', { class: 'thread-sub' },
        name !== phone ? h('span', { class: 'tabular' }, phone) : null,
        windowIndicator(conv, { long: true }),
        sandbox ? sandboxChip() : null,
        closed ? badge('Closed', 'neutral') : null)),
    h('div', { class: 'thread-actions' }, toggle));
}
