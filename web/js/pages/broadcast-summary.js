// The parts of a broadcast's page that follow its state: why it stopped (statusReason: paused
// by a user, or by Pixels when Meta paused the number or the template), its details, and the
// live progress: the bar, the delivery funnel (broadcast-status.js) and what comes next (the
// ETA while it runs, the start time while it waits, when it finished).

import { h } from '../dom.js';
import { formatUptime, plural } from '../format.js';
import { formatDateTime } from '../time.js';
import { keyValues } from '../components/page.js';
import { broadcastProgress, funnel, SKIP_REASONS, skippedTotal } from './broadcast-status.js';

const REASON_KINDS = { paused: 'warning', failed: 'error', cancelled: 'info' };

export function reasonAlert(b) {
  const kind = REASON_KINDS[b.status];
  if (!b.statusReason || !kind) return null;
  return h('p', { class: `alert alert-${kind} broadcast-reason`, role: 'status' }, b.statusReason);
}

// "6 (2 skipped: 1 invalid phone number, 1 listed twice)".
function recipientsText(b) {
  const total = Number(b.totalRecipients) || 0;
  const skipped = b.skipped || {};
  const n = skippedTotal(skipped);
  if (!n) return String(total);
  const parts = Object.entries(SKIP_REASONS).filter(([key]) => Number(skipped[key]) > 0)
    .map(([key, label]) => `${skipped[key]} ${label.toLowerCase()}`);
  return `${total} (${n} skipped: ${parts.join(', ')})`;
}

export function summaryList(b) {
  const rows = [
    ['Template', b.templateName ? `${b.templateName} (${b.language})` : 'Text message'],
    ['Recipients', recipientsText(b)],
    ['From number', h('span', { class: 'mono' }, b.phoneNumberId || '—')],
    ['Pace', b.throttleMps ? `At most ${plural(b.throttleMps, 'message')} a second` : 'As fast as the number allows'],
    ['Created', formatDateTime(b.createdAt)],
  ];
  if (b.scheduleAt) rows.push(['Scheduled for', formatDateTime(b.scheduleAt)]);
  if (b.startedAt) rows.push(['Started', formatDateTime(b.startedAt)]);
  if (b.finishedAt) rows.push(['Finished', formatDateTime(b.finishedAt)]);
  return keyValues(rows);
}

function nextText(b, counts) {
  const p = b.progress || {};
  if (b.status === 'scheduled') return b.scheduleAt ? `Starts ${formatDateTime(b.scheduleAt)}.` : 'Starts shortly.';
  if (b.status === 'paused') return 'Paused: nothing more is sent until it is resumed.';
  if (b.status !== 'running') return b.finishedAt ? `Finished ${formatDateTime(b.finishedAt)}.` : '';
  const eta = Number(p.etaSeconds);
  const left = p.etaSeconds === null || p.etaSeconds === undefined || !Number.isFinite(eta)
    ? 'Estimating the time left…' : `About ${formatUptime(Math.max(1, Math.round(eta)))} left.`;
  return counts.accepted ? `${left} ${plural(counts.accepted, 'message')} handed to WhatsApp, awaiting its receipt.` : left;
}

const COUNTERS = [
  ['queued', 'Queued', 'Not handed to WhatsApp yet'],
  ['sent', 'Sent', 'Sent by WhatsApp, including those since delivered or read'],
  ['delivered', 'Delivered', 'Delivered to the phone, including those since read'],
  ['read', 'Read', 'Opened by the customer'],
  ['failed', 'Failed', 'Refused by WhatsApp or undeliverable'],
  ['skipped', 'Skipped', 'Not sent: invalid number or opted out'],
  ['cancelled', 'Cancelled', 'Never sent: the broadcast was cancelled'],
];

export function progressPanel(b) {
  const counts = funnel(b.progress);
  const shown = COUNTERS.filter(([key]) => key !== 'cancelled' || counts.cancelled > 0);
  return h('div', { class: 'broadcast-progress' },
    broadcastProgress(b),
    h('dl', { class: 'broadcast-counters' }, shown.map(([key, label, title]) => h('div', { class: ['broadcast-counter', `is-${key}`, !counts[key] && 'is-zero'], title },
      h('dt', {}, label),
      h('dd', { class: 'tabular' }, String(counts[key]))))),
    h('p', { class: 'broadcast-next muted' }, nextText(b, counts)));
}
