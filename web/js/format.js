// Small display formatters shared by pages.

// 93784 -> "1d 2h 3m"; 125 -> "2m 5s". Accepts seconds as a number or numeric string.
export function formatUptime(value) {
  const total = Math.floor(Number(value));
  if (!Number.isFinite(total) || total < 0) return String(value ?? '—');
  const units = [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]];
  const parts = [];
  let rest = total;
  for (const [suffix, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || (suffix === 's' && parts.length === 0)) parts.push(`${n}${suffix}`);
  }
  return parts.slice(0, 3).join(' ');
}

// "Ada Lovelace" -> "AL"; "" -> "?".
export function initials(name) {
  const words = String(name || '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const first = words[0][0];
  const last = words.length > 1 ? words[words.length - 1][0] : '';
  return (first + last).toUpperCase();
}

export function firstName(name) {
  return String(name || '').trim().split(/\s+/)[0] || 'there';
}

// "owner" -> "Owner".
export function capitalize(text) {
  const s = String(text || '');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// Digits-only phone from the API -> "+919876543210" (E.164 style, as WhatsApp shows it).
export function formatPhone(digits) {
  const s = String(digits || '').replace(/\D/g, '');
  return s ? `+${s}` : '—';
}
