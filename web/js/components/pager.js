// Previous/Next pagination under a table: "Showing 1–50 of 120". The owner keeps the offset;
// onPage(newOffset) is called when a button is pressed, update(pagination) after each load.
// pagedList adds the loading cycle the list pages share.

import { h, mount } from '../dom.js';
import { errorState, loadingState } from './states.js';

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

// One paged list's loading cycle: fetchPage() (reading state.offset) answers {data} with a
// pagination; show(data) renders it into slot. A newer load supersedes an older one
// (state.seq); the slot shows "loading" only when it holds no list, is aria-busy meanwhile,
// and shows the error with a retry. Returns { load, pages } (pages.el goes under the list).
export function pagedList({ slot, state, label, loadingText, fetchPage, show }) {
  const load = async () => {
    state.seq += 1;
    const seq = state.seq;
    if (!slot.firstChild || slot.querySelector('.state')) mount(slot, loadingState(loadingText));
    slot.setAttribute('aria-busy', 'true');
    try {
      const res = await fetchPage();
      if (seq !== state.seq || !slot.isConnected) return;
      pages.update(res.data.pagination);
      show(res.data);
    } catch (err) {
      if (seq !== state.seq || !slot.isConnected) return;
      pages.update({ total: 0 });
      if (!err.handled) mount(slot, errorState(err.message, load));
    } finally {
      if (seq === state.seq) slot.removeAttribute('aria-busy');
    }
  };
  const pages = pager({ label, onPage: (offset) => { state.offset = offset; load(); } });
  return { load, pages };
}
