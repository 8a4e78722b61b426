// The broadcasts table: name (a link to the broadcast, with its recipient count under it), the
// template, status (with when it starts, or why it stopped), a progress bar, the delivery
// funnel (sent, delivered, read, failed) and when it was created. A click anywhere on a row
// opens the broadcast, like its name's link.

import { h } from '../dom.js';
import { plural } from '../format.js';
import { formatDateTime, isoAttr, relativeTime } from '../time.js';
import { dataTable } from '../components/table.js';
import { broadcastBadge, broadcastProgress, funnel } from './broadcast-status.js';

export function broadcastHref(b) {
  return `#/broadcasts/${encodeURIComponent(b.id)}`;
}

function statusCell(b) {
  let note = null;
  if (b.status === 'scheduled' && b.scheduleAt) note = `Starts ${formatDateTime(b.scheduleAt)}`;
  else if (b.statusReason && b.status !== 'completed') note = b.statusReason;
  return h('div', { class: 'cell-stack' }, broadcastBadge(b.status),
    note ? h('span', { class: 'muted small broadcast-note' }, note) : null);
}

function count(value, className = '') {
  return h('span', { class: `tabular ${className}`.trim() }, String(value));
}

export function broadcastsTable(broadcasts) {
  const counts = (b) => funnel(b.progress);
  const table = dataTable({
    label: 'Broadcasts',
    items: broadcasts,
    rowClass: () => 'row-link',
    columns: [
      { title: 'Name', className: 'col-name', cell: (b) => h('div', { class: 'cell-stack' },
        h('a', { class: 'strong broadcast-link', href: broadcastHref(b) }, b.name),
        h('span', { class: 'muted small' }, plural(Number(b.totalRecipients) || 0, 'recipient'))) },
      { title: 'Template', cell: (b) => (b.templateName
        ? h('span', { class: 'cell-stack' }, h('span', { class: 'nowrap' }, b.templateName),
          h('span', { class: 'muted small' }, b.language || ''))
        : h('span', { class: 'muted' }, 'Text message')) },
      { title: 'Status', cell: statusCell },
      { title: 'Progress', className: 'col-progress', cell: (b) => broadcastProgress(b, { compact: true }) },
      { title: 'Sent', className: 'col-number col-count', cell: (b) => count(counts(b).sent) },
      { title: 'Delivered', className: 'col-number col-count', cell: (b) => count(counts(b).delivered) },
      { title: 'Read', className: 'col-number col-count', cell: (b) => count(counts(b).read) },
      { title: 'Failed', className: 'col-number col-count', cell: (b) => count(counts(b).failed, counts(b).failed ? 'text-danger' : '') },
      { title: 'Created', className: 'col-date', cell: (b) => h('time', { datetime: isoAttr(b.createdAt),
        title: formatDateTime(b.createdAt) }, relativeTime(b.createdAt)) },
    ],
  });
  // The whole row opens the broadcast; its link stays the keyboard and screen reader way in.
  table.addEventListener('click', (event) => {
    const row = event.target.closest('tbody tr');
    if (!row || event.target.closest('a, button') || window.getSelection().toString()) return;
    const link = row.querySelector('.broadcast-link');
    if (link) link.click();
  });
  return table;
}
