// The Pixels logo mark and wordmark, used on the auth pages and in the sidebar.

import { h } from '../dom.js';

export function brand(extraClass = '') {
  return h('span', { class: `brand ${extraClass}`.trim() },
    h('img', { class: 'brand-mark', src: '/img/logo.svg', alt: '', width: 32, height: 32 }),
    h('span', { class: 'brand-name' }, 'Pixels'));
}
