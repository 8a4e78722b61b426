// Steps for the Templates page, against the sandbox (the built-in simulator plays Meta): the
// empty state; the form's checks and its live preview; a draft saved, then submitted from its
// row and Pending (the simulator's automatic review is switched off, so it waits for its
// control API); Meta approving it; "Sync with Meta"; a template submitted straight from the
// form and rejected with a reason shown in its row; editing the rejected one back into a
// draft; a duplicate name; Meta refusing a submission (the draft is kept); delete with
// confirmation (also at Meta); and an agent's read-only view.
// Status webhooks are applied asynchronously: the test waits for the API to report the new
// status before it reloads the list, never for a fixed time.

import assert from 'node:assert/strict';
import { dismissToast, expectHash, heading, run, screenshot, sidebarLink, simControl, step, STEP_TIMEOUT_MS } from './harness.mjs';

const ORDER = {
  name: 'order_ready', header: 'Order update', body: 'Hi {{1}}, your order {{2}} is ready for pickup.',
  footer: 'Reply STOP to opt out', examples: ['Asha', 'A-1042'],
};
const WELCOME = { name: 'welcome_note', body: 'Welcome {{customer_name}}! Reply to this message to reach us.', example: 'Priya' };
const SALE = { name: 'spring_sale', body: 'Our spring sale has started.' };
const REVIEW_MS = 500; // the simulator's default automatic review delay, restored at the end

const shared = { waba: null };

function table(page) {
  return page.getByRole('table', { name: 'Templates' });
}

function row(page, name) {
  return table(page).locator('tbody tr').filter({ has: page.locator('.template-name').getByText(name, { exact: true }) });
}

async function stat(page, label) {
  return page.locator('.template-stat', { has: page.locator('dt', { hasText: label }) }).locator('dd').textContent();
}

// Waits until GET /api/templates reports the template with this status (polls the API from
// the page, with its session). A loop, not page.waitForFunction: an async predicate's promise
// would count as truthy at once.
async function apiStatus(page, name, status) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const found = await page.evaluate(async ([n, s]) => {
      const answer = await (await fetch('/api/templates?limit=500')).json();
      return answer.data.templates.some((t) => t.name === n && t.status === s);
    }, [name, status]);
    if (found) return;
    if (Date.now() > deadline) throw new Error(`template ${name} never became ${status}`);
    await new Promise((resolve) => { setTimeout(resolve, 100); });
  }
}

// Meta's list for the sandbox WABA, read from the simulator's Graph API (it takes any token).
async function metaTemplates() {
  const res = await fetch(`${run.sim}/v21.0/${shared.waba}/message_templates?limit=100`, {
    headers: { Authorization: 'Bearer e2e-any-token' },
  });
  assert.equal(res.status, 200);
  return (await res.json()).data;
}

async function fillOrderForm(dialog) {
  await dialog.getByLabel('Header').fill(ORDER.header);
  await dialog.getByLabel('Body').fill(ORDER.body);
  await dialog.getByLabel('Footer').fill(ORDER.footer);
}

