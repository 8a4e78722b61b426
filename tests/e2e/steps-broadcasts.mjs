// Steps for the Broadcasts pages, against the sandbox (the built-in simulator plays Meta): the
// empty state and a form that first has no approved template to offer; an approved template
// (created and approved through the API) previewed in the form, the form's own checks and a
// server refusal on the field it concerns; a broadcast to pasted numbers (one listed twice,
// one invalid) at one message a second, paused while it runs, resumed and seen to complete
// with its live counters; its per-recipient report and the CSV download; a broadcast from an
// uploaded CSV file where WhatsApp refuses one message (the error shows in the report); a
// scheduled broadcast cancelled after confirming; the list and its filter; and an agent's
// read-only view. The test waits on what the page or the API shows, never for a fixed time.

import assert from 'node:assert/strict';
import { dismissToast, expectHash, heading, run, screenshot, sidebarLink, simControl, step, STEP_TIMEOUT_MS } from './harness.mjs';

const TEMPLATE = { name: 'class_reminder', body: 'Hi {{1}}, your class starts on {{2}}.', examples: ['Asha', 'Monday'] };
const PASTED = {
  name: 'Spring term reminder',
  phones: ['+1 555 010 0001', '+1 555 010 0002', '+1 555 010 0003', '+1 555 010 0004', '+1 555 010 0005',
    '+1 555 010 0006', '15550100003', '12345'], // the 7th repeats the 3rd; the last is not a phone number
};
const CSV = {
  name: 'Parents from the CSV file',
  text: 'phone,name,var1,var2\n+447700900101,"Rao, Asha",Asha,Monday\n+447700900102,Ben Okafor,Ben,Tuesday\n'
    + '+447700900103,Chen Wei,Chen,Wednesday\n',
  failing: '447700900102', // the simulator refuses this one with Meta's 131026
};
const SCHEDULED = { name: 'New year greeting', phones: ['+1 555 010 0101', '+1 555 010 0102'], at: '2030-01-01T09:00' };
const COMPLETE_MS = 30000; // six messages at one a second, with a pause in between

const shared = { pastedId: null };

function dialog(page) {
  return page.getByRole('dialog', { name: 'New broadcast' });
}

function counter(page, label) {
  return page.locator('.broadcast-counter').filter({ has: page.getByText(label, { exact: true }) }).locator('dd');
}

function statusBadge(page, status) {
  return page.locator('.broadcast-badge .badge', { hasText: status });
}

function reportRow(page, text) {
  return page.getByRole('table', { name: 'Recipients' }).locator('tbody tr').filter({ hasText: text });
}

function listRow(page, name) {
  return page.getByRole('table', { name: 'Broadcasts' }).locator('tbody tr').filter({ has: page.getByRole('link', { name }) });
}

// Asks the API (GET path, with the page's session) until check(answer) holds; resolves with
// the answer. page.waitForFunction cannot do this: it takes the promise of an async predicate
// for a truthy answer.
async function untilApi(page, path, check, timeout = COMPLETE_MS) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const answer = await page.evaluate(async (p) => (await fetch(p)).json(), path);
    if (check(answer)) return answer;
    if (Date.now() > deadline) throw new Error(`GET ${path} never reached the expected state: ${JSON.stringify(answer).slice(0, 500)}`);
    await new Promise((resolve) => { setTimeout(resolve, 100); });
  }
}

// Waits until the broadcast satisfies check(broadcast); resolves with it.
async function apiBroadcast(page, id, check) {
  const answer = await untilApi(page, `/api/broadcasts/${encodeURIComponent(id)}`, (a) => a.success && check(a.data.broadcast));
  return answer.data.broadcast;
}

function currentId(page) {
  return decodeURIComponent(new URL(page.url()).hash.replace('#/broadcasts/', ''));
}

