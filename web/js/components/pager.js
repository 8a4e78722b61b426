// Previous/Next pagination under a table: "Showing 1–50 of 120". The owner keeps the offset;
// onPage(newOffset) is called when a button is pressed, update(pagination) after each load.

import { h } from '../dom.js';

export function pager({ label = 'Pagination', onPage }) {
  const summary = h('p', { class: 'pager-summary', 'aria-live': 'polite' });
  const prev = h('button', { class: 'btn btn-secondary btn-sm', type: 'button' }, 'Previous');
  const next = h('button', { class: 'btn btn-secondary btn-sm', type: 'button' }, 'Next');
  const el = h('nav', { class: 'pager', 'aria-label': label }, summary, h('div', { class: 'pager-buttons' }, prev, next));
  let state = { total: 0, limit: 50, offset: 0 };
  prev.addEventListener('click', () => onPage(Math.max(0, state.offset - state.limit)));
  next.addEventListener('click', () => onPage(state.offset + state.limit));
  return {
    el,
    update({ total = 0, limit = 50, offset = 0, hasMore } = {}) {
      state = { total, limit, offset };
      const first = total === 0 ? 0 : offset + 1;
      const last = Math.min(offset + limit, total);
      summary.textContent = total === 0 ? 'No results' : `Showing ${first}–${last} of ${total}`;
      prev.disabled = offset <= 0;
      next.disabled = hasMore === undefined ? last >= total : !hasMore;
      el.hidden = total === 0;
    },
  };
}
