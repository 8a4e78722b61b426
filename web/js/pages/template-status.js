// Template statuses as the dashboard shows them: a coloured badge per status, the labels of
// the status filter, and the counts above the list (GET /api/templates answers them as stats).

import { h } from '../dom.js';
import { capitalize } from '../format.js';
import { badge } from '../components/page.js';

// [status, label, badge tone], in the order of a template's life.
export const TEMPLATE_STATUSES = [
  ['draft', 'Draft', 'neutral'],
  ['pending', 'Pending', 'primary'],
  ['approved', 'Approved', 'success'],
  ['rejected', 'Rejected', 'danger'],
  ['paused', 'Paused', 'warning'],
  ['disabled', 'Disabled', 'danger'],
];

// Only these can be changed; Meta keeps approved templates as they are.
export const EDITABLE_STATUSES = new Set(['draft', 'rejected']);

export function statusBadge(status) {
  const known = TEMPLATE_STATUSES.find(([value]) => value === status);
  return known ? badge(known[1], known[2]) : badge(capitalize(status || 'unknown'), 'neutral');
}

const STAT_TILES = [
  ['approved', 'Approved'],
  ['pending', 'Pending'],
  ['rejected', 'Rejected'],
  ['draft', 'Drafts'],
  ['total', 'Total'],
];

// stats: { approved, pending, rejected, draft, paused, disabled, total }.
export function templateStats(stats) {
  return h('dl', { class: 'template-stats' },
    STAT_TILES.map(([key, label]) => h('div', { class: `template-stat is-${key}` },
      h('dt', {}, label),
      h('dd', {}, String(Number(stats[key]) || 0)))));
}
