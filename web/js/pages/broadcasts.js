// Broadcasts (#/broadcasts): one approved template sent to many customers. The list shows each
// broadcast's status and progress, with a status filter and 50 per page; while one of them is
// running the list refreshes itself every few seconds (stopped when the page is left). Owners
// and admins start new ones with "New broadcast"; agents only watch.

import { statusFilter } from '../components/form.js';
import { h, mount } from '../dom.js';
import { api } from '../api.js';
import { icon } from '../icons.js';
import { session } from '../session.js';
import { navigate } from '../router.js';
import { plural } from '../format.js';
import { pageHeader } from '../components/page.js';
import { pager } from '../components/pager.js';
import { emptyState, errorState, loadingState } from '../components/states.js';
import { toast } from '../components/toast.js';
import { BROADCAST_STATUSES, skippedTotal } from './broadcast-status.js';
import { broadcastsTable } from './broadcasts-table.js';
import { openBroadcastForm } from './broadcast-form.js';

const URL = '/api/broadcasts';
const PAGE_SIZE = 50;
const POLL_MS = 3000;

function emptyList(filtered, admin) {
  if (filtered) return emptyState('No broadcasts with this status.', 'Choose "All statuses" to see every broadcast.');
  return emptyState('No broadcasts yet.', admin
    ? 'Send an approved template to many customers at once with "New broadcast".'
    : 'An owner or admin of this account can start a broadcast; its progress appears here.');
}

// "Broadcast started: 6 recipients (2 skipped)"; the server says "scheduled" for a later start.
function createdMessage(res) {
  const { totalRecipients, skipped } = res.data;
  return `${res.message || 'Broadcast started'}: ${plural(Number(totalRecipients) || 0, 'recipient')} `
    + `(${skippedTotal(skipped)} skipped)`;
}

async function startBroadcast() {
  const res = await openBroadcastForm();
  if (!res) return;
  navigate(`/broadcasts/${encodeURIComponent(res.data.broadcastId)}`);
  toast(createdMessage(res));
}

export function renderBroadcasts(container) {
  const admin = session.isAdmin;
  const state = { status: '', offset: 0, seq: 0, timer: 0, alive: true, running: false };
  const slot = h('div', { class: 'table-slot' });
  const refresh = h('button', { class: 'btn btn-secondary', type: 'button' }, icon('refresh'), 'Refresh');

  const load = async () => {
    window.clearTimeout(state.timer);
    state.seq += 1;
    const seq = state.seq;
    if (!slot.firstChild || slot.querySelector('.state')) mount(slot, loadingState('Loading broadcasts…'));
    slot.setAttribute('aria-busy', 'true');
    try {
      const res = await api.get(URL, { limit: PAGE_SIZE, offset: state.offset, status: state.status });
      if (seq !== state.seq || !state.alive) return;
      const { broadcasts, pagination } = res.data;
      pages.update(pagination);
      mount(slot, broadcasts.length ? broadcastsTable(broadcasts) : emptyList(Boolean(state.status), admin));
      state.running = broadcasts.some((b) => b.status === 'running');
      if (state.running) state.timer = window.setTimeout(poll, POLL_MS);
    } catch (err) {
      if (seq !== state.seq || !state.alive) return;
      pages.update({ total: 0 });
      if (!err.handled) mount(slot, errorState(err.message, load));
    } finally {
      if (seq === state.seq) slot.removeAttribute('aria-busy');
    }
  };
  // A hidden tab skips its refresh; coming back refreshes at once.
  const poll = () => { if (!document.hidden) load(); };
  const onVisible = () => { if (!document.hidden && state.running) load(); };
  document.addEventListener('visibilitychange', onVisible);
  const pages = pager({ label: 'Broadcast pages', onPage: (offset) => { state.offset = offset; load(); } });
  refresh.addEventListener('click', load);

  let create = null;
  if (admin) {
    create = h('button', { class: 'btn btn-primary', type: 'button' }, icon('plus'), 'New broadcast');
    create.addEventListener('click', startBroadcast);
  }

  mount(container,
    h('div', { class: 'page-header-row' },
      pageHeader('Broadcasts', 'Send an approved template to many customers at once, and follow every message.'),
      create),
    h('section', { class: 'card table-card' },
      h('div', { class: 'toolbar' },
        statusFilter('broadcast-status', BROADCAST_STATUSES, (value) => { state.status = value; state.offset = 0; load(); }),
        h('div', { class: 'toolbar-end' }, refresh)),
      slot,
      h('div', { class: 'card-footer' }, pages.el)));
  load();
  return () => {
    state.alive = false;
    window.clearTimeout(state.timer);
    document.removeEventListener('visibilitychange', onVisible);
  };
}
