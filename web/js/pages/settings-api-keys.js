// Settings > API Keys ("Enromatics Integration"): the account's integration token. Generating
// shows the full token once in a dialog; the page itself only ever holds the prefix and dates
// from GET /api/account/integration-token. Generating again or revoking asks first, because
// either one cuts Enromatics off immediately.

import { h, mount } from '../dom.js';
import { api } from '../api.js';
import { setBusy } from '../components/form.js';
import { confirmDialog } from '../components/confirm.js';
import { errorState, loadingState } from '../components/states.js';
import { toast } from '../components/toast.js';
import { emptyTokenCard, GENERATE_LABEL, tokenCard } from './api-keys-card.js';
import { showTokenModal } from './token-modal.js';
import { howToCard, unusualActivityCard } from './api-keys-help.js';

const TOKEN_URL = '/api/account/integration-token';

function introHeader() {
  return h('div', { class: 'section-header' },
    h('h2', { class: 'section-heading' }, 'Enromatics Integration'),
    h('p', { class: 'muted' },
      'Enromatics uses an integration token to send WhatsApp messages and read conversations for this account.'));
}

function regenerateMessage(prefix) {
  return [
    h('p', {}, 'Generating a new token revokes the current one (', h('code', { class: 'code' }, `${prefix}…`),
      ') immediately.'),
    h('p', {}, 'Enromatics stops working until you paste the new token into its WhatsApp integration settings.'),
  ];
}

export function renderApiKeysTab(panel) {
  const slot = h('div', {}, loadingState('Loading the integration token…'));
  const activity = unusualActivityCard();
  let current = null; // the GET answer: prefix, dates, status; never the full token

  const load = async () => {
    try {
      const res = await api.get(TOKEN_URL);
      if (!slot.isConnected) return;
      current = res.integrationToken;
      const hadFocus = slot.contains(document.activeElement); // keep keyboard users in place
      mount(slot, current.exists ? tokenCard(current, { onGenerate, onRevoke }) : emptyTokenCard(onGenerate));
      if (hadFocus) slot.querySelector('.btn-primary').focus();
    } catch (err) {
      if (!err.handled && slot.isConnected) mount(slot, errorState(err.message, load));
    }
  };

  const reveal = (grant) => {
    showTokenModal(grant, () => {
      toast('Integration token generated. Update Enromatics with it.');
      load();
      activity.reload();
    });
  };

  async function onGenerate(button) {
    if (current && current.exists) {
      let grant = null;
      const ok = await confirmDialog({
        title: 'Generate a new integration token?', message: regenerateMessage(current.prefix),
        confirmLabel: 'Generate new token', busyLabel: 'Generating…', danger: true,
        action: async () => { grant = await api.post(TOKEN_URL); },
      });
      if (ok && grant) reveal(grant);
      grant = null; // the dialog's field is the only place the token may live
      return;
    }
    setBusy(button, true, 'Generating…');
    try {
      reveal(await api.post(TOKEN_URL));
    } catch (err) {
      if (!err.handled) toast(`Could not generate a token: ${err.message}`, 'error');
    } finally {
      if (button.isConnected) setBusy(button, false);
    }
  }

  async function onRevoke() {
    const ok = await confirmDialog({
      title: 'Revoke the integration token?',
      message: [h('p', {}, 'Enromatics, and anything else using ', h('code', { class: 'code' }, `${current.prefix}…`),
        ', loses access immediately.'), h('p', {}, `You can generate a new token later with "${GENERATE_LABEL}".`)],
      confirmLabel: 'Revoke token', busyLabel: 'Revoking…', danger: true,
      action: async () => {
        const res = await api.del(TOKEN_URL);
        toast(res.message || 'Integration token revoked successfully');
      },
    });
    // Reload even when it failed or was cancelled: another tab may have changed the token.
    await load();
    if (ok) activity.reload();
  }

  mount(panel, introHeader(), slot, h('div', { class: 'api-keys-grid' }, howToCard(), activity.el));
  load();
  return null;
}
