// The inputs of the template form: name, language and category, header, body (with a
// character count) followed by one example per variable of the body, added and removed as the
// body is typed ({{1}}…{{N}} or {{name}}; typed examples survive while their variable stays),
// and footer.

import { h, mount, uid } from '../dom.js';
import { controlField, field } from '../components/form.js';
import { charCount } from './template-variables.js';

export const BODY_MAX = 1024;
export const SHORT_MAX = 60; // header text and footer

const LANGUAGES = [['en', 'English (en)'], ['en_US', 'English, US (en_US)']];
const CATEGORIES = [['UTILITY', 'Utility'], ['MARKETING', 'Marketing'], ['AUTHENTICATION', 'Authentication']];

// options: [[value, label]]; a stored value missing from the list (e.g. synced from Meta) is added.
function selectField({ label, name, options, value }) {
  const list = options.some(([v]) => v === value) || !value ? options : [...options, [value, value]];
  const select = h('select', { class: 'input select', id: uid(`f-${name}`), name },
    list.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
  return controlField({ label, control: select });
}

function bodyField(value) {
  const textarea = h('textarea', { class: 'input textarea template-body-input', id: uid('f-content'), name: 'content',
    rows: 6, required: true, value, spellcheck: 'true' });
  const count = h('p', { class: 'field-hint template-count', 'aria-hidden': 'true' });
  const update = () => {
    const n = charCount(textarea.value);
    count.textContent = `${n} / ${BODY_MAX}`;
    count.classList.toggle('is-over', n > BODY_MAX);
  };
  textarea.addEventListener('input', update);
  update();
  return controlField({ label: 'Body', control: textarea, extra: count,
    hint: 'Up to 1024 characters. Add variables as {{1}}, {{2}}… or by name, such as {{first_name}}.' });
}

// One example input per variable; sync(names) follows the body's variables.
function exampleInputs(initial) {
  const values = new Map(Object.entries(initial || {}));
  const inputs = new Map(); // variable -> field
  const list = h('div', { class: 'template-examples-list' });
  const el = h('fieldset', { class: 'template-examples', hidden: true },
    h('legend', { class: 'label' }, 'Examples'),
    h('p', { class: 'field-hint' }, 'Sample values Meta reviews the template with. Customers get the real values you send.'),
    list);
  let shown = '';
  return {
    el,
    sync(names) {
      if (names.join('\u0000') === shown) return;
      shown = names.join('\u0000');
      for (const [name, f] of inputs) values.set(name, f.input.value);
      inputs.clear();
      for (const name of names) {
        inputs.set(name, field({ label: `Example for {{${name}}}`, name: `example-${name}`, autocomplete: 'off',
          value: values.get(name) || '' }));
      }
      mount(list, [...inputs.values()].map((f) => f.el));
      el.hidden = names.length === 0;
    },
    values() {
      return Object.fromEntries([...inputs].map(([name, f]) => [name, f.input.value.trim()]));
    },
    get(name) { return inputs.get(name) || null; },
    clearErrors() { for (const f of inputs.values()) f.clearError(); },
  };
}

// initial: { name, language, category, headerText, content, footerText, examples } (all optional).
export function templateFields(initial = {}) {
  const fields = {
    name: field({ label: 'Name', name: 'name', autocomplete: 'off', value: initial.name || '',
      hint: 'Lower-case letters, numbers and underscores, e.g. order_ready.',
      attrs: { required: true, maxlength: 512, spellcheck: 'false', autocapitalize: 'none' } }),
    language: selectField({ label: 'Language', name: 'language', options: LANGUAGES, value: initial.language || 'en' }),
    category: selectField({ label: 'Category', name: 'category', options: CATEGORIES, value: initial.category || 'UTILITY' }),
    headerText: field({ label: 'Header', name: 'headerText', autocomplete: 'off', optional: true,
      value: initial.headerText || '', hint: 'A bold first line, up to 60 characters.', attrs: { maxlength: SHORT_MAX } }),
    content: bodyField(initial.content || ''),
    footerText: field({ label: 'Footer', name: 'footerText', autocomplete: 'off', optional: true,
      value: initial.footerText || '', hint: 'Small grey text under the message, up to 60 characters, without variables.',
      attrs: { maxlength: SHORT_MAX } }),
  };
  const examples = exampleInputs(initial.examples);
  const el = h('div', { class: 'template-fields' },
    fields.name.el,
    h('div', { class: 'field-pair' }, fields.language.el, fields.category.el),
    fields.headerText.el, fields.content.el, examples.el, fields.footerText.el);
  return { el, fields, examples };
}