export function templateSteps() {
  step('Templates opens from the sidebar with its empty state', async (page) => {
    await sidebarLink(page, 'Templates').click();
    await expectHash(page, '#/templates');
    await heading(page, 'Templates');
    await page.getByText('No templates yet.').waitFor();
    await page.getByText('Create one with "New template", or use "Sync with Meta"', { exact: false }).waitFor();
    assert.equal(await stat(page, 'Total'), '0');
    const numbers = await page.evaluate(async () => (await fetch('/api/settings/phone-numbers')).json());
    shared.waba = numbers.phoneNumbers.find((n) => n.sandbox).wabaId;
    assert.ok(shared.waba, 'the sandbox number has a WABA id');
  });

  step('the form checks the name and variables, and previews the message with the examples', async (page) => {
    await page.getByRole('button', { name: 'New template' }).click();
    const dialog = page.getByRole('dialog', { name: 'New template' });
    await dialog.getByLabel('Name', { exact: true }).fill('Order Ready');
    await dialog.getByLabel('Body').fill('Hi {{1}}, your order {{3}}');
    await dialog.getByRole('button', { name: 'Save draft' }).click();
    await dialog.getByText('Use only lower-case letters, numbers and underscores').waitFor();
    await dialog.getByText('Number the variables {{1}} to {{2}} without gaps.').waitFor();
    assert.equal(await dialog.getByLabel('Name', { exact: true }).getAttribute('aria-invalid'), 'true');

    await fillOrderForm(dialog);
    const preview = dialog.getByRole('region', { name: 'Preview' });
    const body = preview.locator('.bubble-text');
    await body.filter({ hasText: 'Hi {{1}}, your order {{2}} is ready for pickup.' }).waitFor();
    await dialog.getByLabel('Example for {{1}}').fill(ORDER.examples[0]);
    await body.filter({ hasText: 'Hi Asha, your order {{2}} is ready for pickup.' }).waitFor();
    await dialog.getByLabel('Example for {{2}}').fill(ORDER.examples[1]);
    await body.filter({ hasText: 'Hi Asha, your order A-1042 is ready for pickup.' }).waitFor();
    assert.equal(await body.textContent(), 'Hi Asha, your order A-1042 is ready for pickup.');
    assert.equal(await preview.locator('.template-preview-header').textContent(), ORDER.header);
    assert.equal(await preview.locator('.template-preview-footer').textContent(), ORDER.footer);
    await dialog.getByLabel('Name', { exact: true }).fill(ORDER.name);
    await screenshot(page, 'template-form');
  });

  step('Save draft lists the template as a Draft; the API kept header, footer and examples', async (page) => {
    const dialog = page.getByRole('dialog', { name: 'New template' });
    await dialog.getByRole('button', { name: 'Save draft' }).click();
    await dialog.waitFor({ state: 'detached' });
    await dismissToast(page, 'Template created successfully');
    const r = row(page, ORDER.name);
    await r.locator('.badge', { hasText: 'Draft' }).waitFor();
    await r.getByText(ORDER.body).waitFor();
    assert.deepEqual([await stat(page, 'Drafts'), await stat(page, 'Total')], ['1', '1']);

    const answer = await page.evaluate(async () => (await fetch('/api/templates')).json());
    const t = answer.data.templates[0];
    assert.deepEqual([t.name, t.language, t.category, t.status, t.content, t.variables],
      [ORDER.name, 'en', 'UTILITY', 'draft', ORDER.body, ['1', '2']]);
    const byType = Object.fromEntries(t.components.map((c) => [c.type, c]));
    assert.equal(byType.HEADER.text, ORDER.header);
    assert.equal(byType.FOOTER.text, ORDER.footer);
    assert.deepEqual(byType.BODY.example.body_text, [ORDER.examples]);
  });

  step('Submit sends the draft to Meta; it is Pending while Meta reviews it', async (page) => {
    await simControl('/config', { template_review_ms: 0 }); // reviews wait for the control API
    const r = row(page, ORDER.name);
    await r.getByRole('button', { name: `Submit ${ORDER.name}` }).click();
    await dismissToast(page, 'Template submitted for review');
    await r.locator('.badge', { hasText: 'Pending' }).waitFor();
    assert.equal(await r.getByRole('button', { name: `Submit ${ORDER.name}` }).count(), 0);
    assert.equal(await r.getByRole('button', { name: `Edit ${ORDER.name}` }).count(), 0);
    assert.equal(await stat(page, 'Pending'), '1');
    assert.deepEqual((await metaTemplates()).map((t) => [t.name, t.status]), [[ORDER.name, 'PENDING']]);
  });

  step('once Meta approves it, Refresh shows Approved and the row has no Edit button', async (page) => {
    await simControl('/templates/status', { waba_id: shared.waba, name: ORDER.name, language: 'en', status: 'APPROVED' });
    await apiStatus(page, ORDER.name, 'approved');
    await page.getByRole('button', { name: 'Refresh' }).click();
    const r = row(page, ORDER.name);
    await r.locator('.badge', { hasText: 'Approved' }).waitFor();
    assert.equal(await r.getByRole('button', { name: `Edit ${ORDER.name}` }).count(), 0);
    await r.getByRole('button', { name: `Delete ${ORDER.name}` }).waitFor();
    assert.deepEqual([await stat(page, 'Approved'), await stat(page, 'Pending')], ['1', '0']);
  });

  step('"Sync with Meta" reads Meta\'s list and says what changed', async (page) => {
    const answered = page.waitForResponse((res) => res.url().endsWith('/api/templates/sync'));
    await page.getByRole('button', { name: 'Sync with Meta' }).click();
    const res = await answered;
    const body = await res.json();
    assert.equal(res.status(), 200);
    assert.deepEqual([body.data.synced, body.data.created, body.data.updated], [1, 0, 1]);
    await dismissToast(page, 'Synced 1 template: 0 new, 1 updated');
    await row(page, ORDER.name).locator('.badge', { hasText: 'Approved' }).waitFor();
    assert.equal(await stat(page, 'Total'), '1');
  });

  step('"Submit to Meta" in the form creates a template with a named variable, Pending', async (page) => {
    await page.getByRole('button', { name: 'New template' }).click();
    const dialog = page.getByRole('dialog', { name: 'New template' });
    await dialog.getByLabel('Name', { exact: true }).fill(WELCOME.name);
    await dialog.getByLabel('Category').selectOption('MARKETING');
    await dialog.getByLabel('Body').fill(WELCOME.body);
    await dialog.getByLabel('Example for {{customer_name}}').fill(WELCOME.example);
    await dialog.getByRole('region', { name: 'Preview' }).getByText('Welcome Priya! Reply to this message to reach us.').waitFor();
    await dialog.getByRole('button', { name: 'Submit to Meta' }).click();
    await dialog.waitFor({ state: 'detached' });
    await dismissToast(page, 'Template created and submitted for review');
    const r = row(page, WELCOME.name);
    await r.locator('.badge', { hasText: 'Pending' }).waitFor();
    await r.getByText('Marketing').waitFor();
    assert.deepEqual([await stat(page, 'Pending'), await stat(page, 'Total')], ['1', '2']);
  });

  step('when Meta rejects it the row shows the reason; the status filter finds it', async (page) => {
    await simControl('/templates/status', {
      waba_id: shared.waba, name: WELCOME.name, language: 'en', status: 'REJECTED', reason: 'INVALID_FORMAT',
    });
    await apiStatus(page, WELCOME.name, 'rejected');
    await page.getByRole('button', { name: 'Refresh' }).click();
    const r = row(page, WELCOME.name);
    await r.locator('.badge', { hasText: 'Rejected' }).waitFor();
    await r.getByText('Reason: INVALID_FORMAT').waitFor();
    await r.getByRole('button', { name: `Edit ${WELCOME.name}` }).waitFor();
    await screenshot(page, 'templates');

    await page.getByLabel('Status').selectOption('rejected');
    await page.locator('.pager-summary', { hasText: 'Showing 1–1 of 1' }).waitFor();
    assert.equal(await row(page, ORDER.name).count(), 0);
    await page.getByLabel('Status').selectOption('paused');
    await page.getByText('No templates with this status.').waitFor();
    await page.getByLabel('Status').selectOption('');
    await page.locator('.pager-summary', { hasText: 'Showing 1–2 of 2' }).waitFor();
  });

  step('on a phone-sized screen the templates table scrolls inside its card', async (page) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await row(page, WELCOME.name).getByText('Reason: INVALID_FORMAT').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 375);
    await screenshot(page, 'templates-mobile');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  step('editing the rejected template fills the form; saving makes it a draft again', async (page) => {
    await row(page, WELCOME.name).getByRole('button', { name: `Edit ${WELCOME.name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Edit ${WELCOME.name}` });
    assert.equal(await dialog.getByLabel('Name', { exact: true }).inputValue(), WELCOME.name);
    assert.equal(await dialog.getByLabel('Category').inputValue(), 'MARKETING');
    assert.equal(await dialog.getByLabel('Body').inputValue(), WELCOME.body);
    assert.equal(await dialog.getByLabel('Example for {{customer_name}}').inputValue(), WELCOME.example);
    await dialog.getByLabel('Body').fill('Welcome {{customer_name}}! Reply here to reach our team.');
    await dialog.getByRole('region', { name: 'Preview' }).getByText('Welcome Priya! Reply here to reach our team.').waitFor();
    await dialog.getByRole('button', { name: 'Save draft' }).click();
    await dialog.waitFor({ state: 'detached' });
    await dismissToast(page, 'Template updated successfully');
    const r = row(page, WELCOME.name);
    await r.locator('.badge', { hasText: 'Draft' }).waitFor();
    assert.equal(await r.getByText('Reason: INVALID_FORMAT').count(), 0);
    await r.getByRole('button', { name: `Submit ${WELCOME.name}` }).waitFor();
  });

  step('a name already in use is refused on the Name field', async (page) => {
    await page.getByRole('button', { name: 'New template' }).click();
    const dialog = page.getByRole('dialog', { name: 'New template' });
    await dialog.getByLabel('Name', { exact: true }).fill(WELCOME.name);
    await dialog.getByLabel('Body').fill('Hello again');
    await dialog.getByRole('button', { name: 'Save draft' }).click();
    await dialog.getByText('A template with this name and language already exists.').waitFor();
    assert.equal(await dialog.getByLabel('Name', { exact: true }).getAttribute('aria-invalid'), 'true');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  step('when Meta refuses a submission the dialog says so and keeps the template as a draft', async (page) => {
    // Meta already has a template of this name and language (made in WhatsApp Manager, say).
    const made = await fetch(`${run.sim}/v21.0/${shared.waba}/message_templates`, {
      method: 'POST', headers: { Authorization: 'Bearer e2e-any-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: SALE.name, language: 'en', category: 'MARKETING', components: [{ type: 'BODY', text: 'Sale!' }] }),
    });
    assert.equal(made.status, 200);
    await page.getByRole('button', { name: 'New template' }).click();
    const dialog = page.getByRole('dialog', { name: 'New template' });
    await dialog.getByLabel('Name', { exact: true }).fill(SALE.name);
    await dialog.getByLabel('Body').fill(SALE.body);
    const answered = page.waitForResponse((res) => res.url().endsWith('/api/templates') && res.request().method() === 'POST');
    run.expectedBadGateway += 1;
    await dialog.getByRole('button', { name: 'Submit to Meta' }).click();
    const res = await answered;
    assert.equal(res.status(), 502);
    const { message } = await res.json();
    await dialog.getByRole('alert').getByText(`Saved as a draft, but Meta did not accept it: ${message}`).waitFor();
    await dialog.getByLabel('Body').fill(`${SALE.body} Ends Sunday.`);
    await dialog.getByRole('button', { name: 'Save draft' }).click(); // now updates the kept draft
    await dialog.waitFor({ state: 'detached' });
    await dismissToast(page, 'Template updated successfully');
    const r = row(page, SALE.name);
    await r.locator('.badge', { hasText: 'Draft' }).waitFor();
    await r.getByText(`${SALE.body} Ends Sunday.`).waitFor();
    assert.equal(await stat(page, 'Total'), '3');
  });

  step('deleting a template asks first, then removes it here and at Meta', async (page) => {
    await row(page, ORDER.name).getByRole('button', { name: `Delete ${ORDER.name}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete this template?' });
    await confirm.getByText(ORDER.name).waitFor();
    await confirm.getByRole('button', { name: 'Delete template' }).click();
    await confirm.waitFor({ state: 'detached' });
    await dismissToast(page, 'Template deleted successfully');
    await row(page, ORDER.name).waitFor({ state: 'detached' });
    assert.equal(await stat(page, 'Total'), '2');
    assert.ok(!(await metaTemplates()).some((t) => t.name === ORDER.name), 'Meta no longer lists it');
    await simControl('/config', { template_review_ms: REVIEW_MS });
  });
}

// Runs while an agent is signed in (after agentSteps).
export function agentTemplateSteps() {
  step('an agent sees the templates but no way to change them', async (page) => {
    await sidebarLink(page, 'Templates').click();
    await expectHash(page, '#/templates');
    await row(page, WELCOME.name).locator('.badge', { hasText: 'Draft' }).waitFor();
    for (const name of ['New template', 'Sync with Meta']) {
      assert.equal(await page.getByRole('button', { name }).count(), 0, `no "${name}" button`);
    }
    assert.equal(await table(page).getByRole('button').count(), 0, 'no row actions');
    const refused = await page.evaluate(async () => {
      const res = await fetch('/api/templates/sync', { method: 'POST' });
      return { status: res.status, code: (await res.json()).code };
    });
    assert.deepEqual(refused, { status: 403, code: 'INSUFFICIENT_ROLE' });
  });
}
