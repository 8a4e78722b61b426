// Templates (#/templates): the account's WhatsApp message templates with counts by status, a
// status filter and 50 per page. Owners and admins create templates (a draft, or submitted to
// Meta straight away), submit drafts, edit drafts and rejected ones, delete, and pull Meta's
// list with "Sync with Meta"; agents see the list only (the API refuses them the rest).

import { h, mount } from '../dom.js';
import { api } from '../api.js';
import { icon } from '../icons.js';
import { session } from '../session.js';
import { plural } from '../format.js';
import { setBusy, statusFilter } from '../components/form.js';
import { pageHeader } from '../components/page.js';
import { pagedList } from '../components/pager.js';
import { confirmDialog } from '../components/confirm.js';
import { emptyState } from '../components/states.js';
import { toast } from '../components/toast.js';
import { openTemplateForm } from './template-form.js';
import { TEMPLATE_STATUSES, templateStats } from './template-status.js';
import { templatesTable } from './templates-table.js';

const URL = '/api/templates';
const PAGE_SIZE = 50;

function emptyList(filtered, admin) {
  if (filtered) return emptyState('No templates with this status.', 'Choose "All statuses" to see every template.');
  return emptyState('No templates yet.', admin
    ? 'Create one with "New template", or use "Sync with Meta" to bring in the templates of your WhatsApp Business Account.'
    : 'An owner or admin of this account can create templates or sync them from Meta.');
}

// "Synced 3 templates: 1 new, 2 updated".
function syncSummary(data) {
  return `Synced ${plural(data.synced, 'template')}: ${data.created} new, ${data.updated} updated`;
}

// "Sync with Meta": reads the WhatsApp Business Account's templates into Pixels, says what
// changed in a toast, then calls onSynced() to reload the list.
function syncButton(onSynced) {
  const button = h('button', { class: 'btn btn-secondary', type: 'button' }, icon('refresh'), 'Sync with Meta');
  button.addEventListener('click', async () => {
    const label = [...button.childNodes];
    button.disabled = true;
    button.classList.add('is-busy');
    button.replaceChildren(h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Syncing…');
    try {
      toast(syncSummary((await api.post(`${URL}/sync`)).data));
    } catch (err) {
      if (!err.handled) toast(`Could not sync with Meta: ${err.message}`, 'error');
    } finally {
      button.replaceChildren(...label);
      button.classList.remove('is-busy');
      button.disabled = false;
    }
    await onSynced();
  });
  return button;
}

export function renderTemplates(container) {
  const admin = session.isAdmin;
  const state = { status: '', offset: 0, seq: 0 };
  const slot = h('div', { class: 'table-slot' });
  const stats = h('div', { class: 'template-stats-slot' });
  const refresh = h('button', { class: 'btn btn-secondary', type: 'button' }, icon('refresh'), 'Refresh');

  const { load, pages } = pagedList({
    slot, state, label: 'Template pages', loadingText: 'Loading templates…',
    fetchPage: () => api.get(URL, { limit: PAGE_SIZE, offset: state.offset, status: state.status }),
    show: (data) => {
      mount(stats, templateStats(data.stats || {}));
      mount(slot, data.templates.length ? templatesTable(data.templates, admin ? handlers : null)
        : emptyList(Boolean(state.status), admin));
    },
  });
  refresh.addEventListener('click', load);

  const handlers = {
    async onSubmit(t, button) {
      setBusy(button, true, 'Submitting…');
      try {
        toast((await api.post(`${URL}/${encodeURIComponent(t.id)}/submit`)).message || 'Template submitted for review');
      } catch (err) {
        if (!err.handled) toast(`Could not submit ${t.name}: ${err.message}`, 'error');
      }
      await load();
    },
    async onEdit(t) { // t: null for "New template"
      const saved = await openTemplateForm(t);
      if (!saved) return;
      if (saved.message) toast(saved.message);
      await load();
    },
    async onDelete(t) {
      const ok = await confirmDialog({
        title: 'Delete this template?', confirmLabel: 'Delete template', busyLabel: 'Deleting…', danger: true,
        message: [h('p', {}, h('strong', {}, t.name), ` (${t.language}) will be deleted from Pixels`,
          t.metaTemplateId ? ' and from your WhatsApp Business Account at Meta.' : '.'),
        h('p', {}, 'Messages already sent are not affected. This cannot be undone.')],
        action: async () => toast((await api.del(`${URL}/${encodeURIComponent(t.id)}`)).message || 'Template deleted successfully'),
      });
      if (!ok) return;
      if (state.offset > 0 && slot.querySelectorAll('tbody tr').length === 1) state.offset = Math.max(0, state.offset - PAGE_SIZE);
      await load();
    },
  };

  const actions = [];
  if (admin) {
    const create = h('button', { class: 'btn btn-primary', type: 'button' }, icon('plus'), 'New template');
    create.addEventListener('click', () => handlers.onEdit(null));
    actions.push(syncButton(load), create);
  }

  mount(container,
    h('div', { class: 'page-header-row' },
      pageHeader('Templates', 'Messages approved by Meta: the only kind you can send a customer who has not written in 24 hours.'),
      actions.length ? h('div', { class: 'button-row template-actions' }, actions) : null),
    stats,
    h('section', { class: 'card table-card' },
      h('div', { class: 'toolbar' },
        statusFilter('template-status', TEMPLATE_STATUSES, (value) => { state.status = value; state.offset = 0; load(); }),
        h('div', { class: 'toolbar-end' }, refresh)),
      slot,
      h('div', { class: 'card-footer' }, pages.el)));
  load();
  return null;
}
