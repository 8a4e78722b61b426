// The live preview beside the template form: the message as a customer sees it in WhatsApp, a
// chat bubble (the conversation bubble styles) on the beige chat background with the header in
// bold, the body with each variable replaced by its example (still {{1}} while it has none),
// the footer small and grey, and the template's buttons under the bubble.

import { h, mount, uid } from '../dom.js';
import { clockTime } from '../time.js';
import { fillVariables } from './template-variables.js';

function bodyText(content, examples) {
  if (!content.trim()) return h('p', { class: 'bubble-text bubble-unsupported' }, 'The message body appears here.');
  return h('p', { class: 'bubble-text' }, fillVariables(content, examples).map((part) => {
    if (part.text !== undefined) return part.text;
    return part.value ? h('span', { class: 'template-var' }, part.value)
      : h('span', { class: 'template-var is-empty' }, `{{${part.variable}}}`);
  }));
}

export function templatePreview() {
  const titleId = uid('preview-title');
  const bubble = h('div', { class: 'bubble template-bubble' });
  const buttons = h('div', { class: 'template-preview-buttons' });
  const el = h('section', { class: 'template-preview', 'aria-labelledby': titleId },
    h('h3', { class: 'template-preview-title', id: titleId }, 'Preview'),
    h('div', { class: 'template-preview-chat' },
      h('div', { class: 'bubble-row is-in' }, bubble, buttons)));
  return {
    el,
    // values: { headerText, content, footerText, examples: { name: value }, buttons: [Meta button] | null }.
    update({ headerText, content, footerText, examples, buttons: list }) {
      mount(bubble,
        headerText.trim() ? h('p', { class: 'template-preview-header' }, headerText) : null,
        bodyText(content, examples),
        footerText.trim() ? h('p', { class: 'template-preview-footer' }, footerText) : null,
        h('span', { class: 'bubble-meta' }, clockTime(new Date().toISOString())));
      mount(buttons, (list || []).map((b) => h('span', { class: 'template-preview-button' }, b.text || '')));
      buttons.hidden = !list || list.length === 0;
    },
  };
}
