// Conversations (#/conversations[/:id]): the list on the left, the open thread on the right
// (one at a time on small screens, with a back button). Every 3 s the list and the open thread
// are refreshed in place: scroll positions and the draft survive. Opening a conversation marks
// it read (PATCH .../read, which also sends WhatsApp's read receipt). Selecting changes the
// address with replaceState, so it does not re-render the page.

import { h, mount } from '../dom.js';
import { api } from '../api.js';
import { icon } from '../icons.js';
import { session } from '../session.js';
import { pageHeader } from '../components/page.js';
import { emptyState, errorState, loadingState } from '../components/states.js';
import { toast } from '../components/toast.js';
import { conversationList, listToolbar } from './conversation-list.js';
import { createThread } from './conversation-thread.js';
import { conversationsEmpty, noSelection } from './conversations-empty.js';
import { openNewMessage } from './new-message.js';

const POLL_MS = 3000;
const PAGE_SIZE = 50;
const MAX_PAGE = 100; // the API's largest page
const WIDE = window.matchMedia('(min-width: 769px)');

// The account's numbers (owners and admins only): which are the Sandbox, for labels.
async function loadNumbers() {
  if (!session.isAdmin) return { sandbox: false, ids: new Set(), sandboxNumberId: null, numbers: null };
  try {
    const res = await api.get('/api/settings/phone-numbers');
    const sandboxes = (res.phoneNumbers || []).filter((n) => n.sandbox);
    return { sandbox: Boolean(res.sandbox), ids: new Set(sandboxes.map((n) => n.phoneNumberId)),
      sandboxNumberId: sandboxes.length ? sandboxes[0].phoneNumberId : null, numbers: (res.phoneNumbers || []).length };
  } catch {
    return { sandbox: false, ids: new Set(), sandboxNumberId: null, numbers: null };
  }
}

