// Steps for Settings > WhatsApp numbers, against the server's sandbox: the Sandbox number is
// listed as Active and Default with the webhook setup box; then a "real-looking" number is
// added through the form. The simulator accepts any access token unless its control API was
// told the token expired, so the test expires the token first: Test connection must then fail
// with Meta's code 190 and the card must say "Reconnect required". A new token clears it,
// the test then succeeds, and the number is made default, back, and removed.

import assert from 'node:assert/strict';
import { dismissToast, expectHash, heading, run, screenshot, sidebarLink, simControl, step } from './harness.mjs';

export const wa = { sandboxNumberId: null }; // shared with steps-conversations.mjs

const NUMBER = { id: '106540352242922', waba: '102290129340398', name: 'Support line', phone: '+91 98765 00000' };
const EXPIRED_TOKEN = 'EAAG-e2e-token-that-meta-refuses';
const FRESH_TOKEN = 'EAAG-e2e-fresh-token';

function numberCard(page, name) {
  return page.getByRole('region', { name });
}

async function phoneNumbers(page) {
  return page.evaluate(async () => (await fetch('/api/settings/phone-numbers')).json());
}

export async function openNumbersTab(page) {
  await sidebarLink(page, 'Settings').click();
  await expectHash(page, '#/settings/profile');
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'WhatsApp numbers' }).click();
  await expectHash(page, '#/settings/whatsapp-numbers');
  await heading(page, 'WhatsApp numbers', 2);
}

