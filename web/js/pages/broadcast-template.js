// The template part of the broadcast form: a picker of the account's approved templates, the
// chosen one shown as a customer will see it (the Templates page's preview, each variable
// filled in as its shared value is typed), and one input per variable: the values every
// recipient gets, unless their CSV row brings its own.

import { h, mount, uid } from '../dom.js';
import { controlField, field } from '../components/form.js';
import { templatePreview } from './template-preview.js';
import { templateParts } from './template-variables.js';

function sharedHint(required) {
  return required ? 'Every recipient gets these values.'
    : 'For rows of the file with only a phone and a name. Leave them empty when every row has its values.';
}

// templates: approved templates from GET /api/templates; onChange() after a pick or a value typed.
export function templatePicker(templates, { onChange }) {
  const select = h('select', { class: 'input select', id: uid('f-template'), name: 'templateName', required: true },
    h('option', { value: '' }, 'Choose a template…'),
    templates.map((t, i) => h('option', { value: String(i) }, `${t.name} (${t.language})`)));
  const picker = controlField({ label: 'Template', control: select,
    hint: 'Approved templates only: Meta allows only those for customers who have not written in 24 hours.' });
  const preview = templatePreview();
  const hint = h('p', { class: 'field-hint' }, sharedHint(true));
  const list = h('div', { class: 'template-examples-list' });
  const vars = h('fieldset', { class: 'template-examples broadcast-vars', hidden: true },
    h('legend', { class: 'label' }, 'Variables'), hint, list);
  let inputs = []; // [[variable name, field]] in the template's order
  let required = true;

  const chosen = () => (select.value === '' ? null : templates[Number(select.value)]);
  const values = () => inputs.map(([, f]) => f.input.value.trim());
  const draw = () => {
    const t = chosen();
    const parts = t ? templateParts(t) : { headerText: '', content: '', footerText: '', buttons: null };
    const examples = Object.fromEntries(inputs.map(([name, f]) => [name, f.input.value]));
    preview.update({ ...parts, examples });
  };
  select.addEventListener('change', () => {
    const t = chosen();
    inputs = ((t && t.variables) || []).map((name) => [name, field({ label: `Value for {{${name}}}`, name: `var-${name}`,
      autocomplete: 'off' })]);
    for (const [, f] of inputs) f.input.addEventListener('input', () => { draw(); onChange(); });
    mount(list, inputs.map(([, f]) => f.el));
    vars.hidden = inputs.length === 0;
    draw();
    onChange();
  });
  draw();

  return {
    picker,
    preview: preview.el,
    vars,
    template: chosen,
    values,
    // The first variable input, where a variable count problem is shown.
    firstVariable: () => (inputs.length ? inputs[0][1] : null),
    // Shared values are required for tags and pasted phones; with a CSV file they are a fallback.
    setRequired(on) {
      required = on;
      hint.textContent = sharedHint(on);
    },
    // [field, message] for the first missing value, or null.
    problem() {
      if (!chosen()) return [picker, 'Choose a template.'];
      const missing = inputs.find(([, f]) => !f.input.value.trim());
      if (!required && (!missing || values().every((v) => !v))) return null; // a fallback: all or none
      return missing ? [missing[1], `Enter the value for {{${missing[0]}}}.`] : null;
    },
    clearErrors() {
      picker.clearError();
      for (const [, f] of inputs) f.clearError();
    },
  };
}
