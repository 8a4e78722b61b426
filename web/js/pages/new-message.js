// The "New message" dialog: start a conversation by phone number (POST /api/messages/send,
// from the default number). WhatsApp's 24-hour rule still applies: a customer who has not
// written recently can only get an approved template, and the server's explanation is shown
// in the dialog. Resolves with { phone } (digits) once sent, or null.

import { h, uid } from '../dom.js';
import { api } from '../api.js';
import { clearErrors, field, formAlert, setBusy, submitButton } from '../components/form.js';
import { openModal } from '../components/modal.js';

const LABELS = { recipientPhone: 'Phone number', message: 'Message' };

function messageField() {
  const id = uid('f-message');
  const input = h('textarea', { class: 'input textarea', id, name: 'message', rows: 4, maxlength: 4096, required: true,
    'aria-describedby': `${id}-error` });
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  input.addEventListener('input', () => { error.hidden = true; input.removeAttribute('aria-invalid'); });
  return {
    el: h('div', { class: 'field' }, h('label', { class: 'label', for: id }, 'Message'), input, error),
    input,
    setError(message) { error.textContent = message; error.hidden = false; input.setAttribute('aria-invalid', 'true'); },
    clearError() { error.hidden = true; input.removeAttribute('aria-invalid'); },
  };
}

export function openNewMessage() {
  return new Promise((resolve) => {
    const fields = {
      recipientPhone: field({ label: 'Phone number', name: 'recipientPhone', type: 'tel', autocomplete: 'off',
        hint: 'With the country code, e.g. +91 98765 43210.', attrs: { required: true, inputmode: 'tel' } }),
      message: messageField(),
    };
    const alert = formAlert();
    const submit = submitButton('Send message');
    const cancel = h('button', { class: 'btn btn-secondary', type: 'button' }, 'Cancel');
    const form = h('form', { class: 'form', novalidate: true, 'aria-label': 'New message' },
      alert.el, fields.recipientPhone.el, fields.message.el,
      h('p', { class: 'field-hint' }, 'Free-form messages reach only customers who wrote to you in the last 24 hours.'),
      h('div', { class: 'form-actions' }, cancel, submit));
    const modal = openModal({ title: 'New message', description: 'Sent from your default WhatsApp number.', body: form,
      initialFocus: fields.recipientPhone.input, onClose: (sent) => resolve(sent || null) });
    cancel.addEventListener('click', () => modal.close(null));

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(fields);
      alert.hide();
      const body = { recipientPhone: fields.recipientPhone.input.value.trim(), message: fields.message.input.value.trim() };
      if (!body.recipientPhone) return fields.recipientPhone.setError('Enter a phone number.');
      if (!body.message) return fields.message.setError('Write a message.');
      setBusy(submit, true, 'Sending…');
      try {
        await api.post('/api/messages/send', body);
        modal.close({ phone: body.recipientPhone.replace(/\D/g, '') });
      } catch (err) {
        if (err.handled) return modal.close(null);
        const target = fields[err.field];
        if (target) target.setError(err.message.replace(`${err.field}: `, `${LABELS[err.field]} `));
        else alert.show(err.message, err.code === 'OUTSIDE_CUSTOMER_SERVICE_WINDOW' ? 'warning' : 'error');
      } finally {
        if (submit.isConnected) setBusy(submit, false);
      }
    });
  });
}
