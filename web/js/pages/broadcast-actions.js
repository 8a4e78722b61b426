// Pause, Resume and Cancel on a broadcast's page (owners and admins), offered by its status:
// a running or scheduled broadcast can be paused, a paused one resumed, and any unfinished one
// cancelled, after a confirmation (what was not sent never is). The server's refusals
// (409 BROADCAST_NOT_PAUSABLE… when the status changed meanwhile, NUMBER_PAUSED) are shown in
// a toast; onChanged(broadcast) gets the broadcast as the server returned it, or null to reload.

import { h } from '../dom.js';
import { api } from '../api.js';
import { icon } from '../icons.js';
import { plural } from '../format.js';
import { setBusy } from '../components/form.js';
import { confirmDialog } from '../components/confirm.js';
import { toast } from '../components/toast.js';

const PAUSABLE = new Set(['running', 'scheduled']);
const CANCELLABLE = new Set(['running', 'scheduled', 'paused']);

function actionUrl(b, action) {
  return `/api/broadcasts/${encodeURIComponent(b.id)}/${action}`;
}

async function run(b, action, button, busyLabel, onChanged) {
  setBusy(button, true, busyLabel);
  try {
    const res = await api.post(actionUrl(b, action));
    toast(res.message || 'Broadcast updated');
    onChanged(res.data.broadcast);
  } catch (err) {
    if (err.handled) return;
    toast(`Could not ${action} the broadcast: ${err.message}`, 'error');
    onChanged(null);
  } finally {
    if (button.isConnected) setBusy(button, false);
  }
}

async function cancel(b, onChanged) {
  let changed = null;
  const queued = (b.progress && Number(b.progress.queued)) || 0;
  const ok = await confirmDialog({
    title: 'Cancel this broadcast?', confirmLabel: 'Cancel broadcast', busyLabel: 'Cancelling…', danger: true,
    message: [
      h('p', {}, h('strong', {}, b.name), queued
        ? ` stops now: the ${plural(queued, 'message')} not sent yet will never be sent.` : ' stops now.'),
      h('p', {}, 'Messages already sent are not affected. This cannot be undone.')],
    action: async () => {
      const res = await api.post(actionUrl(b, 'cancel'));
      toast(res.message || 'Broadcast cancelled');
      changed = res.data.broadcast;
    },
  });
  if (ok) onChanged(changed);
}

export function broadcastActions(b, { onChanged }) {
  const buttons = [];
  if (PAUSABLE.has(b.status)) {
    const pause = h('button', { class: 'btn btn-secondary', type: 'button' }, icon('pause'), 'Pause');
    pause.addEventListener('click', () => run(b, 'pause', pause, 'Pausing…', onChanged));
    buttons.push(pause);
  }
  if (b.status === 'paused') {
    const resume = h('button', { class: 'btn btn-primary', type: 'button' }, icon('send'), 'Resume');
    resume.addEventListener('click', () => run(b, 'resume', resume, 'Resuming…', onChanged));
    buttons.push(resume);
  }
  if (CANCELLABLE.has(b.status)) {
    const stop = h('button', { class: 'btn btn-danger-outline', type: 'button' }, icon('close'), 'Cancel broadcast');
    stop.addEventListener('click', () => cancel(b, onChanged));
    buttons.push(stop);
  }
  return buttons.length ? h('div', { class: 'button-row broadcast-actions' }, buttons) : null;
}
