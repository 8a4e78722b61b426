// Steps for Conversations, driven end to end through the sandbox: customers' messages are
// injected from Node with the simulator's control API (POST /_sim/inbound), the page must show
// them within its 3 s refresh, mark them read when opened, send replies and follow their
// delivery (the simulator posts sent/delivered/read webhooks; a /_sim/rules entry makes one
// message fail). The window-closed state is shown by rewriting the list answer, because a
// real closed window needs a customer silent for 24 hours.

import assert from 'node:assert/strict';
import { dismissToast, expectHash, heading, screenshot, sidebarLink, simControl, step } from './harness.mjs';
import { wa } from './steps-numbers.mjs';

const GRACE = { phone: '919876543210', name: 'Grace Hopper', text: 'Hi! Is my order #1042 ready for pickup?' };
const KATHERINE = { phone: '447700900123', name: 'Katherine Johnson', text: 'Do you ship to the UK?' };
const WINDOW_CLOSED = 'The customer has not written in the last 24 hours. WhatsApp only allows approved template messages now.';

function list(page) {
  return page.getByRole('list', { name: 'Conversations' });
}

function item(page, name) {
  return list(page).getByRole('button', { name: new RegExp(name) });
}

function thread(page) {
  return page.getByRole('region', { name: 'Conversation' });
}

function replyBox(page) {
  return thread(page).getByRole('textbox', { name: 'Reply' });
}

function outbound(page, text) {
  return thread(page).locator('.bubble-row.is-out', { hasText: text });
}

function customerWrites(customer) {
  return simControl('/inbound', { phone_number_id: wa.sandboxNumberId, from: customer.phone, name: customer.name,
    type: 'text', text: customer.text });
}

// Waits until the page has refreshed the list and the open thread once more.
async function pollCycle(page) {
  await page.waitForResponse((res) => new URL(res.url()).pathname === '/api/conversations');
  await page.waitForResponse((res) => /\/api\/conversations\/[^/]+\/messages$/.test(new URL(res.url()).pathname));
}

async function conversations(page) {
  return page.evaluate(async () => (await (await fetch('/api/conversations')).json()).data.conversations);
}

