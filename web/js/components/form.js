// Form building blocks: labelled fields with hint and error text wired through
// aria-describedby, a form-level alert, busy buttons and a password strength meter.

import { h, uid } from '../dom.js';
import { icon } from '../icons.js';
import { passwordStrength } from '../password.js';

export function field({ label, name, type = 'text', autocomplete, hint, optional = false, value = '', attrs = {} }) {
  const id = uid(`f-${name}`);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const input = h('input', {
    class: 'input', id, name, type, autocomplete, value,
    'aria-describedby': hint ? `${hintId} ${errorId}` : errorId,
    ...attrs,
  });
  const errorText = h('span');
  const error = h('p', { class: 'field-error', id: errorId, hidden: true }, icon('alert'), errorText);
  const labelEl = h('label', { class: 'label', for: id }, label,
    optional ? h('span', { class: 'label-optional' }, 'Optional') : null);
  const el = h('div', { class: 'field' }, labelEl, input,
    hint ? h('p', { class: 'field-hint', id: hintId }, hint) : null, error);
  // An error describes the old value: drop it as soon as the user edits the field.
  input.addEventListener('input', () => {
    error.hidden = true;
    input.removeAttribute('aria-invalid');
  });
  return {
    el,
    input,
    setError(message) {
      errorText.textContent = message;
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
    },
    clearError() {
      error.hidden = true;
      input.removeAttribute('aria-invalid');
    },
  };
}

// The same wiring for a control built by the caller (a select, a textarea, a file input):
// label, optional hint, `extra` nodes under the control, and the error line. control needs an id.
export function controlField({ label, control, hint, extra = null, optional = false }) {
  const id = control.id;
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true }, icon('alert'), h('span'));
  control.setAttribute('aria-describedby', hint ? `${id}-hint ${id}-error` : `${id}-error`);
  const clearError = () => { error.hidden = true; control.removeAttribute('aria-invalid'); };
  control.addEventListener('input', clearError);
  return {
    el: h('div', { class: 'field' }, h('label', { class: 'label', for: id }, label,
      optional ? h('span', { class: 'label-optional' }, 'Optional') : null), control,
    hint ? h('p', { class: 'field-hint', id: `${id}-hint` }, hint) : null, extra, error),
    input: control,
    setError(message) {
      error.lastChild.textContent = message;
      error.hidden = false;
      control.setAttribute('aria-invalid', 'true');
    },
    clearError,
  };
}

// Clears every field's error; returns the fields for chaining.
export function clearErrors(fields) {
  for (const f of Object.values(fields)) f.clearError();
  return fields;
}

export function formAlert() {
  const text = h('span', { class: 'alert-text' });
  const iconSlot = h('span', { class: 'alert-icon' });
  const el = h('div', { class: 'alert', role: 'alert', hidden: true }, iconSlot, text);
  return {
    el,
    show(message, kind = 'error') {
      el.className = `alert alert-${kind}`;
      iconSlot.replaceChildren(icon(kind === 'error' || kind === 'warning' ? 'alert' : 'info'));
      text.textContent = message;
      el.hidden = false;
    },
    hide() {
      el.hidden = true;
    },
  };
}

// Puts a submit button (and its form) into a loading state and back.
export function setBusy(button, busy, busyLabel) {
  if (!button.dataset.label) button.dataset.label = button.textContent;
  const form = button.form;
  button.disabled = busy;
  button.classList.toggle('is-busy', busy);
  if (form) form.setAttribute('aria-busy', busy ? 'true' : 'false');
  if (busy) {
    button.replaceChildren(h('span', { class: 'spinner', 'aria-hidden': 'true' }), busyLabel);
  } else {
    button.replaceChildren(button.dataset.label);
  }
}

// A four-step meter that follows the given password input.
export function strengthMeter(input) {
  const bars = [1, 2, 3, 4].map(() => h('span', { class: 'strength-bar' }));
  const label = h('span', { class: 'strength-label', 'aria-live': 'polite' });
  const el = h('div', { class: 'strength score-0' }, h('div', { class: 'strength-bars', 'aria-hidden': 'true' }, bars), label);
  const update = () => {
    const { score, label: text } = passwordStrength(input.value);
    el.className = `strength score-${score}`;
    label.textContent = text ? `Strength: ${text}` : '';
  };
  input.addEventListener('input', update);
  return el;
}

export function submitButton(label, extraClass = '') {
  return h('button', { class: `btn btn-primary ${extraClass}`.trim(), type: 'submit' }, label);
}

// A toolbar select filtering a list by status: "All statuses" plus [value, label] pairs.
// onChange gets the chosen value ('' for all).
export function statusFilter(idPrefix, statuses, onChange) {
  const id = uid(idPrefix);
  const select = h('select', { class: 'input select', id },
    h('option', { value: '' }, 'All statuses'),
    statuses.map(([value, label]) => h('option', { value }, label)));
  select.addEventListener('change', () => onChange(select.value));
  return h('div', { class: 'toolbar-field' }, h('label', { class: 'label', for: id }, 'Status'), select);
}
