// The open conversation: header (customer, window state, close/reopen), the messages grouped
// by day, and the reply box. refresh() reloads the newest page and redraws only when
// something changed, keeping the scroll position (or following the bottom when the reader
// was there) and never touching the draft. Older pages load on demand and are merged by id.

import { h, mount } from '../dom.js';
import { api } from '../api.js';
import { icon } from '../icons.js';
import { dayKey, dayLabel } from '../time.js';
import { messageBubble } from './message-bubble.js';
import { replyBox } from './reply-box.js';
import { threadHeader } from './thread-header.js';

const PAGE_SIZE = 50;
const NEAR_BOTTOM_PX = 48;

function byTime(a, b) {
  const d = new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime();
  return d !== 0 ? d : String(a.messageId).localeCompare(String(b.messageId));
}

function signature(messages, pending) {
  return JSON.stringify([messages.map((m) => [m.messageId, m.status, m.error && m.error.code]), pending.length]);
}

// conv: the conversation from the list; ctx: { sandbox, onBack, onChanged(conv) }.
export function createThread(conv, ctx) {
  const base = `/api/conversations/${encodeURIComponent(conv.id)}`;
  const known = new Map(); // messageId -> message
  const pending = []; // messages being sent, shown with a clock until the server has them
  let total = 0;
  let drawnSig = '';
  let current = conv;

  const scroller = h('div', { class: 'thread-scroll', tabindex: '0', role: 'region', 'aria-label': 'Messages' });
  const earlier = h('button', { class: 'btn btn-secondary btn-sm thread-earlier', type: 'button' }, 'Load earlier messages');
  const jump = h('button', { class: 'thread-jump', type: 'button', hidden: true }, icon('chevronDown'), 'New messages');
  const header = h('div', { class: 'thread-header-slot' });
  const composer = replyBox({ onSend: send });
  const el = h('section', { class: 'thread', 'aria-label': 'Conversation' }, header, h('div', { class: 'thread-body' }, scroller, jump), composer.el);

  const atBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < NEAR_BOTTOM_PX;
  const toBottom = () => { scroller.scrollTop = scroller.scrollHeight; jump.hidden = true; };
  scroller.addEventListener('scroll', () => { if (atBottom()) jump.hidden = true; });
  jump.addEventListener('click', toBottom);

  function draw(mode) {
    const messages = [...known.values()].sort(byTime);
    const sig = signature(messages, pending);
    if (sig === drawnSig && mode !== 'force') return;
    const first = drawnSig === '';
    const wasAtBottom = atBottom();
    const prevHeight = scroller.scrollHeight;
    const prevTop = scroller.scrollTop;
    const grew = messages.length > 0 && !first && sig !== drawnSig;
    drawnSig = sig;
    const items = [];
    let lastDay = '';
    for (const m of [...messages, ...pending]) {
      const key = dayKey(m.createdAt);
      if (key !== lastDay) items.push(h('div', { class: 'day-separator' }, h('span', {}, dayLabel(m.createdAt))));
      lastDay = key;
      items.push(messageBubble(m));
    }
    earlier.hidden = known.size >= total;
    mount(scroller, earlier, messages.length || pending.length ? items
      : h('p', { class: 'thread-empty muted' }, 'No messages in this conversation yet.'));
    if (mode === 'prepend') scroller.scrollTop = prevTop + (scroller.scrollHeight - prevHeight);
    else if (first || wasAtBottom || mode === 'bottom') toBottom();
    else {
      scroller.scrollTop = prevTop;
      if (grew) jump.hidden = false;
    }
  }

  async function fetchPage(offset) {
    const res = await api.get(`${base}/messages`, { limit: PAGE_SIZE, offset });
    for (const m of res.data.messages) known.set(m.messageId, m);
    total = res.data.pagination.total;
  }

  async function refresh(mode) {
    await fetchPage(0);
    draw(mode);
  }

  earlier.addEventListener('click', async () => {
    earlier.disabled = true;
    try {
      await fetchPage(known.size);
      draw('prepend');
    } catch (err) {
      if (!err.handled) composer.showError(`Could not load earlier messages: ${err.message}`);
    } finally {
      earlier.disabled = false;
    }
  });

  // Until the server has the message, a pending bubble with a clock stands in for it.
  async function send(text) {
    const temp = { messageId: `pending-${Date.now()}`, direction: 'outbound', type: 'text', content: { text },
      status: 'queued', createdAt: new Date().toISOString(), timestamps: {} };
    pending.push(temp);
    draw('bottom');
    let sent = false;
    try {
      await api.post(`${base}/reply`, { message: text });
      sent = true;
    } catch (err) {
      if (!err.handled) composer.showError(err.message);
      // WHATSAPP_ERROR stored the message as failed: it shows in the thread with Meta's reason.
      sent = err.code === 'WHATSAPP_ERROR';
    }
    fetchPage(0).catch(() => {}).then(() => {
      pending.splice(pending.indexOf(temp), 1);
      draw('bottom');
      ctx.onChanged();
    });
    return sent;
  }

  let headerSig = '';
  // Redraws the header only when what it shows changed, so focus on its button survives polls.
  function update(next) {
    current = next;
    const hour = Math.floor(Date.now() / 3600000); // "closes in 23 hours" moves on
    const sig = JSON.stringify([next.userName, next.userProfileName, next.userPhone, next.status, next.serviceWindowOpen,
      next.serviceWindowExpiresAt, ctx.sandbox(next), hour]);
    if (sig !== headerSig) {
      headerSig = sig;
      mount(header, threadHeader(current, { sandbox: ctx.sandbox(current), onBack: ctx.onBack, onStatus: setStatus }));
    }
    composer.setWindowOpen(Boolean(current.serviceWindowOpen));
  }

  async function setStatus(status, button) {
    button.disabled = true;
    try {
      const res = await api.patch(`${base}/status`, { status });
      update(res.data);
      header.querySelector('.thread-toggle').focus(); // the button was redrawn with its new label
      ctx.onChanged();
    } catch (err) {
      if (!err.handled) composer.showError(`Could not update the conversation: ${err.message}`);
      button.disabled = false;
    }
  }

  update(conv);
  mount(scroller, h('div', { class: 'state state-loading' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Loading messages…'));
  return { el, refresh, update, focus: () => composer.focus(), get conv() { return current; } };
}
