// A broadcast's per-recipient report, in the order the recipients were given: phone, name,
// status (with WhatsApp's error under a failed one and the reason under a skipped one) and when
// the message last changed; a status filter, 50 per page and "Download report (CSV)" (a plain
// link: the browser sends the session cookie and saves the file). reload() redraws the current
// page in place while the broadcast progresses.

import { h, mount, uid } from '../dom.js';
import { api } from '../api.js';
import { icon } from '../icons.js';
import { formatPhone } from '../format.js';
import { formatDateTime, isoAttr, relativeTime } from '../time.js';
import { dataTable } from '../components/table.js';
import { pagedList } from '../components/pager.js';
import { emptyState } from '../components/states.js';
import { RECIPIENT_STATUSES, recipientBadge, SKIP_REASONS } from './broadcast-status.js';

const PAGE_SIZE = 50;

function statusSelect(onChange) {
  const id = uid('recipient-status');
  const select = h('select', { class: 'input select', id },
    h('option', { value: '' }, 'All recipients'),
    RECIPIENT_STATUSES.map(([value, label]) => h('option', { value }, label)));
  select.addEventListener('change', () => onChange(select.value));
  return h('div', { class: 'toolbar-field' }, h('label', { class: 'label', for: id }, 'Recipient status'), select);
}

// WhatsApp's error: "Message undeliverable (131026)", then its longer message when it says more.
function errorText(error) {
  const title = error.title || error.message || 'Failed';
  return [h('span', { class: 'strong' }, `${title}${error.code ? ` (${error.code})` : ''}`),
    error.message && error.message !== title ? h('span', {}, error.message) : null];
}

function statusCell(r) {
  let note = null;
  if (r.status === 'failed' && r.error) note = h('span', { class: 'broadcast-error cell-stack' }, errorText(r.error));
  else if (r.status === 'skipped' && r.skipReason) note = h('span', { class: 'muted small' }, SKIP_REASONS[r.skipReason] || r.skipReason);
  return h('div', { class: 'cell-stack' }, recipientBadge(r.status), note);
}

function lastChange(r) {
  const t = r.timestamps || {};
  return t.failedAt || t.readAt || t.deliveredAt || t.sentAt || t.acceptedAt || null;
}

function recipientsTable(recipients) {
  return dataTable({
    label: 'Recipients',
    items: recipients,
    columns: [
      { title: '#', className: 'col-seq', cell: (r) => h('span', { class: 'muted tabular' }, String(r.seq + 1)) },
      { title: 'Phone', cell: (r) => h('span', { class: 'nowrap tabular' },
        r.skipReason === 'invalidPhone' ? r.phone : formatPhone(r.phone)) },
      { title: 'Name', cell: (r) => (r.name ? r.name : h('span', { class: 'muted' }, '—')) },
      { title: 'Status', cell: statusCell },
      { title: 'Updated', className: 'col-date', cell: (r) => (lastChange(r)
        ? h('time', { datetime: isoAttr(lastChange(r)), title: formatDateTime(lastChange(r)) }, relativeTime(lastChange(r)))
        : h('span', { class: 'muted' }, '—')) },
    ],
  });
}

export function recipientReport(broadcastId) {
  const base = `/api/broadcasts/${encodeURIComponent(broadcastId)}`;
  const state = { status: '', offset: 0, seq: 0 };
  const slot = h('div', { class: 'table-slot' });

  const { load, pages } = pagedList({
    slot, state, label: 'Recipient pages', loadingText: 'Loading recipients…',
    fetchPage: () => api.get(`${base}/recipients`, { limit: PAGE_SIZE, offset: state.offset, status: state.status }),
    show: ({ recipients }) => mount(slot, recipients.length ? recipientsTable(recipients) : emptyState(state.status
      ? 'No recipients with this status.' : 'No recipients.', state.status ? 'Choose "All recipients" to see everyone.' : null)),
  });
  const download = h('a', { class: 'btn btn-secondary', href: `${base}/report.csv`, download: `broadcast-${broadcastId}.csv` },
    icon('file'), 'Download report (CSV)');

  const titleId = uid('report-title');
  const el = h('section', { class: 'card table-card', 'aria-labelledby': titleId },
    h('div', { class: 'card-header broadcast-report-header' },
      h('div', {}, h('h2', { class: 'card-title', id: titleId }, 'Recipients'),
        h('p', { class: 'card-subtitle' }, 'Every recipient in the order given, with what happened to their message.')),
      download),
    h('div', { class: 'toolbar' }, statusSelect((value) => { state.status = value; state.offset = 0; load(); })),
    slot,
    h('div', { class: 'card-footer' }, pages.el));
  load();
  return { el, reload: load };
}