export function conversationSteps() {
  step('Conversations, right after Overview, explains how to try the sandbox while empty', async (page) => {
    const nav = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
    assert.equal(nav[1], 'Conversations');
    await sidebarLink(page, 'Conversations').click();
    await expectHash(page, '#/conversations');
    await heading(page, 'Conversations');
    await page.getByRole('heading', { name: 'No conversations yet', level: 2 }).waitFor();
    await page.getByText('Try it with the sandbox').waitFor();
    await page.locator('.conv-howto pre', { hasText: `"phone_number_id": "${wa.sandboxNumberId}"` }).waitFor();
    await screenshot(page, 'conversations-empty', { fullPage: false });
  });

  step('customers\' messages appear with an unread badge, newest first (injected through the simulator)', async (page) => {
    assert.equal((await customerWrites(KATHERINE)).delivered, true);
    await item(page, KATHERINE.name).waitFor();
    assert.equal((await customerWrites(GRACE)).delivered, true);
    const grace = item(page, GRACE.name);
    await grace.locator('.unread-badge', { hasText: '1' }).waitFor();
    await grace.getByText(GRACE.text).waitFor();
    await grace.getByText('Window open').waitFor();
    await grace.getByText('Sandbox', { exact: true }).waitFor();
    assert.deepEqual(await list(page).locator('.conv-item-name').allTextContents(), [GRACE.name, KATHERINE.name]);
  });

  step('opening a conversation marks it read and shows the customer\'s message', async (page) => {
    const read = page.waitForResponse((res) => res.url().endsWith('/read') && res.request().method() === 'PATCH');
    await item(page, GRACE.name).click();
    assert.equal((await read).status(), 200);
    await page.waitForURL((url) => url.hash.startsWith('#/conversations/'));
    await thread(page).getByRole('heading', { name: GRACE.name }).waitFor();
    await thread(page).getByText('+919876543210').waitFor();
    await thread(page).locator('.bubble-row.is-in', { hasText: GRACE.text }).waitFor();
    await item(page, GRACE.name).locator('.unread-badge').waitFor({ state: 'detached' });
    const grace = (await conversations(page)).find((c) => c.userPhone === GRACE.phone);
    assert.equal(grace.unreadCount, 0);
    assert.equal(await item(page, GRACE.name).getAttribute('aria-current'), 'true');
  });

  step('Shift+Enter adds a line, Enter sends; the reply reaches blue double ticks (read)', async (page) => {
    const box = replyBox(page);
    await box.click();
    await box.pressSequentially('line one');
    await box.press('Shift+Enter');
    await box.pressSequentially('line two');
    assert.equal(await box.inputValue(), 'line one\nline two');
    assert.equal(await thread(page).locator('.bubble-row.is-out').count(), 0);
    await pollCycle(page);
    assert.equal(await box.inputValue(), 'line one\nline two', 'the 3 s refresh kept the draft');

    await box.fill('Hello from the test');
    const sent = page.waitForResponse((res) => res.url().endsWith('/reply'));
    await box.press('Enter');
    assert.ok([200, 202].includes((await sent).status()), 'the reply was accepted');
    const bubble = outbound(page, 'Hello from the test');
    const ticks = bubble.getByRole('img', { name: 'Read' });
    await ticks.waitFor({ timeout: 10000 });
    assert.equal(await box.inputValue(), '', 'the sent text left the reply box');
    assert.equal(await ticks.evaluate((el) => getComputedStyle(el).color), 'rgb(83, 189, 235)');
    assert.equal(await ticks.locator('path').count(), 2, 'two ticks');
    await screenshot(page, 'thread', { fullPage: false });
  });

  step('a message WhatsApp refuses shows a red "!" with the error code, title and message', async (page) => {
    await simControl('/rules', { recipient: GRACE.phone, code: 131026, mode: 'async', count: 1 });
    await replyBox(page).fill('This one will not arrive');
    await replyBox(page).press('Enter');
    const bubble = outbound(page, 'This one will not arrive');
    const mark = bubble.getByRole('img', { name: /^Failed: / });
    await mark.waitFor({ timeout: 10000 });
    const message = (await page.evaluate(async (id) => (await (await fetch(`/api/conversations/${id}/messages`)).json()),
      page.url().split('/').pop())).data.messages.find((m) => m.content.text === 'This one will not arrive');
    assert.equal(message.status, 'failed');
    assert.equal(message.error.code, 131026);
    const title = await mark.getAttribute('title');
    assert.ok(title.startsWith(`131026 ${message.error.title}`), `title attribute: ${title}`);
    await bubble.locator('.bubble-error', { hasText: `Not delivered: 131026 ${message.error.title}` }).waitFor();
    assert.ok(title.includes(message.error.message), `the title attribute carries Meta's message: ${title}`);
  });

  step('the thread keeps the reader\'s place while new messages arrive, and offers a jump to them', async (page) => {
    for (let i = 1; i <= 20; i++) await customerWrites({ ...GRACE, text: `Follow-up ${i} of 20` });
    const scroller = thread(page).getByRole('region', { name: 'Messages' });
    await thread(page).getByText('Follow-up 20 of 20').waitFor();
    const atBottom = () => scroller.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 48);
    assert.equal(await atBottom(), true, 'a reader at the bottom follows new messages');
    await scroller.evaluate((el) => { el.scrollTop = 0; });
    await customerWrites({ ...GRACE, text: 'One more thing' });
    await thread(page).getByText('One more thing').waitFor();
    await pollCycle(page);
    assert.equal(await scroller.evaluate((el) => el.scrollTop), 0, 'the reader stays where they scrolled to');
    await thread(page).getByRole('button', { name: 'New messages' }).click();
    assert.equal(await atBottom(), true);
    await item(page, GRACE.name).locator('.unread-badge').waitFor({ state: 'detached' }); // read while open
  });

  step('closing a conversation hides it from the Open filter; Reopen brings it back', async (page) => {
    const filter = page.getByRole('group', { name: 'Show conversations' });
    await thread(page).getByRole('button', { name: 'Close conversation' }).click();
    await thread(page).getByText('Closed', { exact: true }).waitFor();
    await filter.getByRole('button', { name: 'Open', exact: true }).click();
    await item(page, GRACE.name).waitFor({ state: 'detached' });
    await item(page, KATHERINE.name).waitFor();
    await thread(page).getByRole('button', { name: 'Reopen' }).click();
    await item(page, GRACE.name).waitFor();
    await filter.getByRole('button', { name: 'All', exact: true }).click();
    await list(page).locator('.conv-item').nth(1).waitFor();
  });

  step('when the 24-hour window is closed the reply box is disabled and says why (list answer rewritten)', async (page) => {
    const onList = (url) => url.pathname === '/api/conversations';
    await page.route(onList, async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      for (const c of body.data.conversations) {
        c.serviceWindowOpen = false;
        c.serviceWindowExpiresAt = new Date(Date.now() - 3600000).toISOString();
      }
      await route.fulfill({ response, json: body });
    });
    await thread(page).getByText(WINDOW_CLOSED).waitFor();
    assert.equal(await replyBox(page).isDisabled(), true);
    await thread(page).getByText('Window closed', { exact: true }).waitFor();
    await item(page, GRACE.name).getByText('Window closed').waitFor();
    await screenshot(page, 'thread-window-closed', { fullPage: false });
    await page.unroute(onList);
    await thread(page).getByText(/^Window open · closes in/).waitFor();
    assert.equal(await replyBox(page).isDisabled(), false);
  });

  step('New message: refused outside the 24-hour window, sent to a customer who wrote', async (page) => {
    await page.getByRole('button', { name: 'New message' }).click();
    let dialog = page.getByRole('dialog', { name: 'New message' });
    await dialog.getByLabel('Phone number').fill('+44 20 7946 0958');
    await dialog.getByLabel('Message', { exact: true }).fill('Hello, this is Pixels.');
    await dialog.getByRole('button', { name: 'Send message' }).click();
    await dialog.getByRole('alert').getByText(/has not written to you in the last 24 hours/).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'New message' }).click();
    dialog = page.getByRole('dialog', { name: 'New message' });
    await dialog.getByLabel('Phone number').fill('+44 7700 900123');
    await dialog.getByLabel('Message', { exact: true }).fill('Yes, we ship to the UK.');
    await dialog.getByRole('button', { name: 'Send message' }).click();
    await dialog.waitFor({ state: 'detached' });
    await dismissToast(page, 'Message sent');
    await thread(page).getByRole('heading', { name: KATHERINE.name }).waitFor();
    await outbound(page, 'Yes, we ship to the UK.').getByRole('img', { name: 'Read' }).waitFor({ timeout: 10000 });
    await screenshot(page, 'conversations', { fullPage: false });
  });

  step('on a phone-sized screen the list and the thread are separate views with a back button', async (page) => {
    await page.setViewportSize({ width: 375, height: 740 });
    const back = page.getByRole('button', { name: 'Back to conversations' });
    await back.waitFor();
    assert.equal(await list(page).isVisible(), false);
    await screenshot(page, 'thread-mobile', { fullPage: false });
    await back.click();
    await list(page).waitFor();
    assert.equal(await thread(page).count(), 0);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 375);
    await screenshot(page, 'conversations-mobile', { fullPage: false });
    await item(page, GRACE.name).click();
    await thread(page).getByRole('heading', { name: GRACE.name }).waitFor();
    assert.equal(await list(page).isVisible(), false);
    await page.setViewportSize({ width: 1280, height: 800 });
    await list(page).waitFor();
  });
}
