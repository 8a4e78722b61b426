// Contacts (#/contacts): the account's WhatsApp contacts with a debounced search, a tag filter
// (typing a tag or clicking a tag chip), 50 per page, and create / edit / delete. Only the
// newest request's answer is drawn, so fast typing never shows stale results.

import { h, mount, uid } from '../dom.js';
import { api } from '../api.js';
import { icon } from '../icons.js';
import { pageHeader } from '../components/page.js';
import { pagedList } from '../components/pager.js';
import { confirmDialog } from '../components/confirm.js';
import { emptyState } from '../components/states.js';
import { toast } from '../components/toast.js';
import { openContactForm } from './contact-form.js';
import { contactsTable } from './contacts-table.js';

const PAGE_SIZE = 50;
const DEBOUNCE_MS = 300;

function filterInput({ label, placeholder, iconName, onInput }) {
  const id = uid('filter');
  const input = h('input', { class: 'input', id, type: 'search', placeholder, autocomplete: 'off', spellcheck: 'false' });
  let timer = 0;
  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => onInput(input.value.trim()), DEBOUNCE_MS);
  });
  const el = h('div', { class: 'toolbar-field' }, h('label', { class: 'label', for: id }, label),
    h('div', { class: 'input-icon' }, icon(iconName), input));
  return { el, input };
}

export function renderContacts(container) {
  const state = { search: '', tag: '', offset: 0, seq: 0 };
  const slot = h('div', { class: 'table-slot' });
  const newButton = h('button', { class: 'btn btn-primary', type: 'button' }, icon('plus'), 'New contact');
  const filtered = () => Boolean(state.search || state.tag);

  const { load, pages } = pagedList({
    slot, state, label: 'Contact pages', loadingText: 'Loading contacts…',
    fetchPage: () => api.get('/api/contacts', { limit: PAGE_SIZE, offset: state.offset, search: state.search, tag: state.tag }),
    show: ({ contacts }) => {
      if (contacts.length) mount(slot, contactsTable(contacts, { onEdit, onDelete, onTag }));
      else mount(slot, filtered() ? emptyState('No contacts match your search.', 'Try another name, number or tag.')
        : emptyState('No contacts yet.', 'Add one, or they will appear as customers message you.'));
    },
  });
  const search = filterInput({ label: 'Search', placeholder: 'Name, phone or email', iconName: 'search',
    onInput: (v) => { state.search = v; state.offset = 0; load(); } });
  const tag = filterInput({ label: 'Tag', placeholder: 'Any tag', iconName: 'tag',
    onInput: (v) => { state.tag = v; state.offset = 0; load(); } });

  async function onEdit(contact) {
    const saved = await openContactForm(contact);
    if (!saved) return;
    toast(saved.message || 'Contact updated successfully');
    load();
  }
  async function onDelete(contact) {
    const ok = await confirmDialog({
      title: 'Delete this contact?', confirmLabel: 'Delete contact', busyLabel: 'Deleting…', danger: true,
      message: [h('p', {}, h('strong', {}, contact.name), ' will be removed from your contacts. This cannot be undone.')],
      action: async () => toast((await api.del(`/api/contacts/${encodeURIComponent(contact.id)}`)).message || 'Contact deleted successfully'),
    });
    if (!ok) return;
    if (state.offset > 0 && slot.querySelectorAll('tbody tr').length === 1) state.offset = Math.max(0, state.offset - PAGE_SIZE);
    load();
  }
  function onTag(value) {
    tag.input.value = value;
    state.tag = value;
    state.offset = 0;
    load();
  }
  newButton.addEventListener('click', async () => {
    const saved = await openContactForm();
    if (!saved) return;
    toast(saved.message || 'Contact created successfully');
    load();
  });

  mount(container,
    h('div', { class: 'page-header-row' },
      pageHeader('Contacts', 'The people this account talks to on WhatsApp.'), newButton),
    h('section', { class: 'card table-card' },
      h('div', { class: 'toolbar' }, search.el, tag.el),
      slot,
      h('div', { class: 'card-footer' }, pages.el)));
  load();
  return null;
}
