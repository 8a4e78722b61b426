// The "New contact" / "Edit contact" dialog. The server validates and normalises the phone
// (digits only); its errors land on the field named by the error's `field` (a duplicate phone,
// CONTACT_EXISTS, on the phone field). Resolves with the saved contact, or null if cancelled.

import { h } from '../dom.js';
import { api } from '../api.js';
import { clearErrors, field, formAlert, setBusy, submitButton } from '../components/form.js';
import { openModal } from '../components/modal.js';
import { formatPhone } from '../format.js';

const LABELS = { name: 'Name', phone: 'Phone number', email: 'Email', tags: 'Tags' };

function buildFields(contact) {
  return {
    name: field({ label: 'Name', name: 'name', autocomplete: 'off', value: contact ? contact.name : '', attrs: { required: true } }),
    phone: field({ label: 'Phone number', name: 'phone', type: 'tel', autocomplete: 'off',
      value: contact ? formatPhone(contact.phone) : '', hint: 'With the country code, e.g. +91 98765 43210.',
      attrs: { required: true, inputmode: 'tel' } }),
    email: field({ label: 'Email', name: 'email', type: 'email', autocomplete: 'off', optional: true,
      value: contact && contact.email ? contact.email : '', attrs: { autocapitalize: 'none', spellcheck: 'false' } }),
    tags: field({ label: 'Tags', name: 'tags', autocomplete: 'off', optional: true,
      value: contact ? contact.tags.join(', ') : '', hint: 'Separate tags with commas, e.g. vip, wholesale.' }),
  };
}

// "phone must have 8 to 15 digits" -> "Phone number must have 8 to 15 digits".
function fieldMessage(err) {
  const prefix = new RegExp(`^${err.field}:?\\s+`, 'i');
  if (err.code === 'CONTACT_EXISTS') return 'A contact with this phone number already exists.';
  return prefix.test(err.message) ? `${LABELS[err.field]} ${err.message.replace(prefix, '')}` : err.message;
}

function requestBody(fields, editing) {
  const body = {
    name: fields.name.input.value.trim(),
    phone: fields.phone.input.value.trim(),
    tags: fields.tags.input.value.split(',').map((t) => t.trim()).filter(Boolean),
  };
  const email = fields.email.input.value.trim();
  if (email || editing) body.email = email; // "" clears it on edit
  return body;
}

export function openContactForm(contact = null) {
  return new Promise((resolve) => {
    const fields = buildFields(contact);
    const alert = formAlert();
    const submit = submitButton(contact ? 'Save changes' : 'Create contact');
    const cancel = h('button', { class: 'btn btn-secondary', type: 'button' }, 'Cancel');
    const form = h('form', { class: 'form', novalidate: true, 'aria-label': contact ? 'Edit contact' : 'New contact' },
      alert.el, fields.name.el, fields.phone.el, fields.email.el, fields.tags.el,
      h('div', { class: 'form-actions' }, cancel, submit));
    const modal = openModal({ title: contact ? 'Edit contact' : 'New contact', body: form, size: 'md',
      initialFocus: fields.name.input, onClose: (saved) => resolve(saved || null) });
    cancel.addEventListener('click', () => modal.close(null));

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(fields);
      alert.hide();
      const body = requestBody(fields, Boolean(contact));
      if (!body.name) return fields.name.setError('Enter a name.');
      if (!body.phone) return fields.phone.setError('Enter a phone number.');
      setBusy(submit, true, 'Saving…');
      try {
        const res = contact ? await api.put(`/api/contacts/${encodeURIComponent(contact.id)}`, body)
          : await api.post('/api/contacts', body);
        modal.close({ contact: res.data, message: res.message });
      } catch (err) {
        if (err.handled) return modal.close(null);
        const target = fields[err.code === 'CONTACT_EXISTS' ? 'phone' : err.field];
        if (target) {
          target.setError(fieldMessage(err));
          target.input.focus();
        } else {
          alert.show(err.message);
        }
      } finally {
        if (submit.isConnected) setBusy(submit, false);
      }
    });
  });
}
