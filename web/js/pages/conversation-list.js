// The left pane of Conversations: a search box, the All / Open / Closed filter and the list
// itself (newest activity first): avatar, name, age of the last message, its preview, the
// unread count, and small window / Sandbox / Closed labels. Pure rendering plus the toolbar.

import { h, uid } from '../dom.js';
import { icon } from '../icons.js';
import { compactAge, formatDateTime } from '../time.js';
import { customerAvatar, customerName, sandboxChip, windowIndicator } from './conversation-meta.js';

const DEBOUNCE_MS = 300;
const TYPE_ICONS = { image: 'image', sticker: 'image', video: 'file', audio: 'file', document: 'file', location: 'mapPin' };
const FILTERS = [['', 'All'], ['open', 'Open'], ['closed', 'Closed']];

// onSearch(text), onStatus('' | 'open' | 'closed').
export function listToolbar({ onSearch, onStatus }) {
  const id = uid('conv-search');
  const input = h('input', { class: 'input', id, type: 'search', placeholder: 'Search name, number or message',
    autocomplete: 'off', spellcheck: 'false' });
  let timer = 0;
  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => onSearch(input.value.trim()), DEBOUNCE_MS);
  });
  const buttons = FILTERS.map(([value, label]) => h('button', {
    class: 'segment', type: 'button', 'aria-pressed': value === '' ? 'true' : 'false', dataset: { value },
  }, label));
  const group = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Show conversations' }, buttons);
  group.addEventListener('click', (event) => {
    const button = event.target.closest('.segment');
    if (!button) return;
    for (const b of buttons) b.setAttribute('aria-pressed', String(b === button));
    onStatus(button.dataset.value);
  });
  return h('div', { class: 'conv-toolbar' },
    h('label', { class: 'visually-hidden', for: id }, 'Search conversations'),
    h('div', { class: 'input-icon' }, icon('search'), input),
    group);
}

// The server's preview starts media with an emoji ("📷 Photo"): show our icon instead, so
// it looks the same on systems without an emoji font.
function preview(conv) {
  const text = String(conv.lastMessagePreview || '').replace(/^\p{Extended_Pictographic}\uFE0F?\s*/u, '');
  const iconName = TYPE_ICONS[conv.lastMessageType];
  return h('span', { class: 'conv-item-preview' }, iconName ? icon(iconName) : null, text || 'No messages yet');
}

function item(conv, { selected, sandbox, onSelect }) {
  const unread = conv.unreadCount > 0;
  return h('li', {}, h('button', {
    class: ['conv-item', unread && 'is-unread', conv.status === 'closed' && 'is-closed'], type: 'button',
    'aria-current': selected ? 'true' : null, dataset: { id: conv.id }, onclick: () => onSelect(conv),
  },
  customerAvatar(conv),
  h('span', { class: 'conv-item-main' },
    h('span', { class: 'conv-item-top' },
      h('span', { class: 'conv-item-name' }, customerName(conv)),
      h('time', { class: 'conv-item-time', datetime: conv.lastMessageAt, title: formatDateTime(conv.lastMessageAt) },
        compactAge(conv.lastMessageAt))),
    h('span', { class: 'conv-item-mid' },
      preview(conv),
      unread ? h('span', { class: 'unread-badge' }, String(conv.unreadCount),
        h('span', { class: 'visually-hidden' }, conv.unreadCount === 1 ? ' unread message' : ' unread messages')) : null),
    h('span', { class: 'conv-item-tags' },
      windowIndicator(conv),
      sandbox ? sandboxChip() : null,
      conv.status === 'closed' ? h('span', { class: 'closed-chip' }, 'Closed') : null))));
}

// opts: { selectedId, isSandbox(conv), onSelect(conv) }.
export function conversationList(conversations, { selectedId, isSandbox, onSelect }) {
  return h('ul', { class: 'conv-list', 'aria-label': 'Conversations' },
    conversations.map((conv) => item(conv, { selected: conv.id === selectedId, sandbox: isSandbox(conv), onSelect })));
}
