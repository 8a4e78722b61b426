// Page scaffolding shared by signed-in pages: the header and card containers.

import { h } from '../dom.js';

export function pageHeader(title, subtitle) {
  return h('header', { class: 'page-header' },
    h('h1', { class: 'page-title' }, title),
    subtitle ? h('p', { class: 'page-subtitle' }, subtitle) : null);
}

// A card with a title row; `actions` go to the right of the title.
export function card({ title, subtitle, body, footer, actions, extraClass = '' }) {
  return h('section', { class: `card ${extraClass}`.trim() },
    title ? h('div', { class: 'card-header' },
      h('div', {}, h('h2', { class: 'card-title' }, title),
        subtitle ? h('p', { class: 'card-subtitle' }, subtitle) : null),
      actions || null) : null,
    h('div', { class: 'card-body' }, body),
    footer ? h('div', { class: 'card-footer' }, footer) : null);
}

// Definition list rows: [[label, value], ...]; value may be a node.
export function keyValues(rows) {
  return h('dl', { class: 'kv' }, rows.map(([label, value]) =>
    h('div', { class: 'kv-row' }, h('dt', {}, label), h('dd', {}, value))));
}

export function badge(text, kind = 'neutral') {
  return h('span', { class: `badge badge-${kind}` }, text);
}
