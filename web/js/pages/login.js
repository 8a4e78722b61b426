// Login page (#/login): email + password, "Login" button, errors from the server shown in
// the card (wrong credentials, lockout with its wait time, inactive account).

import { h, mount } from '../dom.js';
import { api } from '../api.js';
import { session } from '../session.js';
import { completeSignIn } from '../auth.js';
import { plural } from '../format.js';
import { authLayout } from '../components/auth-layout.js';
import { clearErrors, field, formAlert, setBusy, submitButton } from '../components/form.js';

function loginErrorMessage(err) {
  if (err.code === 'TOO_MANY_ATTEMPTS') {
    if (err.retryAfterSeconds === null) return 'Too many attempts. Try again later.';
    const minutes = Math.max(1, Math.ceil(err.retryAfterSeconds / 60));
    return `Too many attempts. Try again in ${plural(minutes, 'minute')}.`;
  }
  return err.message;
}

function validate(fields) {
  let first = null;
  if (!fields.email.input.value.trim()) {
    fields.email.setError('Enter your email address.');
    first = first || fields.email.input;
  }
  if (!fields.password.input.value) {
    fields.password.setError('Enter your password.');
    first = first || fields.password.input;
  }
  if (first) first.focus();
  return first === null;
}

export function renderLogin(container) {
  const alert = formAlert();
  const flash = session.takeFlash();
  if (flash) alert.show(flash.message, flash.kind);
  const fields = {
    email: field({ label: 'Email', name: 'email', type: 'email', autocomplete: 'username',
      attrs: { required: true, autocapitalize: 'none', spellcheck: 'false', inputmode: 'email' } }),
    password: field({ label: 'Password', name: 'password', type: 'password',
      autocomplete: 'current-password', attrs: { required: true } }),
  };
  const submit = submitButton('Login', 'btn-block');
  const form = h('form', { class: 'form', novalidate: true, 'aria-label': 'Log in' },
    alert.el, fields.email.el, fields.password.el, submit);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(fields);
    if (!validate(fields)) return;
    alert.hide();
    setBusy(submit, true, 'Logging in…');
    try {
      const res = await api.post('/api/auth/login', {
        email: fields.email.input.value.trim(),
        password: fields.password.input.value,
      });
      await completeSignIn(res.user);
    } catch (err) {
      if (err.handled) return;
      alert.show(loginErrorMessage(err));
      fields.password.input.select();
      fields.password.input.focus();
    } finally {
      setBusy(submit, false);
    }
  });

  const status = session.status || {};
  const footer = status.signupAllowed
    ? ['New to Pixels? ', h('a', { href: '#/setup' }, 'Create an account')]
    : null;
  mount(container, authLayout({
    title: 'Log in to Pixels',
    subtitle: 'Enter your email and password to open your dashboard.',
    body: form,
    footer,
  }));
  if (flash && flash.email) {
    fields.email.input.value = flash.email;
    fields.password.input.focus();
  } else {
    fields.email.input.focus();
  }
}
