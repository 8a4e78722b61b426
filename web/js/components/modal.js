// Modal dialogs on the native <dialog> element: showModal() makes the page behind inert, Tab
// is kept inside the dialog, focus returns to the opener on close. Non-dismissible dialogs
// (e.g. the one-time token) ignore Escape and backdrop clicks: only their own buttons close them.

import { h, uid } from '../dom.js';
import { icon } from '../icons.js';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function trapTab(dialog, event) {
  if (event.key !== 'Tab') return;
  const items = [...dialog.querySelectorAll(FOCUSABLE)].filter((el) => el.offsetParent !== null);
  if (items.length === 0) return;
  const first = items[0];
  const last = items[items.length - 1];
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

// Opens a dialog. body/footer: nodes; initialFocus: element to focus (default: first control).
// Returns { el, close(result) }; onClose(result) runs once, after the dialog is removed.
export function openModal({ title, description, body, footer, dismissible = true, size = 'md', initialFocus, onClose }) {
  const titleId = uid('modal-title');
  const descId = description ? uid('modal-desc') : null;
  const closeButton = dismissible
    ? h('button', { class: 'icon-btn modal-close', type: 'button', 'aria-label': 'Close' }, icon('close')) : null;
  const el = h('dialog', { class: `modal modal-${size}`, 'aria-labelledby': titleId, 'aria-describedby': descId },
    h('div', { class: 'modal-panel' },
      h('div', { class: 'modal-header' },
        h('div', { class: 'modal-heading' }, h('h2', { class: 'modal-title', id: titleId }, title),
          description ? h('p', { class: 'modal-description', id: descId }, description) : null),
        closeButton),
      h('div', { class: 'modal-body' }, body),
      footer ? h('div', { class: 'modal-footer' }, footer) : null));
  const opener = document.activeElement;
  let open = true;
  const close = (result) => {
    if (!open) return;
    open = false;
    window.removeEventListener('hashchange', onHashChange);
    el.close();
    el.remove();
    if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
    if (onClose) onClose(result);
  };
  const onHashChange = () => close(undefined);
  el.addEventListener('cancel', (event) => {
    event.preventDefault();
    if (dismissible) close(undefined);
  });
  // Chrome closes a dialog on a repeated Escape even when cancel is refused: clean up then too.
  el.addEventListener('close', () => close(undefined));
  el.addEventListener('keydown', (event) => trapTab(el, event));
  // A click on the dialog element itself (not its panel) is a click on the backdrop.
  el.addEventListener('click', (event) => { if (dismissible && event.target === el) close(undefined); });
  if (closeButton) closeButton.addEventListener('click', () => close(undefined));
  window.addEventListener('hashchange', onHashChange);
  document.body.append(el);
  el.showModal();
  const target = initialFocus || el.querySelector(`.modal-body ${FOCUSABLE}, .modal-footer ${FOCUSABLE}`);
  if (target) target.focus();
  return { el, close };
}
