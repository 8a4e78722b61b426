// The "Add a WhatsApp number" and "Edit number" dialogs. Adding needs the ids and the access
// token from Meta's app dashboard; editing sends only what changed (an empty token or app
// secret keeps the stored one; a new token clears "Reconnect required" and resumes a paused
// number). Server errors land on the field the error names. Resolves with the saved number.

import { h } from '../dom.js';
import { api } from '../api.js';
import { clearErrors, field, formAlert, setBusy, submitButton } from '../components/form.js';
import { openModal } from '../components/modal.js';
import { numberName } from './number-card.js';

const URL = '/api/settings/phone-numbers';

const LABELS = {
  phoneNumberId: 'Phone number ID', wabaId: 'WhatsApp Business Account ID', accessToken: 'Access token',
  displayName: 'Display name', displayPhone: 'Phone number', appSecret: 'App secret', throughputMps: 'Throughput',
};

const secretAttrs = { autocapitalize: 'none', spellcheck: 'false' };

function idField(name, hint) {
  return field({ label: LABELS[name], name, autocomplete: 'off', hint,
    attrs: { required: true, inputmode: 'numeric', spellcheck: 'false' } });
}

function buildFields(number) {
  const editing = Boolean(number);
  const fields = {};
  if (!editing) {
    fields.phoneNumberId = idField('phoneNumberId', 'Meta app → WhatsApp → API Setup: "Phone number ID" (digits).');
    fields.wabaId = idField('wabaId', 'On the same page: "WhatsApp Business Account ID".');
  }
  fields.accessToken = field({ label: editing ? 'New access token' : 'Access token', name: 'accessToken', type: 'password',
    autocomplete: 'off', optional: editing, attrs: { required: !editing, ...secretAttrs },
    hint: editing ? 'Leave empty to keep the current token.'
      : 'A permanent System User token with the whatsapp_business_messaging permission.' });
  fields.displayName = field({ label: LABELS.displayName, name: 'displayName', autocomplete: 'off', optional: true,
    value: editing ? number.displayName : '', hint: 'How this number is called in Pixels, e.g. "Support".' });
  if (!editing) {
    fields.displayPhone = field({ label: LABELS.displayPhone, name: 'displayPhone', type: 'tel', autocomplete: 'off',
      optional: true, hint: 'As customers see it, e.g. +91 98765 43210. Filled in by the connection test otherwise.' });
  }
  fields.appSecret = field({ label: LABELS.appSecret, name: 'appSecret', type: 'password', autocomplete: 'off', optional: true,
    attrs: secretAttrs, hint: editing && number.hasAppSecret ? 'Set. Leave empty to keep it.'
      : 'Checks this number\'s webhook signatures when its Meta app differs from META_APP_SECRET.' });
  fields.throughputMps = field({ label: 'Throughput (messages per second)', name: 'throughputMps', type: 'number',
    value: String(editing ? number.throughputMps : 80), hint: 'Pixels never sends faster than this. Meta allows 80 by default.',
    attrs: { min: 1, max: 1000, step: 1, inputmode: 'numeric', required: true } });
  return fields;
}

function requestBody(fields, number) {
  const body = {};
  for (const [name, f] of Object.entries(fields)) {
    const value = f.input.value.trim(); // pasted tokens often carry a stray newline
    if (name === 'throughputMps') body[name] = Number(value);
    else if (value || (number && name === 'displayName')) body[name] = value;
  }
  return body;
}

// Client-side checks the server would make anyway; returns [field, message] or null.
function problem(fields, body, editing) {
  if (!editing && !body.phoneNumberId) return [fields.phoneNumberId, 'Enter the phone number ID.'];
  if (!editing && !body.wabaId) return [fields.wabaId, 'Enter the WhatsApp Business Account ID.'];
  if (!editing && !body.accessToken) return [fields.accessToken, 'Paste the access token.'];
  const mps = body.throughputMps;
  if (!Number.isInteger(mps) || mps < 1 || mps > 1000) return [fields.throughputMps, 'Enter a whole number from 1 to 1000.'];
  return null;
}

// "phoneNumberId: must be Meta's numeric id" -> "Phone number ID must be Meta's numeric id".
function fieldMessage(err) {
  if (err.code === 'PHONE_NUMBER_IN_USE') return 'This phone number ID is already connected to Pixels.';
  const prefix = `${err.field}: `;
  return err.message.startsWith(prefix) ? `${LABELS[err.field]} ${err.message.slice(prefix.length)}` : err.message;
}

// number: null to add; tokenOnly: opened from "Update token" (focus the token, say why).
export function openNumberForm(number = null, { tokenOnly = false } = {}) {
  return new Promise((resolve) => {
    const editing = Boolean(number);
    const fields = buildFields(number);
    const alert = formAlert();
    const submit = submitButton(editing ? 'Save changes' : 'Add number');
    const cancel = h('button', { class: 'btn btn-secondary', type: 'button' }, 'Cancel');
    const title = editing ? (tokenOnly ? `Update the token of ${numberName(number)}` : `Edit ${numberName(number)}`)
      : 'Add a WhatsApp number';
    const form = h('form', { class: 'form', novalidate: true, 'aria-label': editing ? 'Edit number' : 'Add number' },
      alert.el, Object.values(fields).map((f) => f.el), h('div', { class: 'form-actions' }, cancel, submit));
    const modal = openModal({ title, body: form, size: 'md',
      description: tokenOnly ? 'Paste a new access token from Meta. Saving it clears "Reconnect required".'
        : editing ? null : 'From your Meta app: WhatsApp → API Setup.',
      initialFocus: editing ? (tokenOnly ? fields.accessToken.input : fields.displayName.input) : fields.phoneNumberId.input,
      onClose: (saved) => resolve(saved || null) });
    cancel.addEventListener('click', () => modal.close(null));

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(fields);
      alert.hide();
      const body = requestBody(fields, number);
      const bad = problem(fields, body, editing);
      if (bad) {
        bad[0].setError(bad[1]);
        bad[0].input.focus();
        return;
      }
      setBusy(submit, true, 'Saving…');
      try {
        const res = editing ? await api.put(`${URL}/${encodeURIComponent(number.id)}`, body) : await api.post(URL, body);
        modal.close({ number: res.data, message: res.message });
      } catch (err) {
        if (err.handled) return modal.close(null);
        const target = fields[err.code === 'PHONE_NUMBER_IN_USE' ? 'phoneNumberId' : err.field];
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
