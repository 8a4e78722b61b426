// Account creation (#/setup). On a fresh server (needsSetup) this creates the first
// account; when sign-up is allowed it is also the "Create an account" page. Success
// signs the new user in and opens the Overview.

import { h, mount } from '../dom.js';
import { api } from '../api.js';
import { session } from '../session.js';
import { completeSignIn } from '../auth.js';
import { checkNewPassword, PASSWORD_MIN } from '../password.js';
import { authLayout } from '../components/auth-layout.js';
import { clearErrors, field, formAlert, setBusy, strengthMeter, submitButton } from '../components/form.js';
import { toast } from '../components/toast.js';

function buildFields() {
  return {
    name: field({ label: 'Full name', name: 'name', autocomplete: 'name', attrs: { required: true } }),
    company: field({ label: 'Company', name: 'company', autocomplete: 'organization', optional: true }),
    email: field({ label: 'Work email', name: 'email', type: 'email', autocomplete: 'email',
      attrs: { required: true, autocapitalize: 'none', spellcheck: 'false' } }),
    password: field({ label: 'Password', name: 'password', type: 'password', autocomplete: 'new-password',
      hint: `At least ${PASSWORD_MIN} characters. A longer passphrase is stronger.`, attrs: { required: true } }),
    confirm: field({ label: 'Confirm password', name: 'confirm', type: 'password',
      autocomplete: 'new-password', attrs: { required: true } }),
  };
}

function validate(fields) {
  const problems = [];
  if (!fields.name.input.value.trim()) problems.push([fields.name, 'Enter your name.']);
  const email = fields.email.input.value.trim();
  if (!email) problems.push([fields.email, 'Enter your email address.']);
  else if (!fields.email.input.checkValidity()) problems.push([fields.email, 'Enter a valid email address.']);
  const pw = checkNewPassword(fields.password.input.value, fields.confirm.input.value);
  if (pw) problems.push([fields[pw.field], pw.message]);
  for (const [f, message] of problems) f.setError(message);
  if (problems.length) problems[0][0].input.focus();
  return problems.length === 0;
}

// Puts a server error on the field it names, or in the form alert.
function showServerError(err, fields, alert) {
  if (err.code === 'EMAIL_EXISTS') {
    fields.email.setError(err.message);
    fields.email.input.focus();
    return;
  }
  const lower = err.message.toLowerCase();
  const named = err.code === 'VALIDATION_ERROR'
    && ['password', 'email', 'company', 'name'].find((key) => lower.includes(key));
  if (named) {
    fields[named].setError(err.message);
    fields[named].input.focus();
  } else {
    alert.show(err.message);
  }
}

export function renderSetup(container) {
  const status = session.status || {};
  const firstRun = Boolean(status.needsSetup);
  const fields = buildFields();
  const alert = formAlert();
  const submit = submitButton('Create account', 'btn-block');
  const meter = strengthMeter(fields.password.input);
  fields.password.el.insertBefore(meter, fields.password.input.nextSibling);
  const form = h('form', { class: 'form', novalidate: true, 'aria-label': 'Create your account' },
    alert.el, fields.name.el, fields.company.el, fields.email.el, fields.password.el, fields.confirm.el, submit);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(fields);
    alert.hide();
    if (!validate(fields)) return;
    setBusy(submit, true, 'Creating account…');
    const body = {
      name: fields.name.input.value.trim(),
      email: fields.email.input.value.trim(),
      password: fields.password.input.value,
    };
    const company = fields.company.input.value.trim();
    if (company) body.company = company;
    try {
      const res = await api.post('/api/auth/signup', body);
      session.setStatus({ ...status, needsSetup: false });
      await completeSignIn(res.user);
      toast('Your account is ready. Welcome to Pixels!');
    } catch (err) {
      if (!err.handled) showServerError(err, fields, alert);
    } finally {
      setBusy(submit, false);
    }
  });

  mount(container, authLayout({
    title: 'Create your account',
    subtitle: firstRun
      ? 'Welcome! This Pixels server has no users yet. Create the first account to get started.'
      : 'Create an account to start using Pixels.',
    body: form,
    footer: firstRun ? null : ['Already have an account? ', h('a', { href: '#/login' }, 'Log in')],
  }));
  fields.name.input.focus();
}
