// One chat message as a bubble: inbound on the left, outbound on the right, with its text,
// media (a label or link with the caption; media bytes are not fetched) or location, the time
// and, on outbound messages, the delivery state: a clock (queued/accepted), ✓ sent,
// ✓✓ delivered, blue ✓✓ read, or a red "!" with Meta's error on hover and under the bubble.

import { h } from '../dom.js';
import { icon } from '../icons.js';
import { clockTime, formatDateTime } from '../time.js';

const MEDIA_LABELS = {
  image: ['image', 'Photo'], video: ['file', 'Video'], audio: ['file', 'Audio'], voice: ['file', 'Voice message'],
  document: ['file', 'Document'], sticker: ['image', 'Sticker'],
};

const STATES = {
  queued: ['clock', 'Queued', 'tick-pending'],
  sending: ['clock', 'Sending', 'tick-pending'],
  accepted: ['clock', 'Accepted by WhatsApp, not sent yet', 'tick-pending'],
  sent: ['tick', 'Sent', 'tick-sent'],
  delivered: ['ticks', 'Delivered', 'tick-delivered'],
  read: ['ticks', 'Read', 'tick-read'],
};

// Meta's error as one line: "131026 Message undeliverable — <message> — <details>", without
// repeating a part that says the same as the title ("(#131026) Message undeliverable").
export function errorText(error) {
  if (!error) return 'WhatsApp did not deliver this message.';
  const clean = (t) => String(t || '').replace(/^\(#\d+\)\s*/, '').trim();
  const norm = (t) => clean(t).toLowerCase().replace(/[.\s]+$/, '');
  const title = clean(error.title);
  const seen = new Set([norm(title)]);
  const parts = [];
  for (const t of [error.message, error.details]) {
    if (norm(t) && !seen.has(norm(t))) parts.push(clean(t));
    seen.add(norm(t));
  }
  return [[error.code, title].filter(Boolean).join(' '), ...parts].filter(Boolean).join(' — ');
}

function mediaBlock(type, content) {
  const media = content.media || {};
  const [iconName, label] = MEDIA_LABELS[content.mediaType || type] || ['file', 'Attachment'];
  const name = content.filename || media.filename || '';
  const text = `${label}${name ? `: ${name}` : ''}`;
  const url = content.mediaUrl;
  const caption = content.caption || media.caption || '';
  return [
    url && /^https?:\/\//i.test(url)
      ? h('a', { class: 'bubble-media', href: url, target: '_blank', rel: 'noopener noreferrer' }, icon(iconName), text)
      : h('span', { class: 'bubble-media', title: media.mimeType || null }, icon(iconName), text),
    caption ? h('p', { class: 'bubble-text' }, caption) : null,
  ];
}

function locationBlock(loc) {
  const lat = Number(loc.latitude);
  const lon = Number(loc.longitude);
  const label = loc.name || loc.address || `${lat.toFixed(4)}, ${lon.toFixed(4)}`;
  const href = `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`;
  return [
    h('a', { class: 'bubble-media', href, target: '_blank', rel: 'noopener noreferrer' }, icon('mapPin'), label),
    loc.name && loc.address ? h('p', { class: 'bubble-text muted' }, loc.address) : null,
  ];
}

function bodyOf(m) {
  const content = m.content || {};
  if (content.location && Number.isFinite(Number(content.location.latitude))) return locationBlock(content.location);
  if (content.media || content.mediaUrl || MEDIA_LABELS[m.type]) {
    return [mediaBlock(m.type, content), content.text && !content.caption ? h('p', { class: 'bubble-text' }, content.text) : null];
  }
  if (content.text) return h('p', { class: 'bubble-text' }, content.text);
  return h('p', { class: 'bubble-text bubble-unsupported' }, `${m.type || 'Unsupported'} message`);
}

function tick(m) {
  if (m.status === 'failed') {
    return h('span', { class: 'tick tick-failed', role: 'img', 'aria-label': `Failed: ${errorText(m.error)}`,
      title: errorText(m.error) }, '!');
  }
  const state = STATES[m.status];
  if (!state) return null;
  const [iconName, label, cls] = state;
  const at = m.timestamps && (m.timestamps.readAt || m.timestamps.deliveredAt || m.timestamps.sentAt);
  return h('span', { class: `tick ${cls}`, role: 'img', 'aria-label': label,
    title: at && cls !== 'tick-pending' ? `${label} ${formatDateTime(at)}` : label }, icon(iconName));
}

// m: a message from GET /api/conversations/:id/messages (or a pending one being sent).
export function messageBubble(m) {
  const outbound = m.direction === 'outbound';
  const failed = m.status === 'failed';
  return h('div', { class: ['bubble-row', outbound ? 'is-out' : 'is-in'], dataset: { id: m.messageId } },
    h('div', { class: ['bubble', failed && 'is-failed'] },
      bodyOf(m),
      h('span', { class: 'bubble-meta' },
        h('time', { datetime: m.createdAt, title: formatDateTime(m.createdAt) }, clockTime(m.createdAt)),
        outbound ? tick(m) : null)),
    failed ? h('p', { class: 'bubble-error' }, icon('alert'), `Not delivered: ${errorText(m.error)}`) : null);
}
