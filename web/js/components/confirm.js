// Confirmation dialog for destructive or disruptive actions. With `action`, the dialog runs it
// itself (busy button, error shown inside the dialog) and only closes once it succeeded, so
// the user sees what happened without losing context. Resolves true if confirmed (and done).

import { h } from '../dom.js';
import { openModal } from './modal.js';
import { formAlert, setBusy } from './form.js';

export function confirmDialog({ title, message, confirmLabel, busyLabel = 'Working…', danger = false, action }) {
  return new Promise((resolve) => {
    const alert = formAlert();
    const cancel = h('button', { class: 'btn btn-secondary', type: 'button' }, 'Cancel');
    const confirm = h('button', { class: `btn ${danger ? 'btn-danger' : 'btn-primary'}`, type: 'button' }, confirmLabel);
    const body = h('div', { class: 'stack-sm' }, alert.el,
      (Array.isArray(message) ? message : [message]).map((part) => (part instanceof Node ? part : h('p', {}, part))));
    const modal = openModal({
      title, body, footer: [cancel, confirm], size: 'sm', initialFocus: cancel,
      onClose: (result) => resolve(result === true),
    });
    cancel.addEventListener('click', () => modal.close(false));
    confirm.addEventListener('click', async () => {
      if (!action) {
        modal.close(true);
        return;
      }
      alert.hide();
      setBusy(confirm, true, busyLabel);
      cancel.disabled = true;
      try {
        await action();
        modal.close(true);
      } catch (err) {
        if (err.handled) {
          modal.close(false);
          return;
        }
        alert.show(err.message);
        setBusy(confirm, false);
        cancel.disabled = false;
      }
    });
  });
}