export function renderConversations(container, { params = {} } = {}) {
  const state = { search: '', status: '', limit: PAGE_SIZE, list: [], total: 0, drawn: '', seq: 0, alive: true,
    selectedId: params.id || null, thread: null, mainKind: '', timer: 0, run: 0, numbers: null, reading: new Set() };
  const listSlot = h('div', { class: 'conv-list-slot' }, loadingState('Loading conversations…'));
  const more = h('button', { class: 'btn btn-ghost btn-sm conv-more', type: 'button', hidden: true }, 'Show more conversations');
  const offline = h('p', { class: 'conv-offline', role: 'status', hidden: true });
  const main = h('div', { class: 'conv-main' });
  const layout = h('div', { class: 'card conv-layout' },
    h('div', { class: 'conv-sidebar' }, listToolbar({ onSearch, onStatus }), offline, listSlot, more), main);
  const newButton = h('button', { class: 'btn btn-primary', type: 'button' }, icon('plus'), 'New message');
  const isSandbox = (conv) => Boolean(state.numbers && state.numbers.ids.has(conv.phoneNumberId));

  async function fetchList() {
    const all = [];
    let total = 0;
    for (let offset = 0; offset < state.limit;) {
      const res = await api.get('/api/conversations', { limit: Math.min(MAX_PAGE, state.limit - offset), offset,
        search: state.search, status: state.status });
      all.push(...res.data.conversations);
      total = res.data.pagination.total;
      offset += res.data.conversations.length;
      if (res.data.conversations.length === 0 || offset >= total) break;
    }
    return { all, total };
  }

  function drawList() {
    const minute = Math.floor(Date.now() / 60000); // ages ("5m") move on even without new data
    const sig = JSON.stringify([state.list, state.selectedId, minute, state.numbers && state.numbers.ids.size]);
    if (sig === state.drawn) return;
    state.drawn = sig;
    const focusedId = document.activeElement && listSlot.contains(document.activeElement)
      ? document.activeElement.dataset.id : null;
    const top = listSlot.scrollTop;
    const filtered = Boolean(state.search || state.status);
    if (state.list.length) mount(listSlot, conversationList(state.list, { selectedId: state.selectedId, isSandbox, onSelect: select }));
    else mount(listSlot, emptyState(filtered ? 'No conversations match.' : 'No conversations yet.',
      filtered ? 'Try another name or number, or show all conversations.' : 'Customers\' messages appear here.'));
    listSlot.scrollTop = top;
    if (focusedId) { const el = listSlot.querySelector(`[data-id="${CSS.escape(focusedId)}"]`); if (el) el.focus(); }
    more.hidden = state.list.length >= state.total;
    const empty = !state.list.length && !filtered;
    layout.classList.toggle('is-empty', empty);
    const kind = empty ? 'empty' : 'pick';
    if (!state.thread && state.mainKind !== kind) { // redrawn only when it changes: keeps a text selection
      state.mainKind = kind;
      mount(main, empty ? conversationsEmpty({ ...(state.numbers || {}), isAdmin: session.isAdmin }) : noSelection());
    }
  }

  async function markRead(conv) {
    if (conv.unreadCount <= 0 || document.hidden || state.reading.has(conv.id)) return;
    state.reading.add(conv.id);
    try {
      await api.patch(`/api/conversations/${encodeURIComponent(conv.id)}/read`);
      conv.unreadCount = 0;
      drawList();
    } catch (err) {
      if (!err.handled) toast(`Could not mark the conversation as read: ${err.message}`, 'error');
    } finally {
      state.reading.delete(conv.id);
    }
  }

  function setAddress(id) {
    window.history.replaceState(null, '', id ? `#/conversations/${encodeURIComponent(id)}` : '#/conversations');
  }

  function select(conv) {
    if (state.thread && state.thread.conv.id === conv.id) {
      layout.classList.add('is-thread-open');
      return;
    }
    state.selectedId = conv.id;
    setAddress(conv.id);
    state.thread = createThread(conv, { sandbox: isSandbox, onBack: back, onChanged: () => refreshList().catch(() => {}) });
    mount(main, state.thread.el);
    state.mainKind = 'thread';
    layout.classList.add('is-thread-open');
    const thread = state.thread;
    // Straight to the reply box, except on phones where focusing would pop the keyboard up.
    thread.refresh().then(() => { if (WIDE.matches) thread.focus(); }).catch((err) => {
      if (!err.handled && state.thread === thread) mount(main, errorState(err.message, () => { state.thread = null; select(conv); }));
    });
    markRead(conv);
    drawList();
  }

  function back() {
    const id = state.selectedId;
    state.selectedId = null;
    state.thread = null;
    setAddress(null);
    layout.classList.remove('is-thread-open');
    drawList();
    const item = listSlot.querySelector(`[data-id="${CSS.escape(id || '')}"]`);
    if (item) item.focus();
  }

  // The list again; keeps the open thread's header in step with it (window, status, unread).
  async function refreshList() {
    state.seq += 1;
    const seq = state.seq;
    const { all, total } = await fetchList();
    if (seq !== state.seq || !state.alive) return;
    state.list = all;
    state.total = total;
    drawList();
    const open = state.thread && all.find((c) => c.id === state.thread.conv.id);
    if (open) {
      state.thread.update(open);
      markRead(open);
    }
  }

  async function tick() {
    if (!state.alive) return;
    window.clearTimeout(state.timer);
    state.run += 1; // a newer tick (filter change) supersedes this one's schedule
    const run = state.run;
    if (!document.hidden) {
      try {
        await refreshList();
        if (state.thread) await state.thread.refresh();
        offline.hidden = true;
      } catch (err) {
        if (err.handled || !state.alive) return; // signed out: the login page takes over
        offline.textContent = `${err.message} Retrying…`;
        offline.hidden = false;
      }
    }
    if (state.alive && run === state.run) state.timer = window.setTimeout(tick, POLL_MS);
  }

  function onSearch(text) { state.search = text; state.limit = PAGE_SIZE; tick(); }
  function onStatus(status) { state.status = status; state.limit = PAGE_SIZE; tick(); }
  more.addEventListener('click', () => { state.limit += PAGE_SIZE; tick(); });
  const onVisible = () => { if (!document.hidden) tick(); };
  document.addEventListener('visibilitychange', onVisible);

  newButton.addEventListener('click', async () => {
    const sent = await openNewMessage();
    if (!sent || !state.alive) return;
    toast('Message sent');
    await refreshList().catch(() => {});
    const conv = state.list.find((c) => c.userPhone === sent.phone);
    if (conv) select(conv);
  });

  async function start() {
    state.numbers = await loadNumbers();
    try {
      await refreshList();
    } catch (err) {
      if (!err.handled && state.alive) mount(listSlot, errorState(err.message, start));
      return;
    }
    if (state.selectedId && !state.thread) {
      const conv = state.list.find((c) => c.id === state.selectedId)
        || await api.get(`/api/conversations/${encodeURIComponent(state.selectedId)}`).then((r) => r.data).catch(() => null);
      if (conv && state.alive) select(conv);
      else { state.selectedId = null; setAddress(null); drawList(); }
    }
    if (!state.run) state.timer = window.setTimeout(tick, POLL_MS);
  }

  mount(container, h('div', { class: 'conv-page' },
    h('div', { class: 'page-header-row' }, pageHeader('Conversations', 'Read and answer your customers on WhatsApp.'), newButton),
    layout));
  mount(main, loadingState('Loading…'));
  start();
  return () => {
    state.alive = false;
    window.clearTimeout(state.timer);
    document.removeEventListener('visibilitychange', onVisible);
  };
}
