// The centered card used by the signed-out pages (login, first-run setup).

import { h } from '../dom.js';
import { brand } from './brand.js';
import { session } from '../session.js';

export function authLayout({ title, subtitle, body, footer }) {
  const version = session.status && session.status.version;
  return h('div', { class: 'auth-page' },
    h('main', { class: 'auth-main' },
      h('div', { class: 'auth-brand' }, brand('brand-lg')),
      h('section', { class: 'card auth-card', 'aria-labelledby': 'auth-title' },
        h('h1', { class: 'auth-title', id: 'auth-title' }, title),
        subtitle ? h('p', { class: 'auth-subtitle' }, subtitle) : null,
        body),
      footer ? h('p', { class: 'auth-alt' }, footer) : null),
    h('footer', { class: 'auth-footer' },
      `Pixels${version ? ` ${version}` : ''} · Self-hosted WhatsApp Business platform`));
}
