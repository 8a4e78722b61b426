// A progress bar with its percentage beside it: the native <progress> element (announced as a
// progress bar, styled in components.css; no inline styles under the CSP). tone colours the
// bar: 'primary' (default), 'success', 'warning', 'danger' or 'neutral'.

import { h } from '../dom.js';

// 99.6 -> "99%": never says 100% before everything is done.
export function percentText(percent) {
  const n = Number(percent);
  return `${Number.isFinite(n) ? Math.floor(Math.min(100, Math.max(0, n))) : 0}%`;
}

export function progressBar(percent, { label, tone = 'primary', compact = false } = {}) {
  const n = Number(percent);
  const value = Number.isFinite(n) ? Math.min(100, Math.max(0, n)) : 0;
  return h('div', { class: ['progress', `progress-${tone}`, compact && 'progress-compact'] },
    h('progress', { class: 'progress-bar', max: 100, value, 'aria-label': label, 'aria-valuetext': percentText(value) }),
    h('span', { class: 'progress-value tabular', 'aria-hidden': 'true' }, percentText(value)));
}
