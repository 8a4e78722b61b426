// What the Conversations page shows when there is nothing to read yet: where customers'
// messages will appear and, in sandbox mode, how to make the simulator play a customer (its
// control API is on the server's loopback only, so the command runs on the server).

import { h } from '../dom.js';
import { icon } from '../icons.js';

function sandboxHowTo(numberId) {
  const body = JSON.stringify({ phone_number_id: numberId, from: '15551234567', name: 'Test customer', type: 'text',
    text: 'Hello! Is my order ready?' }, null, 2).replace(/\n/g, '\n  ');
  const command = `curl -X POST http://127.0.0.1:PORT/_sim/inbound \\\n  -H 'Content-Type: application/json' \\\n  -d '${body}'`;
  return h('div', { class: 'conv-howto' },
    h('h3', { class: 'subheading' }, icon('flask'), 'Try it with the sandbox'),
    h('p', {}, 'This server runs in sandbox mode: your Sandbox number talks to Pixels\' built-in simulator, not to '
      + 'WhatsApp. Make the simulator play a customer who writes to it. On the server, find the simulator\'s '
      + 'address in the log line ', h('code', { class: 'code' }, 'sandbox: Cloud API simulator on http://127.0.0.1:PORT'),
      ' and run:'),
    h('pre', { class: 'codeblock' }, h('code', {}, command)),
    h('p', {}, 'Then reply here. The simulator answers with sent, delivered and read receipts, so you can watch the '
      + 'ticks turn blue. "New message" to that customer works too, for 24 hours after they wrote.'));
}

// info: { sandbox: bool, sandboxNumberId, numbers: count or null (unknown to agents), isAdmin }.
export function conversationsEmpty(info) {
  return h('div', { class: 'conv-empty' },
    h('span', { class: 'conv-empty-icon' }, icon('chat')),
    h('h2', { class: 'conv-empty-title' }, 'No conversations yet'),
    h('p', { class: 'muted conv-empty-text' }, 'When a customer writes to your WhatsApp number, the conversation '
      + 'appears here within a few seconds. Reply from here while the 24-hour customer-service window is open.'),
    info.numbers === 0 && info.isAdmin
      ? h('a', { class: 'btn btn-primary', href: '#/settings/whatsapp-numbers' }, icon('phone'), 'Connect a WhatsApp number')
      : null,
    info.sandbox && info.sandboxNumberId ? sandboxHowTo(info.sandboxNumberId) : null);
}

export function noSelection() {
  return h('div', { class: 'conv-placeholder' },
    h('span', { class: 'conv-empty-icon' }, icon('chat')),
    h('p', { class: 'conv-empty-title' }, 'Select a conversation'),
    h('p', { class: 'muted' }, 'Pick a customer on the left to read and reply.'));
}
