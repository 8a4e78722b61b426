// The templates table: name (with its category and language under it), status (with Meta's
// reason under a rejected one), the body, how often it was sent and when it last changed.
// Owners and admins also get per-row actions named after the template: Submit (drafts), Edit
// (drafts and rejected ones; approved templates cannot change) and Delete.

import { h } from '../dom.js';
import { icon } from '../icons.js';
import { capitalize } from '../format.js';
import { formatDateTime, isoAttr, relativeTime } from '../time.js';
import { dataTable } from '../components/table.js';
import { EDITABLE_STATUSES, statusBadge } from './template-status.js';

function statusCell(t) {
  return h('div', { class: 'cell-stack' },
    statusBadge(t.status),
    t.status === 'rejected' && t.rejectedReason
      ? h('span', { class: 'template-reason' }, icon('alert'), h('span', {}, `Reason: ${t.rejectedReason}`)) : null);
}

function usageCell(t) {
  const title = t.lastUsedAt ? `Last sent ${formatDateTime(t.lastUsedAt)}` : 'Never sent';
  return h('span', { class: 'tabular', title }, String(t.usageCount || 0));
}

function rowActions(t, { onSubmit, onEdit, onDelete }) {
  return h('div', { class: 'row-actions' },
    t.status === 'draft' ? h('button', { class: 'btn btn-secondary btn-sm', type: 'button', 'aria-label': `Submit ${t.name}`,
      title: 'Submit to Meta for review', onclick: (e) => onSubmit(t, e.currentTarget) }, 'Submit') : null,
    EDITABLE_STATUSES.has(t.status) ? h('button', { class: 'icon-btn icon-btn-sm', type: 'button', 'aria-label': `Edit ${t.name}`,
      title: 'Edit', onclick: () => onEdit(t) }, icon('edit')) : null,
    h('button', { class: 'icon-btn icon-btn-sm icon-btn-danger', type: 'button', 'aria-label': `Delete ${t.name}`,
      title: 'Delete', onclick: () => onDelete(t) }, icon('trash')));
}

// handlers: { onSubmit(t, button), onEdit(t), onDelete(t) }, or null for read-only rows.
export function templatesTable(templates, handlers) {
  const columns = [
    { title: 'Name', cell: (t) => h('div', { class: 'cell-stack' },
      h('span', { class: 'strong template-name' }, t.name),
      h('span', { class: 'muted small' }, h('span', { title: 'Category' }, capitalize(String(t.category || '').toLowerCase())),
        ' · ', h('span', { title: 'Language' }, t.language))) },
    { title: 'Status', cell: statusCell },
    { title: 'Body', cell: (t) => h('p', { class: 'template-body', title: t.content }, t.content) },
    { title: 'Sent', className: 'col-number', cell: usageCell },
    { title: 'Updated', className: 'col-date', cell: (t) => h('time', { datetime: isoAttr(t.updatedAt),
      title: formatDateTime(t.updatedAt) }, relativeTime(t.updatedAt)) },
  ];
  if (handlers) {
    columns.push({ title: h('span', { class: 'visually-hidden' }, 'Actions'), className: 'col-actions',
      cell: (t) => rowActions(t, handlers) });
  }
  return dataTable({ label: 'Templates', columns, items: templates });
}
