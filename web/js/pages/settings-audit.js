// Settings > Audit log: the account's security events (sign-ins, password and profile changes,
// integration token lifecycle and use), newest first, 50 per page, filterable by action.
// Token use from a new address is highlighted: it is the "unusual activity" to look at.

import { h, mount, uid } from '../dom.js';
import { api } from '../api.js';
import { icon } from '../icons.js';
import { capitalize } from '../format.js';
import { formatDateTime, isoAttr, relativeTime } from '../time.js';
import { AUDIT_ACTIONS, actionLabel, actionTone } from '../audit-actions.js';
import { badge } from '../components/page.js';
import { pager } from '../components/pager.js';
import { dataTable } from '../components/table.js';
import { emptyState, errorState, loadingState } from '../components/states.js';

const PAGE_SIZE = 50;

const COLUMNS = [
  { title: 'Time', className: 'col-time', cell: (e) => h('div', { class: 'cell-stack' },
    h('time', { datetime: isoAttr(e.createdAt) }, formatDateTime(e.createdAt)),
    h('span', { class: 'muted small' }, relativeTime(e.createdAt))) },
  { title: 'Action', cell: (e) => h('div', { class: 'cell-stack' },
    badge(actionLabel(e.action), actionTone(e.action)), h('code', { class: 'muted small action-code' }, e.action)) },
  { title: 'Actor', cell: (e) => h('div', { class: 'cell-stack' },
    h('span', {}, (e.actor && e.actor.label) || '—'),
    h('span', { class: 'muted small' }, capitalize((e.actor && e.actor.type) || ''))) },
  { title: 'Target', cell: (e) => e.target || '—' },
  { title: 'IP address', className: 'nowrap', cell: (e) => (e.ip ? h('code', { class: 'code' }, e.ip) : '—') },
];

function actionSelect(onChange) {
  const id = uid('audit-action');
  const select = h('select', { class: 'input select', id },
    h('option', { value: '' }, 'All actions'),
    AUDIT_ACTIONS.map(([value, label]) => h('option', { value }, label)));
  select.addEventListener('change', () => onChange(select.value));
  return h('div', { class: 'toolbar-field' }, h('label', { class: 'label', for: id }, 'Action'), select);
}

export function renderAuditTab(panel) {
  const state = { action: '', offset: 0 };
  const slot = h('div', { class: 'table-slot' });
  const refresh = h('button', { class: 'btn btn-secondary', type: 'button' }, icon('refresh'), 'Refresh');
  const load = async () => {
    mount(slot, loadingState('Loading events…'));
    slot.setAttribute('aria-busy', 'true');
    try {
      const res = await api.get('/api/audit-log', { limit: PAGE_SIZE, offset: state.offset, action: state.action });
      if (!slot.isConnected) return;
      const { events, pagination } = res.data;
      pages.update(pagination);
      mount(slot, events.length
        ? dataTable({ label: 'Audit log', columns: COLUMNS, items: events,
          rowClass: (e) => (e.action === 'token.new_ip' ? 'row-warning' : null) })
        : emptyState(state.action ? 'No events match this filter.' : 'No events yet.',
          state.action ? 'Choose "All actions" to see everything.' : 'Sign-ins and token changes will appear here.'));
    } catch (err) {
      pages.update({ total: 0 });
      if (!err.handled && slot.isConnected) mount(slot, errorState(err.message, load));
    } finally {
      slot.removeAttribute('aria-busy');
    }
  };
  const pages = pager({ label: 'Audit log pages', onPage: (offset) => { state.offset = offset; load(); } });
  refresh.addEventListener('click', load);
  mount(panel,
    h('div', { class: 'section-header' },
      h('h2', { class: 'section-heading' }, 'Audit log'),
      h('p', { class: 'muted' }, 'Security events for this account: sign-ins, password changes and integration token use.')),
    h('section', { class: 'card table-card' },
      h('div', { class: 'toolbar' },
        actionSelect((value) => { state.action = value; state.offset = 0; load(); }),
        h('div', { class: 'toolbar-end' }, refresh)),
      slot,
      h('div', { class: 'card-footer' }, pages.el)));
  load();
  return null;
}
