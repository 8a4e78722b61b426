// The contacts table: name with initials, phone as +digits, email, tags as chips (a click
// filters by that tag), created date, and per-row Edit / Delete buttons named after the contact.

import { h } from '../dom.js';
import { icon } from '../icons.js';
import { formatPhone, initials } from '../format.js';
import { formatDate, formatDateTime } from '../time.js';
import { dataTable } from '../components/table.js';

function tagChips(tags, onTag) {
  if (!tags.length) return h('span', { class: 'muted' }, '—');
  return h('div', { class: 'chips' }, tags.map((tag) => h('button', {
    class: 'chip', type: 'button', title: `Show contacts tagged "${tag}"`, onclick: () => onTag(tag),
  }, tag)));
}

function rowActions(contact, { onEdit, onDelete }) {
  return h('div', { class: 'row-actions' },
    h('button', { class: 'icon-btn icon-btn-sm', type: 'button', 'aria-label': `Edit ${contact.name}`, title: 'Edit',
      onclick: () => onEdit(contact) }, icon('edit')),
    h('button', { class: 'icon-btn icon-btn-sm icon-btn-danger', type: 'button', 'aria-label': `Delete ${contact.name}`,
      title: 'Delete', onclick: () => onDelete(contact) }, icon('trash')));
}

export function contactsTable(contacts, handlers) {
  return dataTable({
    label: 'Contacts',
    items: contacts,
    rowClass: (c) => (c.optedOut ? 'row-muted' : null),
    columns: [
      { title: 'Name', cell: (c) => h('div', { class: 'name-cell' },
        h('span', { class: 'avatar avatar-sm', 'aria-hidden': 'true' }, initials(c.name)),
        h('span', { class: 'cell-stack' }, h('span', { class: 'strong' }, c.name),
          c.optedOut ? h('span', { class: 'muted small' }, 'Opted out') : null)) },
      { title: 'Phone', cell: (c) => h('span', { class: 'nowrap tabular' }, formatPhone(c.phone)) },
      { title: 'Email', cell: (c) => (c.email ? c.email : h('span', { class: 'muted' }, '—')) },
      { title: 'Tags', cell: (c) => tagChips(c.tags || [], handlers.onTag) },
      { title: 'Created', className: 'col-date', cell: (c) => h('time', { title: formatDateTime(c.createdAt) }, formatDate(c.createdAt)) },
      { title: h('span', { class: 'visually-hidden' }, 'Actions'), className: 'col-actions', cell: (c) => rowActions(c, handlers) },
    ],
  });
}
