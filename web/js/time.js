// Date and time display: absolute dates in the browser's locale and relative phrases
// ("3 hours ago", "in 12 days"). All inputs are ISO 8601 strings from the API (UTC);
// null or unparsable values render as an em dash rather than "Invalid Date".

const DAY_MS = 86400000;
const UNITS = [
  ['year', 365 * DAY_MS], ['month', 30 * DAY_MS], ['week', 7 * DAY_MS], ['day', DAY_MS],
  ['hour', 3600000], ['minute', 60000],
];

function parse(iso) {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

// "12 Mar 2026".
export function formatDate(iso) {
  const date = parse(iso);
  return date ? date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' }) : '—';
}

// "12 Mar 2026, 14:05".
export function formatDateTime(iso) {
  const date = parse(iso);
  if (!date) return '—';
  return date.toLocaleString(undefined, {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
  });
}

// "just now", "5 minutes ago", "in 3 days".
export function relativeTime(iso, now = Date.now()) {
  const date = parse(iso);
  if (!date) return '—';
  const diff = date.getTime() - now;
  if (Math.abs(diff) < 60000) return 'just now';
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size) return rtf.format(Math.trunc(diff / size), unit);
  }
  return rtf.format(Math.trunc(diff / 60000), 'minute');
}

// Whole days left from now until iso (5 days 3 hours -> 5, like relativeTime); 0 in the
// last day, negative once it has passed; null for null.
export function daysUntil(iso, now = Date.now()) {
  const date = parse(iso);
  return date ? Math.floor((date.getTime() - now) / DAY_MS) : null;
}

// A <time> element's datetime attribute value, or null.
export function isoAttr(iso) {
  const date = parse(iso);
  return date ? date.toISOString() : null;
}

// Compact age for dense lists: "now", "5m", "3h", "2d", then "12 Mar" (a week or older).
export function compactAge(iso, now = Date.now()) {
  const date = parse(iso);
  if (!date) return '';
  const diff = Math.max(0, now - date.getTime());
  if (diff < 60000) return 'now';
  if (diff < 3600000) return `${Math.floor(diff / 60000)}m`;
  if (diff < DAY_MS) return `${Math.floor(diff / 3600000)}h`;
  if (diff < 7 * DAY_MS) return `${Math.floor(diff / DAY_MS)}d`;
  return date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

// "14:05" in the browser's locale.
export function clockTime(iso) {
  const date = parse(iso);
  return date ? date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : '';
}

// Day separators in a chat: "Today", "Yesterday", else "Tue, 12 Mar 2026".
export function dayLabel(iso, now = Date.now()) {
  const date = parse(iso);
  if (!date) return '';
  const day = (d) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((day(new Date(now)) - day(date)) / DAY_MS);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return date.toLocaleDateString(undefined, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' });
}

// Local calendar day key ("2026-3-12") for grouping messages by day.
export function dayKey(iso) {
  const date = parse(iso);
  return date ? `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}` : '';
}
