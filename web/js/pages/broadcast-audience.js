// Who gets a broadcast, chosen with tabs: contacts by tag (with the tags the account's contacts
// use offered as chips), phone numbers pasted one per line, or a CSV file (broadcast-csv.js).
// Only the selected tab's recipients are sent.

import { h, mount, uid } from '../dom.js';
import { api } from '../api.js';
import { plural } from '../format.js';
import { controlField, field } from '../components/form.js';
import { tabs } from '../components/tabs.js';
import { csvField } from './broadcast-csv.js';

const CONTACTS_LIMIT = 500; // the API's largest page: enough to offer the tags in use

export const SOURCES = [['tags', 'Contacts by tag'], ['phones', 'Paste numbers'], ['csv', 'Upload CSV']];

function splitTags(text) {
  return [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))];
}

export function splitPhones(text) {
  return text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
}

// Chips for the tags in use; a click adds the tag to the input, or takes it out again.
async function tagSuggestions(input, slot) {
  let tags = [];
  try {
    const res = await api.get('/api/contacts', { limit: CONTACTS_LIMIT });
    tags = [...new Set(res.data.contacts.flatMap((c) => c.tags || []))].sort((a, b) => a.localeCompare(b));
  } catch {
    return; // the tags can still be typed
  }
  if (!tags.length) {
    mount(slot, h('p', { class: 'field-hint' }, 'None of your contacts has a tag yet: add tags on the Contacts page.'));
    return;
  }
  const chips = tags.map((tag) => h('button', { class: 'chip', type: 'button', 'aria-pressed': 'false', dataset: { tag } }, tag));
  const sync = () => {
    const chosen = new Set(splitTags(input.value));
    for (const chip of chips) chip.setAttribute('aria-pressed', String(chosen.has(chip.dataset.tag)));
  };
  for (const chip of chips) {
    chip.addEventListener('click', () => {
      const chosen = splitTags(input.value);
      const tag = chip.dataset.tag;
      input.value = (chosen.includes(tag) ? chosen.filter((t) => t !== tag) : [...chosen, tag]).join(', ');
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
  }
  input.addEventListener('input', sync);
  sync();
  mount(slot, h('div', { class: 'broadcast-tag-chips', role: 'group', 'aria-label': 'Tags in use' },
    h('span', { class: 'field-hint' }, 'In use:'), chips));
}

function phonesField() {
  const textarea = h('textarea', { class: 'input textarea broadcast-phones', id: uid('f-phones'), name: 'phones', rows: 6,
    spellcheck: 'false', autocomplete: 'off', placeholder: '+91 98765 43210\n+44 7700 900123' });
  const count = h('p', { class: 'field-hint', 'aria-live': 'polite' });
  const update = () => {
    const n = splitPhones(textarea.value).length;
    count.textContent = n ? plural(n, 'number') : '';
  };
  textarea.addEventListener('input', update);
  return controlField({ label: 'Phone numbers', control: textarea, extra: count,
    hint: 'One per line, with the country code. A number listed twice gets one message.' });
}

// onChange(source) runs when another tab is chosen.
export function audienceTabs({ onChange }) {
  const fields = {
    tags: field({ label: 'Tags', name: 'tags', autocomplete: 'off',
      hint: 'Every contact with at least one of these tags. Separate tags with commas.',
      attrs: { spellcheck: 'false', autocapitalize: 'none' } }),
    phones: phonesField(),
    csv: csvField(),
  };
  const chips = h('div', { class: 'broadcast-tag-slot' });
  tagSuggestions(fields.tags.input, chips);
  const panels = { tags: h('div', { class: 'stack-sm' }, fields.tags.el, chips), phones: fields.phones.el, csv: fields.csv.el };
  const set = tabs({ label: 'Recipients', selected: 'tags', onChange,
    items: SOURCES.map(([id, label]) => ({ id, label, panel: panels[id] })) });

  return {
    el: h('fieldset', { class: 'broadcast-audience' }, h('legend', { class: 'label' }, 'Recipients'), set.el),
    fields,
    get source() { return set.selected; },
    // The request members of the selected source: { tags } | { phones } | { csv }.
    values() {
      if (set.selected === 'tags') return { tags: splitTags(fields.tags.input.value) };
      if (set.selected === 'phones') return { phones: splitPhones(fields.phones.input.value) };
      return { csv: fields.csv.text() };
    },
    // What is missing before anything is sent: [source, message] or null.
    problem() {
      const v = this.values();
      if (v.tags && !v.tags.length) return ['tags', 'Enter at least one tag.'];
      if (v.phones && !v.phones.length) return ['phones', 'Enter at least one phone number.'];
      if ('csv' in v && !v.csv) return ['csv', 'Choose a CSV file.'];
      return null;
    },
  };
}
