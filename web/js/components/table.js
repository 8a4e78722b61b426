// Data tables: a header row from column titles and one row per item. Columns are
// { title, cell(item) -> node|string, className? }; rowClass(item) may add a row class.
// The wrapper scrolls sideways on narrow screens instead of squeezing the columns.

import { h } from '../dom.js';

export function dataTable({ label, columns, items, rowClass }) {
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'table', 'aria-label': label },
      h('thead', {}, h('tr', {}, columns.map((col) => h('th', { scope: 'col', class: col.className }, col.title)))),
      h('tbody', {}, items.map((item) => h('tr', { class: rowClass ? rowClass(item) : null },
        columns.map((col) => h('td', { class: col.className }, col.cell(item))))))));
}