// Opens "New broadcast" and picks the template; fills the shared values when given.
async function openForm(page, values) {
  await page.getByRole('button', { name: 'New broadcast' }).click();
  const form = dialog(page);
  await form.getByLabel('Template').selectOption({ label: `${TEMPLATE.name} (en)` });
  if (values) {
    await form.getByLabel('Value for {{1}}').fill(values[0]);
    await form.getByLabel('Value for {{2}}').fill(values[1]);
  }
  return form;
}

export function broadcastSteps() {
  step('Broadcasts opens from the sidebar with its empty state; without an approved template the form says so', async (page) => {
    await sidebarLink(page, 'Broadcasts').click();
    await expectHash(page, '#/broadcasts');
    await heading(page, 'Broadcasts');
    await page.getByText('No broadcasts yet.').waitFor();
    await page.getByText('Send an approved template to many customers at once with "New broadcast".').waitFor();
    await page.getByRole('button', { name: 'New broadcast' }).click();
    await dialog(page).getByText('No approved templates yet.').waitFor();
    await dialog(page).getByRole('link', { name: 'Go to Templates' }).waitFor();
    await dialog(page).getByRole('button', { name: 'Close' }).click();
    await dialog(page).waitFor({ state: 'detached' });
  });

  step('the form previews the approved template, checks its input and shows the server\'s refusal on the field', async (page) => {
    const created = await page.evaluate(async (t) => {
      const res = await fetch('/api/templates', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: t.name, content: t.body, examples: t.examples, submit: true }) });
      return res.status;
    }, TEMPLATE);
    assert.equal(created, 201);
    await untilApi(page, '/api/templates?status=approved', (a) => a.data.templates.some((t) => t.name === TEMPLATE.name),
      STEP_TIMEOUT_MS);

    const form = await openForm(page);
    const bubble = form.getByRole('region', { name: 'Preview' }).locator('.bubble-text');
    await bubble.filter({ hasText: 'Hi {{1}}, your class starts on {{2}}.' }).waitFor();
    await form.getByLabel('Value for {{1}}').fill('Parent');
    await bubble.filter({ hasText: 'Hi Parent, your class starts on {{2}}.' }).waitFor();
    const tags = form.getByRole('group', { name: 'Tags in use' });
    await tags.getByRole('button', { name: 'research' }).click();
    assert.equal(await form.getByLabel('Tags', { exact: true }).inputValue(), 'research');
    assert.equal(await tags.getByRole('button', { name: 'research' }).getAttribute('aria-pressed'), 'true');
    await form.getByRole('button', { name: 'Start broadcast' }).click();
    await form.getByText('Enter the value for {{2}}.').waitFor();
    await form.getByLabel('Value for {{2}}').fill('Monday');

    await form.getByRole('tab', { name: 'Paste numbers' }).click();
    await form.getByRole('button', { name: 'Start broadcast' }).click();
    await form.getByText('Enter at least one phone number.').waitFor();
    await form.getByLabel('Phone numbers').fill('12345');
    await form.getByLabel('Messages per second').fill('5000');
    await form.getByRole('button', { name: 'Start broadcast' }).click();
    await form.getByText('Enter a whole number from 1 to 1000, or leave it empty.').waitFor();
    await form.getByLabel('Messages per second').fill('');
    const answered = page.waitForResponse((res) => res.url().endsWith('/api/broadcasts') && res.request().method() === 'POST');
    await form.getByRole('button', { name: 'Start broadcast' }).click();
    const res = await answered;
    const body = await res.json();
    if (res.status() !== 400 || body.code !== 'NO_RECIPIENTS') {
      run.contract.push(`POST /api/broadcasts with only an invalid phone answered ${res.status()} ${body.code}, expected 400 NO_RECIPIENTS`);
    }
    await form.getByText(body.message).waitFor();
    assert.equal(await form.getByLabel('Phone numbers').getAttribute('aria-invalid'), 'true');
    await screenshot(page, 'broadcast-form');
    await form.getByRole('button', { name: 'Cancel' }).click();
    await form.waitFor({ state: 'detached' });
  });

  step('a broadcast to pasted numbers starts, shows live progress, pauses while running and resumes', async (page) => {
    const form = await openForm(page, ['Parent', 'Monday']);
    await form.getByLabel('Name').fill(PASTED.name);
    await form.getByRole('tab', { name: 'Paste numbers' }).click();
    await form.getByLabel('Phone numbers').fill(PASTED.phones.join('\n'));
    await form.getByText('8 numbers').waitFor();
    await form.getByLabel('Messages per second').fill('1');
    await form.getByRole('button', { name: 'Start broadcast' }).click();
    await page.waitForURL((url) => /^#\/broadcasts\/[^/]+$/.test(url.hash));
    shared.pastedId = currentId(page);
    await page.locator('.toast', { hasText: 'Broadcast started: 6 recipients (2 skipped)' }).waitFor();
    await heading(page, PASTED.name);
    await statusBadge(page, 'Running').waitFor();

    await page.getByRole('button', { name: 'Pause' }).click();
    await dismissToast(page, 'Broadcast paused');
    await statusBadge(page, 'Paused').waitFor();
    await page.locator('.broadcast-reason', { hasText: 'Paused by a user' }).waitFor();
    await page.getByText('Paused: nothing more is sent until it is resumed.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Pause' }).count(), 0);
    const paused = await apiBroadcast(page, shared.pastedId, (b) => b.status === 'paused');
    assert.ok(paused.progress.queued > 0, 'messages are still queued while paused');
    assert.ok(Number(await counter(page, 'Queued').textContent()) > 0, 'the page shows them queued');
    await screenshot(page, 'broadcast-paused');

    await page.getByRole('button', { name: 'Resume' }).click();
    await dismissToast(page, 'Broadcast resumed');
    await statusBadge(page, 'Completed').waitFor({ timeout: COMPLETE_MS });
    assert.equal(await page.getByRole('button', { name: 'Resume' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Cancel broadcast' }).count(), 0);
    assert.equal(await page.locator('.progress-value').first().textContent(), '100%');
    // Read receipts may arrive after the last send: wait for them at the API, then Refresh.
    await apiBroadcast(page, shared.pastedId, (b) => b.progress.read === 6);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await counter(page, 'Read').filter({ hasText: /^6$/ }).waitFor();
    const counts = {};
    for (const label of ['Queued', 'Sent', 'Delivered', 'Read', 'Failed', 'Skipped']) counts[label] = await counter(page, label).textContent();
    assert.deepEqual(counts, { Queued: '0', Sent: '6', Delivered: '6', Read: '6', Failed: '0', Skipped: '1' });
    await page.getByText('6 (2 skipped: 1 invalid phone number, 1 listed twice)').waitFor();
    await screenshot(page, 'broadcast-completed');
  });

  step('the report lists every recipient; the CSV download answers with the report', async (page) => {
    const table = page.getByRole('table', { name: 'Recipients' });
    await table.locator('tbody tr').nth(6).waitFor();
    assert.equal(await table.locator('tbody tr').count(), 7); // the repeated number is not listed again
    await reportRow(page, '+15550100001').locator('.badge', { hasText: 'Read' }).waitFor();
    await reportRow(page, '12345').getByText('Invalid phone number').waitFor();
    await page.getByLabel('Recipient status').selectOption('skipped');
    await page.locator('.pager-summary', { hasText: 'Showing 1–1 of 1' }).waitFor();
    await page.getByLabel('Recipient status').selectOption('');
    await page.locator('.pager-summary', { hasText: 'Showing 1–7 of 7' }).waitFor();

    const link = page.getByRole('link', { name: 'Download report (CSV)' });
    assert.ok((await link.getAttribute('download')).endsWith('.csv'), 'the link downloads a file');
    const csv = await page.evaluate(async (href) => {
      const res = await fetch(href);
      return { status: res.status, type: res.headers.get('Content-Type'), text: await res.text() };
    }, await link.getAttribute('href'));
    assert.equal(csv.status, 200);
    assert.match(csv.type, /^text\/csv/);
    const lines = csv.text.trim().split('\n');
    assert.match(lines[0], /^phone,name,status,/);
    assert.equal(lines.length, 8);
    assert.ok(lines.some((l) => l.startsWith('15550100001,') && l.includes(',read,')), 'a read recipient in the CSV');
  });

  step('a broadcast from an uploaded CSV file shows WhatsApp\'s error on the failed recipient', async (page) => {
    await simControl('/rules', { recipient: CSV.failing, code: 131026, mode: 'async', count: 1 });
    await sidebarLink(page, 'Broadcasts').click();
    await listRow(page, PASTED.name).waitFor();
    const form = await openForm(page);
    await form.getByLabel('Name').fill(CSV.name);
    await form.getByRole('tab', { name: 'Upload CSV' }).click();
    await form.getByText('Columns: phone, name, var1 ({{1}}), var2 ({{2}})', { exact: false }).waitFor();
    await form.getByLabel('CSV file').setInputFiles({ name: 'parents.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV.text) });
    await form.getByText('3 rows:').waitFor();
    await form.getByRole('table', { name: 'First rows of the file' }).getByText('Rao, Asha').waitFor();
    await screenshot(page, 'broadcast-form-csv');
    await form.getByRole('button', { name: 'Start broadcast' }).click();
    await page.locator('.toast', { hasText: 'Broadcast started: 3 recipients (0 skipped)' }).waitFor();
    await heading(page, CSV.name);
    const id = currentId(page);
    await statusBadge(page, 'Completed').waitFor({ timeout: COMPLETE_MS });
    await apiBroadcast(page, id, (b) => b.progress.failed === 1 && b.progress.read === 2);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await counter(page, 'Failed').filter({ hasText: /^1$/ }).waitFor();
    const failed = reportRow(page, 'Ben Okafor');
    await failed.locator('.badge', { hasText: 'Failed' }).waitFor();
    await failed.getByText('(131026)', { exact: false }).waitFor();
    await reportRow(page, 'Rao, Asha').locator('.badge', { hasText: 'Read' }).waitFor();
  });

  step('a scheduled broadcast waits for its time and can be cancelled after confirming', async (page) => {
    await sidebarLink(page, 'Broadcasts').click();
    await listRow(page, CSV.name).waitFor();
    const form = await openForm(page, ['Friend', 'New Year\'s Day']);
    await form.getByLabel('Name').fill(SCHEDULED.name);
    await form.getByRole('tab', { name: 'Paste numbers' }).click();
    await form.getByLabel('Phone numbers').fill(SCHEDULED.phones.join('\n'));
    await form.getByLabel('Start at').fill(SCHEDULED.at);
    await form.getByRole('button', { name: 'Schedule broadcast' }).click();
    await dismissToast(page, 'Broadcast scheduled: 2 recipients (0 skipped)');
    await heading(page, SCHEDULED.name);
    await statusBadge(page, 'Scheduled').waitFor();
    const id = currentId(page);
    const answer = await page.evaluate(async (bid) => (await fetch(`/api/broadcasts/${bid}`)).json(), id);
    assert.equal(answer.data.broadcast.scheduleAt, new Date(SCHEDULED.at).toISOString());
    await page.getByText(/^Starts /).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Resume' }).count(), 0);

    await page.getByRole('button', { name: 'Cancel broadcast' }).click();
    const confirm = page.getByRole('dialog', { name: 'Cancel this broadcast?' });
    await confirm.getByText('the 2 messages not sent yet will never be sent', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: 'Cancel broadcast' }).click();
    await confirm.waitFor({ state: 'detached' });
    await dismissToast(page, 'Broadcast cancelled');
    await statusBadge(page, 'Cancelled').waitFor();
    await page.locator('.broadcast-reason', { hasText: 'Cancelled by a user' }).waitFor();
    assert.equal(await counter(page, 'Cancelled').textContent(), '2');
    assert.equal(await page.locator('.broadcast-actions').count(), 0, 'no actions on a cancelled broadcast');
    await reportRow(page, '+15550100101').locator('.badge', { hasText: 'Cancelled' }).waitFor();
    const refused = await page.evaluate(async (bid) => {
      const res = await fetch(`/api/broadcasts/${bid}/pause`, { method: 'POST' });
      return { status: res.status, code: (await res.json()).code };
    }, id);
    if (refused.status !== 409 || refused.code !== 'BROADCAST_NOT_PAUSABLE') {
      run.contract.push(`POST /api/broadcasts/:id/pause on a cancelled broadcast answered ${refused.status} ${refused.code}, `
        + 'expected 409 BROADCAST_NOT_PAUSABLE');
    }
  });

  step('the list shows each broadcast\'s status and progress; the filter and a row click work', async (page) => {
    await page.getByRole('link', { name: 'All broadcasts' }).click();
    await expectHash(page, '#/broadcasts');
    await listRow(page, SCHEDULED.name).locator('.badge', { hasText: 'Cancelled' }).waitFor();
    const pasted = listRow(page, PASTED.name);
    await pasted.locator('.badge', { hasText: 'Completed' }).waitFor();
    assert.equal(await pasted.locator('.progress-value').textContent(), '100%');
    await listRow(page, CSV.name).locator('td').nth(7).filter({ hasText: /^1$/ }).waitFor(); // Failed
    await page.locator('.pager-summary', { hasText: 'Showing 1–3 of 3' }).waitFor();
    await screenshot(page, 'broadcasts');
    await page.getByLabel('Status').selectOption('cancelled');
    await page.locator('.pager-summary', { hasText: 'Showing 1–1 of 1' }).waitFor();
    await page.getByLabel('Status').selectOption('failed');
    await page.getByText('No broadcasts with this status.').waitFor();
    await page.getByLabel('Status').selectOption('');
    await listRow(page, PASTED.name).locator('td').nth(2).click(); // a click on the row, not its link
    await expectHash(page, `#/broadcasts/${shared.pastedId}`);
    await heading(page, PASTED.name);
  });

  step('on a phone-sized screen a broadcast\'s page fits the width', async (page) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await statusBadge(page, 'Completed').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 375);
    await screenshot(page, 'broadcast-mobile');
    await page.setViewportSize({ width: 1280, height: 800 });
  });
}

// Runs while an agent is signed in (after agentSteps).
export function agentBroadcastSteps() {
  step('an agent follows broadcasts but cannot start or change one', async (page) => {
    await sidebarLink(page, 'Broadcasts').click();
    await expectHash(page, '#/broadcasts');
    await listRow(page, PASTED.name).waitFor();
    assert.equal(await page.getByRole('button', { name: 'New broadcast' }).count(), 0, 'no "New broadcast" button');
    await page.getByRole('link', { name: SCHEDULED.name }).click();
    await statusBadge(page, 'Cancelled').waitFor();
    await page.getByRole('link', { name: 'Download report (CSV)' }).waitFor();
    for (const name of ['Pause', 'Resume', 'Cancel broadcast']) {
      assert.equal(await page.getByRole('button', { name }).count(), 0, `no "${name}" button`);
    }
    const refused = await page.evaluate(async () => {
      const res = await fetch('/api/broadcasts', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ templateName: 'class_reminder', variables: ['a', 'b'], phones: ['+15550100001'] }) });
      return { status: res.status, code: (await res.json()).code };
    });
    assert.deepEqual(refused, { status: 403, code: 'INSUFFICIENT_ROLE' });
  });
}
