// One broadcast (#/broadcasts/:id): its name, status and why it stopped, its details, the live
// progress and the per-recipient report. While it is scheduled, running or paused the page
// asks the server every 2 s and redraws in place (the report too, when the counts moved);
// polling stops once the broadcast finished (Refresh then brings later receipts), while the
// browser tab is hidden, and when the page is left. Owners and admins get Pause / Resume /
// Cancel (broadcast-actions.js).

import { h, mount } from '../dom.js';
import { api } from '../api.js';
import { icon } from '../icons.js';
import { session } from '../session.js';
import { card } from '../components/page.js';
import { emptyState, errorState, loadingState } from '../components/states.js';
import { ACTIVE_STATUSES, broadcastBadge } from './broadcast-status.js';
import { progressPanel, reasonAlert, summaryList } from './broadcast-summary.js';
import { broadcastActions } from './broadcast-actions.js';
import { recipientReport } from './broadcast-report.js';

const POLL_MS = 2000;

function backLink() {
  return h('a', { class: 'link-arrow broadcast-back', href: '#/broadcasts' }, icon('arrowLeft'), 'All broadcasts');
}

export function renderBroadcastDetail(container, { params }) {
  const url = `/api/broadcasts/${encodeURIComponent(params.id)}`;
  const state = { b: null, alive: true, timer: 0, run: 0, version: 0, shownStatus: '', moved: '' };
  const title = h('h1', { class: 'page-title broadcast-title' });
  const badgeSlot = h('span', { class: 'broadcast-badge' });
  const subtitle = h('p', { class: 'page-subtitle' });
  const actionsSlot = h('div', { class: 'broadcast-actions-slot' });
  const reasonSlot = h('div', { class: 'broadcast-reason-slot' });
  const details = h('div');
  const progress = h('div');
  const offline = h('p', { class: 'alert alert-warning', role: 'status', hidden: true });
  // Receipts (delivered, read) keep coming after a broadcast finished, when polling has stopped.
  const refresh = h('button', { class: 'btn btn-secondary btn-sm', type: 'button', onclick: () => poll() },
    icon('refresh'), 'Refresh');
  let report = null;

  const onChanged = (b) => {
    state.version += 1; // an answer to an earlier poll must not undo this
    state.shownStatus = ''; // redraw the buttons (setBusy dropped their icons)
    if (b) draw(b);
    poll();
  };

  function draw(b) {
    const first = !state.b;
    state.b = b;
    title.textContent = b.name;
    mount(badgeSlot, broadcastBadge(b.status));
    subtitle.textContent = b.templateName ? `Template ${b.templateName} (${b.language})` : 'Text message';
    mount(reasonSlot, reasonAlert(b));
    mount(details, summaryList(b));
    mount(progress, progressPanel(b));
    if (session.isAdmin && state.shownStatus !== b.status) mount(actionsSlot, broadcastActions(b, { onChanged }));
    state.shownStatus = b.status;
    const moved = JSON.stringify([b.status, b.progress]);
    if (!first && moved !== state.moved && report) report.reload();
    state.moved = moved;
  }

  async function poll() {
    if (!state.alive) return;
    window.clearTimeout(state.timer);
    state.run += 1; // a newer poll (after an action) supersedes this one's schedule
    const run = state.run;
    const version = state.version;
    if (!document.hidden) {
      try {
        const res = await api.get(url);
        if (!state.alive || version !== state.version) return;
        draw(res.data.broadcast);
        offline.hidden = true;
      } catch (err) {
        if (err.handled || !state.alive) return;
        offline.textContent = `${err.message} Retrying…`;
        offline.hidden = false;
      }
    }
    if (state.alive && run === state.run && ACTIVE_STATUSES.has(state.b.status)) state.timer = window.setTimeout(poll, POLL_MS);
  }

  function layout() {
    report = recipientReport(params.id);
    mount(container,
      backLink(),
      h('div', { class: 'page-header-row broadcast-header' },
        h('header', { class: 'page-header' }, h('div', { class: 'broadcast-title-row' }, title, badgeSlot), subtitle),
        actionsSlot),
      offline, reasonSlot,
      h('div', { class: 'broadcast-grid' },
        card({ title: 'Progress', body: progress, actions: refresh }),
        card({ title: 'Details', body: details })),
      report.el);
  }

  async function start() {
    mount(container, backLink(), loadingState('Loading broadcast…'));
    try {
      const res = await api.get(url);
      if (!state.alive) return;
      layout();
      draw(res.data.broadcast);
      document.title = `${res.data.broadcast.name} · Pixels`;
    } catch (err) {
      if (err.handled || !state.alive) return;
      mount(container, backLink(), err.code === 'BROADCAST_NOT_FOUND'
        ? emptyState('This broadcast does not exist.', 'It may belong to another account. Go back to the list of broadcasts.')
        : errorState(err.message, start));
      return;
    }
    if (ACTIVE_STATUSES.has(state.b.status)) state.timer = window.setTimeout(poll, POLL_MS);
  }

  const onVisible = () => { if (!document.hidden && state.b && ACTIVE_STATUSES.has(state.b.status)) poll(); };
  document.addEventListener('visibilitychange', onVisible);
  start();
  return () => {
    state.alive = false;
    window.clearTimeout(state.timer);
    document.removeEventListener('visibilitychange', onVisible);
  };
}
