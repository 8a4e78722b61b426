// A "Copy" button for a read-only input: writes its value to the clipboard and says
// "Copied!" for two seconds. Without clipboard access (plain-HTTP origin, permission denied)
// it selects the text instead and tells the user to press Ctrl+C. status: a polite live line.

import { h } from '../dom.js';
import { icon } from '../icons.js';

const COPIED_MS = 2000;

// input: the element whose value is copied; what: noun for the messages ("token", "URL").
export function copyButton(input, what = 'text') {
  const label = h('span', {}, 'Copy');
  const button = h('button', { class: 'btn btn-secondary', type: 'button' }, icon('copy'), label);
  const status = h('p', { class: 'field-hint copy-status', 'aria-live': 'polite' });
  let timer = 0;
  button.addEventListener('click', async () => {
    try {
      if (!navigator.clipboard || !navigator.clipboard.writeText) throw new Error('no clipboard API');
      await navigator.clipboard.writeText(input.value);
      label.textContent = 'Copied!';
      button.classList.add('is-copied');
      status.textContent = `The ${what} is on your clipboard.`;
      window.clearTimeout(timer);
      timer = window.setTimeout(() => { label.textContent = 'Copy'; button.classList.remove('is-copied'); }, COPIED_MS);
    } catch {
      input.focus();
      input.select();
      status.textContent = `Press Ctrl+C (⌘C on a Mac) to copy the selected ${what}.`;
    }
  });
  return { button, status };
}
