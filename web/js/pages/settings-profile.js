// Settings > Profile: edit name and email (PUT /api/settings/profile) and change the
// password (POST /api/settings/change-password). Loads /api/auth/me first so the form
// starts from the server's current values.

import { h, mount } from '../dom.js';
import { api } from '../api.js';
import { session } from '../session.js';
import { loadCurrentUser } from '../auth.js';
import { checkNewPassword, PASSWORD_MIN } from '../password.js';
import { clearErrors, field, formAlert, setBusy, strengthMeter, submitButton } from '../components/form.js';
import { errorState, loadingState } from '../components/states.js';
import { toast } from '../components/toast.js';

// Two-column settings block: description on the left, the form card on the right.
function section(title, description, content) {
  return h('section', { class: 'settings-section' },
    h('div', { class: 'settings-intro' }, h('h2', { class: 'section-title' }, title), h('p', { class: 'muted' }, description)),
    h('div', { class: 'card' }, h('div', { class: 'card-body' }, content)));
}

// Routes a server error to the field it concerns, else to the form alert.
function showError(err, alert, fieldFor) {
  if (err.handled) return;
  const target = fieldFor(err);
  if (target) {
    target.setError(err.message);
    target.input.focus();
  } else {
    alert.show(err.message);
  }
}

function profileForm() {
  const fields = {
    name: field({ label: 'Full name', name: 'name', autocomplete: 'name', value: session.user.name, attrs: { required: true } }),
    email: field({ label: 'Email', name: 'email', type: 'email', autocomplete: 'email', value: session.user.email,
      hint: 'You use this address to log in.', attrs: { required: true, autocapitalize: 'none', spellcheck: 'false' } }),
  };
  const alert = formAlert();
  const submit = submitButton('Save changes');
  const form = h('form', { class: 'form', novalidate: true, 'aria-label': 'Profile' },
    alert.el, fields.name.el, fields.email.el, h('div', { class: 'form-actions' }, submit));
  const values = () => ({ name: fields.name.input.value.trim(), email: fields.email.input.value.trim() });
  let saved = values();
  const syncDirty = () => {
    const now = values();
    submit.disabled = now.name === saved.name && now.email === saved.email;
  };
  form.addEventListener('input', syncDirty);
  syncDirty();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(fields);
    alert.hide();
    const body = values();
    if (!body.name) return fields.name.setError('Enter your name.');
    if (!body.email || !fields.email.input.checkValidity()) return fields.email.setError('Enter a valid email address.');
    setBusy(submit, true, 'Saving…');
    try {
      const res = await api.put('/api/settings/profile', body);
      session.updateUser(res.user);
      saved = { name: res.user.name, email: res.user.email };
      toast(res.message || 'Profile updated');
    } catch (err) {
      const invalid = err.code === 'VALIDATION_ERROR';
      showError(err, alert, (e) => (e.code === 'EMAIL_EXISTS' || (invalid && /email/i.test(e.message)) ? fields.email
        : invalid && /name/i.test(e.message) ? fields.name : null));
    } finally {
      setBusy(submit, false);
      syncDirty();
    }
  });
  return form;
}

function passwordFields() {
  return {
    current: field({ label: 'Current password', name: 'currentPassword', type: 'password',
      autocomplete: 'current-password', attrs: { required: true } }),
    next: field({ label: 'New password', name: 'newPassword', type: 'password', autocomplete: 'new-password',
      hint: `At least ${PASSWORD_MIN} characters.`, attrs: { required: true } }),
    confirm: field({ label: 'Confirm new password', name: 'confirmPassword', type: 'password',
      autocomplete: 'new-password', attrs: { required: true } }),
  };
}

function passwordForm() {
  const fields = passwordFields();
  const meter = strengthMeter(fields.next.input);
  fields.next.el.insertBefore(meter, fields.next.input.nextSibling);
  const alert = formAlert();
  const submit = submitButton('Change password');
  // Lets password managers know whose password this is.
  const username = h('input', { type: 'text', name: 'username', autocomplete: 'username', value: session.user.email,
    class: 'visually-hidden', tabindex: '-1', 'aria-hidden': 'true', readonly: true });
  const form = h('form', { class: 'form', novalidate: true, 'aria-label': 'Change password' },
    username, alert.el, fields.current.el, fields.next.el, fields.confirm.el, h('div', { class: 'form-actions' }, submit));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(fields);
    alert.hide();
    if (!fields.current.input.value) return fields.current.setError('Enter your current password.');
    const problem = checkNewPassword(fields.next.input.value, fields.confirm.input.value);
    if (problem) return fields[problem.field === 'password' ? 'next' : 'confirm'].setError(problem.message);
    setBusy(submit, true, 'Changing password…');
    try {
      const res = await api.post('/api/settings/change-password', {
        currentPassword: fields.current.input.value,
        newPassword: fields.next.input.value,
      });
      form.reset();
      fields.next.input.dispatchEvent(new Event('input'));
      toast(res.message || 'Password changed successfully');
    } catch (err) {
      showError(err, alert, (e) => (e.code === 'INVALID_CREDENTIALS' ? fields.current
        : e.code === 'VALIDATION_ERROR' ? fields.next : null));
    } finally {
      setBusy(submit, false);
    }
  });
  return form;
}

function renderForms(panel) {
  mount(panel,
    section('Profile', 'Your name as shown in the dashboard, and the email address you log in with.', profileForm()),
    section('Change password',
      'Changing your password keeps you signed in here and signs out every other session.', passwordForm()));
}

export function renderProfileTab(panel) {
  mount(panel, loadingState('Loading your profile…'));
  loadCurrentUser()
    .then(() => { if (panel.isConnected) renderForms(panel); })
    .catch((err) => {
      if (!err.handled && panel.isConnected) mount(panel, errorState(err.message, () => renderProfileTab(panel)));
    });
  return null;
}
