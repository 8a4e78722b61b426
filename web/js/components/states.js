// Loading, error and empty placeholders so every panel says what is happening.

import { h } from '../dom.js';
import { icon } from '../icons.js';

export function loadingState(text = 'Loading…') {
  return h('div', { class: 'state state-loading', role: 'status' },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('span', {}, text));
}

// onRetry: optional function; shows a "Try again" button when given.
export function errorState(message, onRetry) {
  return h('div', { class: 'state state-error', role: 'alert' },
    icon('alert', 'state-icon'),
    h('p', { class: 'state-text' }, message),
    onRetry ? h('button', { class: 'btn btn-secondary btn-sm', type: 'button', onclick: onRetry }, 'Try again') : null);
}

export function emptyState(title, text) {
  return h('div', { class: 'state state-empty' },
    h('p', { class: 'state-title' }, title),
    text ? h('p', { class: 'state-text' }, text) : null);
}
