// Settings > WhatsApp numbers (owners and admins): the account's numbers as cards with Test
// connection, Set default, Edit and Remove; "Add number"; and the webhook setup box. The last
// test result of each number is kept here, so it stays visible when the list reloads.

import { h, mount } from '../dom.js';
import { api } from '../api.js';
import { icon } from '../icons.js';
import { setBusy } from '../components/form.js';
import { confirmDialog } from '../components/confirm.js';
import { emptyState, errorState, loadingState } from '../components/states.js';
import { toast } from '../components/toast.js';
import { numberCard, numberName } from './number-card.js';
import { openNumberForm } from './number-form.js';
import { webhookCard } from './numbers-webhook.js';

const URL = '/api/settings/phone-numbers';

function intro(addButton) {
  return h('div', { class: 'section-header-row' },
    h('div', { class: 'section-header' },
      h('h2', { class: 'section-heading' }, 'WhatsApp numbers'),
      h('p', { class: 'muted' }, 'The WhatsApp Business numbers this account sends from and receives on. '
        + 'Messages go out from the default number unless a request names another.')),
    addButton);
}

function testMessage(err) {
  if (err.code === 'META_TOKEN_EXPIRED') return err.message;
  return `Connection test failed: ${err.message}`;
}

export function renderNumbersTab(panel) {
  const results = new Map(); // number id -> { ok, message, at }
  const list = h('div', { class: 'number-list' }, loadingState('Loading WhatsApp numbers…'));
  const side = h('div', { class: 'stack' });
  const add = h('button', { class: 'btn btn-primary', type: 'button' }, icon('plus'), 'Add number');

  const load = async () => {
    try {
      const res = await api.get(URL);
      if (!list.isConnected) return;
      const numbers = res.phoneNumbers || [];
      mount(list, numbers.length ? numbers.map((n) => numberCard(n, results.get(n.id), handlers))
        : emptyState('No WhatsApp numbers yet.', 'Add the number from your Meta app to start sending and receiving messages.'));
      mount(side, webhookCard(res.webhook || {}, res.sandbox));
    } catch (err) {
      if (!err.handled && list.isConnected) mount(list, errorState(err.message, load));
    }
  };

  const handlers = {
    async onTest(n, button) {
      setBusy(button, true, 'Testing…');
      try {
        const res = await api.post(`${URL}/${encodeURIComponent(n.id)}/test`);
        const verified = res.data && res.data.verifiedName ? ` Meta knows it as "${res.data.verifiedName}".` : '';
        results.set(n.id, { ok: true, message: `${res.message || 'Connection test successful'}.${verified}`, at: new Date().toISOString() });
      } catch (err) {
        if (err.handled) return;
        results.set(n.id, { ok: false, message: testMessage(err), at: new Date().toISOString() });
      }
      await load(); // the test updates the number: quality, verified name, status
    },
    async onDefault(n, button) {
      setBusy(button, true, 'Saving…');
      try {
        const res = await api.post(`${URL}/${encodeURIComponent(n.id)}/default`);
        toast(res.message || 'Default phone number set');
      } catch (err) {
        if (!err.handled) toast(`Could not set the default number: ${err.message}`, 'error');
      }
      await load();
    },
    async onEdit(n, tokenOnly) {
      const saved = await openNumberForm(n, { tokenOnly });
      if (!saved) return;
      results.delete(n.id);
      toast(saved.message || 'Phone number updated');
      await load();
    },
    async onRemove(n) {
      const ok = await confirmDialog({
        title: 'Remove this number?', confirmLabel: 'Remove number', busyLabel: 'Removing…', danger: true,
        message: [h('p', {}, 'Pixels stops sending from ', h('strong', {}, numberName(n)), ' and forgets its access token.'),
          h('p', {}, 'You can add it again later with a token from Meta.')],
        action: async () => toast((await api.del(`${URL}/${encodeURIComponent(n.id)}`)).message || 'Phone number removed'),
      });
      if (ok) results.delete(n.id);
      await load();
    },
  };

  add.addEventListener('click', async () => {
    const saved = await openNumberForm();
    if (!saved) return;
    toast(`${saved.message || 'Phone number added'}. Run "Test connection" to check the token.`);
    await load();
  });

  mount(panel, intro(add), h('div', { class: 'numbers-grid' }, list, side));
  load();
  return null;
}
