// Broadcast and recipient statuses as the dashboard shows them: coloured badges (the tones of
// the other pages: blue while working, amber when held, green when done, red when failed), the
// labels of the status filters, the progress bar, and the delivery funnel. The API counts each
// message once, in its latest state (a read message is no longer "sent"); the funnel adds them
// up the way WhatsApp Manager reports a campaign: Sent includes what was later delivered or
// read, Delivered includes what was read.

import { capitalize } from '../format.js';
import { badge } from '../components/page.js';
import { progressBar } from '../components/progress.js';

// [status, label, badge tone], in the order of a broadcast's life.
export const BROADCAST_STATUSES = [
  ['scheduled', 'Scheduled', 'info'],
  ['running', 'Running', 'primary'],
  ['paused', 'Paused', 'warning'],
  ['completed', 'Completed', 'success'],
  ['cancelled', 'Cancelled', 'neutral'],
  ['failed', 'Failed', 'danger'],
];

// Broadcasts that may still change by themselves: the pages poll these.
export const ACTIVE_STATUSES = new Set(['scheduled', 'running', 'paused']);

// A recipient's state: its own (pending, skipped, cancelled) or its message's.
export const RECIPIENT_STATUSES = [
  ['pending', 'Pending', 'neutral'],
  ['queued', 'Queued', 'neutral'],
  ['accepted', 'Accepted', 'primary'],
  ['sent', 'Sent', 'primary'],
  ['delivered', 'Delivered', 'success'],
  ['read', 'Read', 'success'],
  ['failed', 'Failed', 'danger'],
  ['skipped', 'Skipped', 'warning'],
  ['cancelled', 'Cancelled', 'neutral'],
];

export const SKIP_REASONS = {
  invalidPhone: 'Invalid phone number',
  duplicate: 'Listed twice',
  optedOut: 'Opted out',
  outsideWindow: 'Outside the 24-hour window',
};

function statusBadge(list, status) {
  const known = list.find(([value]) => value === status);
  return known ? badge(known[1], known[2]) : badge(capitalize(status || 'unknown'), 'neutral');
}

export const broadcastBadge = (status) => statusBadge(BROADCAST_STATUSES, status);
export const recipientBadge = (status) => statusBadge(RECIPIENT_STATUSES, status);

const BAR_TONES = { completed: 'success', paused: 'warning', failed: 'danger', cancelled: 'neutral' };

export function broadcastProgress(b, { compact = false } = {}) {
  const p = b.progress || {};
  return progressBar(p.percent, { label: `Progress of ${b.name}`, tone: BAR_TONES[b.status] || 'primary', compact });
}

// progress -> { queued, sent, delivered, read, failed, skipped, cancelled, accepted, total }.
export function funnel(progress = {}) {
  const n = (key) => Number(progress[key]) || 0;
  return {
    total: n('total'),
    queued: n('queued'),
    accepted: n('accepted'),
    sent: n('sent') + n('delivered') + n('read'),
    delivered: n('delivered') + n('read'),
    read: n('read'),
    failed: n('failed'),
    skipped: n('skipped'),
    cancelled: n('cancelled'),
  };
}

// Everything the server set aside when the broadcast was created (all skip reasons).
export function skippedTotal(skipped = {}) {
  return Object.keys(SKIP_REASONS).reduce((sum, key) => sum + (Number(skipped[key]) || 0), 0);
}
