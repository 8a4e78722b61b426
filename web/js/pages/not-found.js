// Shown inside the signed-in layout for an unknown #/path.

import { h, mount } from '../dom.js';
import { HOME_PATH } from '../nav.js';
import { pageHeader } from '../components/page.js';

export function renderNotFound(container) {
  mount(container,
    pageHeader('Page not found', 'There is no page at this address.'),
    h('a', { class: 'btn btn-primary', href: `#${HOME_PATH}` }, 'Go to Overview'));
}
