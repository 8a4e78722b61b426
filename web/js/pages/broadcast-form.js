// The "New broadcast" dialog: a name, an approved template (previewed beside the form), the
// recipients (contacts by tag, pasted phone numbers or a CSV file), the shared variable
// values, and optionally a start time and a pace. The checks the server would make run first,
// with the message on the field at fault; the server's refusals land on the field they
// concern. Resolves with the 202 answer of POST /api/broadcasts, or null if cancelled.

import { h, mount } from '../dom.js';
import { api } from '../api.js';
import { field, formAlert, setBusy, submitButton } from '../components/form.js';
import { openModal } from '../components/modal.js';
import { emptyState, errorState, loadingState } from '../components/states.js';
import { audienceTabs } from './broadcast-audience.js';
import { templatePicker } from './broadcast-template.js';
import { optionProblem, requestBody, serverProblem } from './broadcast-request.js';

const TEMPLATES_LIMIT = 500;

function optionFields() {
  return {
    schedule: field({ label: 'Start at', name: 'scheduleAt', type: 'datetime-local', optional: true,
      hint: 'Your local time. Leave empty to start now.' }),
    throttle: field({ label: 'Messages per second', name: 'throttleMps', type: 'number', optional: true,
      hint: 'Leave empty to send as fast as the number allows.', attrs: { min: 1, max: 1000, step: 1, inputmode: 'numeric' } }),
  };
}

function noTemplates() {
  return h('div', { class: 'stack-sm' },
    emptyState('No approved templates yet.', 'A broadcast sends an approved template. Create one on the Templates page; '
      + 'it can be broadcast once Meta approves it.'),
    h('p', { class: 'broadcast-empty-link' }, h('a', { class: 'link-arrow', href: '#/templates' }, 'Go to Templates')));
}

function buildForm(templates, modal) {
  const name = field({ label: 'Name', name: 'name', autocomplete: 'off', optional: true,
    hint: 'Shown in the list of broadcasts. By default: the date and time.', attrs: { maxlength: 200 } });
  const options = optionFields();
  const alert = formAlert();
  const submit = submitButton('Start broadcast');
  const cancel = h('button', { class: 'btn btn-secondary', type: 'button' }, 'Cancel');
  const onChange = () => {
    template.setRequired(audience.source !== 'csv');
    audience.fields.csv.setTemplate(template.template());
    const label = options.schedule.input.value ? 'Schedule broadcast' : 'Start broadcast';
    if (!submit.disabled) submit.textContent = label;
    submit.dataset.label = label; // what setBusy() puts back
  };
  const template = templatePicker(templates, { onChange: () => onChange() });
  const audience = audienceTabs({ onChange: () => onChange() });
  options.schedule.input.addEventListener('input', onChange);
  const form = h('form', { class: 'form', novalidate: true, 'aria-label': 'New broadcast' },
    alert.el,
    h('div', { class: 'template-editor' },
      h('div', { class: 'template-fields' }, name.el, template.picker.el, audience.el, template.vars,
        h('div', { class: 'field-pair' }, options.schedule.el, options.throttle.el)),
      template.preview),
    h('div', { class: 'form-actions' }, cancel, submit));
  cancel.addEventListener('click', () => modal.close(null));

  const targets = () => ({ name, template: template.picker, variable: template.firstVariable(), ...audience.fields, ...options });
  const clearAll = () => {
    alert.hide();
    template.clearErrors();
    for (const f of Object.values(targets())) if (f) f.clearError();
  };
  const show = (target, message) => {
    if (!target) {
      alert.show(message, 'error');
      alert.el.scrollIntoView({ block: 'nearest' });
      return;
    }
    target.setError(message);
    target.input.focus();
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearAll();
    const values = { schedule: options.schedule.input.value, throttle: options.throttle.input.value.trim() };
    const missing = audience.problem();
    const problem = template.problem() || (missing && [audience.fields[missing[0]], missing[1]]);
    if (problem) return show(...problem);
    const option = optionProblem(values);
    if (option) return show(options[option[0]], option[1]);
    const body = requestBody({ ...values, name: name.input.value.trim(), template: template.template(),
      variables: template.values(), audience: audience.values() });
    setBusy(submit, true, body.scheduleAt ? 'Scheduling…' : 'Starting…');
    try {
      modal.close(await api.post('/api/broadcasts', body));
    } catch (err) {
      if (err.handled) return modal.close(null);
      const [key, message] = serverProblem(err, audience.source);
      show(key ? targets()[key] : null, message);
    } finally {
      if (submit.isConnected) setBusy(submit, false);
    }
    return null;
  });
  onChange();
  return { form, focus: () => name.input.focus() };
}

export function openBroadcastForm() {
  return new Promise((resolve) => {
    const body = h('div', { class: 'broadcast-form-slot' }, loadingState('Loading templates…'));
    const modal = openModal({ title: 'New broadcast', size: 'xl', body,
      description: 'One approved template, sent to many customers at the pace your number allows.',
      onClose: (res) => resolve(res || null) });
    const load = async () => {
      mount(body, loadingState('Loading templates…'));
      try {
        const res = await api.get('/api/templates', { status: 'approved', limit: TEMPLATES_LIMIT });
        const { templates } = res.data;
        if (!templates.length) return mount(body, noTemplates());
        const built = buildForm(templates, modal);
        mount(body, built.form);
        built.focus();
      } catch (err) {
        if (err.handled) return modal.close(null);
        mount(body, errorState(err.message, load));
      }
      return null;
    };
    load();
  });
}