export function sandboxNumberSteps() {
  step('Settings > WhatsApp numbers shows the Sandbox number, Active and Default, and the webhook URL', async (page) => {
    await openNumbersTab(page);
    const card = numberCard(page, 'Sandbox');
    await card.getByText('Sandbox (simulated, no real WhatsApp)').waitFor();
    await card.getByText('Messages to and from this number go to Pixels\' built-in simulator', { exact: false }).waitFor();
    await card.locator('.badge', { hasText: 'Active' }).waitFor();
    await card.locator('.badge', { hasText: 'Default' }).waitFor();
    const answer = await phoneNumbers(page);
    assert.equal(answer.sandbox, true);
    const sandbox = answer.phoneNumbers.find((n) => n.sandbox);
    assert.ok(sandbox, 'the API lists a sandbox number');
    assert.deepEqual([sandbox.displayName, sandbox.status, sandbox.isDefault], ['Sandbox', 'active', true]);
    wa.sandboxNumberId = sandbox.phoneNumberId;
    await card.getByText(sandbox.phoneNumberId, { exact: true }).waitFor();

    const webhook = page.locator('.webhook-card');
    const url = `${run.url}/api/webhooks/whatsapp`;
    assert.equal(answer.webhook.url, url);
    assert.equal(await webhook.getByLabel('Callback URL').inputValue(), url);
    await webhook.getByRole('button', { name: 'Copy' }).click();
    await webhook.getByRole('button', { name: 'Copied!' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url);
    for (const [set, envVar] of [[answer.webhook.verifyTokenSet, 'META_VERIFY_TOKEN'], [answer.webhook.appSecretSet, 'META_APP_SECRET']]) {
      assert.equal(await webhook.getByText(envVar, { exact: true }).count(), set ? 0 : 1, `${envVar} advice`);
    }
    await screenshot(page, 'numbers');
  });
}

async function addNumber(page) {
  await page.getByRole('button', { name: 'Add number' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a WhatsApp number' });
  await dialog.getByLabel('Phone number ID').fill('not-digits');
  await dialog.getByLabel('WhatsApp Business Account ID').fill(NUMBER.waba);
  await dialog.getByLabel('Access token').fill(EXPIRED_TOKEN);
  await dialog.getByLabel('Display name').fill(NUMBER.name);
  await dialog.locator('input[name="displayPhone"]').fill(NUMBER.phone);
  await dialog.getByRole('button', { name: 'Add number' }).click();
  await dialog.getByText('Phone number ID must be Meta\'s numeric id').waitFor();
  assert.equal(await dialog.getByLabel('Phone number ID').getAttribute('aria-invalid'), 'true');
  await dialog.getByLabel('Phone number ID').fill(NUMBER.id);
  await dialog.getByRole('button', { name: 'Add number' }).click();
  await dialog.waitFor({ state: 'detached' });
  await dismissToast(page, 'Phone number added');
}

export function numberLifecycleSteps() {
  step('a number whose token Meta refuses: Test connection shows the error and "Reconnect required"', async (page) => {
    await openNumbersTab(page);
    // The simulator plays Meta for any number id; this makes it refuse the token with code 190.
    await simControl('/tokens/expired', { token: EXPIRED_TOKEN });
    await addNumber(page);
    const card = numberCard(page, NUMBER.name);
    await card.locator('.badge', { hasText: 'Active' }).waitFor();
    await card.getByText(NUMBER.phone, { exact: true }).waitFor();

    const tested = page.waitForResponse((res) => res.url().endsWith('/test'));
    run.expectedBadGateway += 1;
    await card.getByRole('button', { name: 'Test connection' }).click();
    const res = await tested;
    const body = await res.json();
    assert.equal(res.status(), 502);
    await card.locator('.test-result-error').waitFor();
    await card.locator('.badge', { hasText: 'Reconnect required' }).waitFor();
    await card.locator('.number-alert').getByText(/^Meta refused the access token \(code 190\)/).waitFor(); // statusReason
    await card.getByRole('button', { name: 'Update token' }).waitFor();
    const shown = await card.locator('.test-result-error').textContent();
    assert.ok(shown.includes(body.message), `the card shows the server's message "${body.message}"`);
    if (body.code !== 'META_TOKEN_EXPIRED') {
      run.contract.push(`POST /api/settings/phone-numbers/:id/test with a refused token answered ${res.status()} `
        + `${body.code} "${body.message}", expected 502 META_TOKEN_EXPIRED`);
    }
    await page.evaluate(() => window.scrollTo(0, 0)); // the sticky bars would land mid-page otherwise
    await screenshot(page, 'numbers-reconnect');
  });

  step('a new token clears "Reconnect required"; the test then succeeds', async (page) => {
    const card = numberCard(page, NUMBER.name);
    await card.getByRole('button', { name: 'Update token' }).click();
    const dialog = page.getByRole('dialog', { name: `Update the token of ${NUMBER.name}` });
    await dialog.getByLabel('New access token').fill(FRESH_TOKEN);
    await dialog.getByLabel('Throughput (messages per second)').fill('40');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'detached' });
    await dismissToast(page, 'Phone number updated');
    await card.locator('.badge', { hasText: 'Active' }).waitFor();
    await card.getByText('40 messages/second').waitFor();
    assert.equal(await card.getByText('Reconnect required').count(), 0);

    await card.getByRole('button', { name: 'Test connection' }).click();
    await card.getByText(/^Connection test successful\./).waitFor();
    await card.getByText('High (green)').waitFor(); // the quality rating the simulator reports
  });

  step('Set default moves the Default label; Remove asks first and deletes the number', async (page) => {
    const card = numberCard(page, NUMBER.name);
    const sandbox = numberCard(page, 'Sandbox');
    await card.getByRole('button', { name: 'Set default' }).click();
    await dismissToast(page, 'Default phone number set');
    await card.locator('.badge', { hasText: 'Default' }).waitFor();
    await sandbox.locator('.badge', { hasText: 'Default' }).waitFor({ state: 'detached' });
    await sandbox.getByRole('button', { name: 'Set default' }).click();
    await dismissToast(page, 'Default phone number set');
    await sandbox.locator('.badge', { hasText: 'Default' }).waitFor();

    await card.getByRole('button', { name: 'Remove' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove this number?' });
    await confirm.getByText(NUMBER.name).waitFor();
    await confirm.getByRole('button', { name: 'Remove number' }).click();
    await confirm.waitFor({ state: 'detached' });
    await dismissToast(page, 'Phone number removed');
    await card.waitFor({ state: 'detached' });
    const answer = await phoneNumbers(page);
    assert.deepEqual(answer.phoneNumbers.map((n) => n.displayName), ['Sandbox']);
  });
}
