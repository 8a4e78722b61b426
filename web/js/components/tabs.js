// Tabs inside a page or a dialog, on the ARIA tabs pattern: a tablist of buttons over panels,
// one shown at a time. Arrow keys, Home and End move between the tabs (the one focused is
// selected); only the selected tab is in the Tab order. Page-level navigation between
// addresses uses links instead (see the Settings tab bar).

import { h, uid } from '../dom.js';

// items: [{ id, label, panel (node) }]; onChange(id) runs after the selection changed.
export function tabs({ label, items, selected = items[0].id, onChange }) {
  const base = uid('tabs');
  const buttons = new Map();
  const panels = new Map();
  let current = null;
  let ready = false; // the initial selection is not a change

  const select = (id, { focus = false } = {}) => {
    if (!buttons.has(id) || id === current) return;
    current = id;
    for (const [key, button] of buttons) {
      const on = key === id;
      button.setAttribute('aria-selected', String(on));
      button.tabIndex = on ? 0 : -1;
      panels.get(key).hidden = !on;
    }
    if (focus) buttons.get(id).focus();
    if (ready && onChange) onChange(id);
  };

  for (const item of items) {
    const tabId = `${base}-${item.id}-tab`;
    const panelId = `${base}-${item.id}-panel`;
    buttons.set(item.id, h('button', { class: 'tab', type: 'button', role: 'tab', id: tabId, 'aria-controls': panelId,
      onclick: () => select(item.id) }, item.label));
    panels.set(item.id, h('div', { class: 'tab-pane', role: 'tabpanel', id: panelId, 'aria-labelledby': tabId }, item.panel));
  }

  const list = h('div', { class: 'tabs tabs-inline', role: 'tablist', 'aria-label': label }, [...buttons.values()]);
  list.addEventListener('keydown', (event) => {
    const ids = [...buttons.keys()];
    const at = ids.indexOf(current);
    const moves = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: ids.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    select(ids[(moves[event.key] + ids.length) % ids.length], { focus: true });
  });
  select(selected);
  ready = true;

  return {
    el: h('div', { class: 'tabset' }, list, [...panels.values()]),
    get selected() { return current; },
    select,
  };
}
