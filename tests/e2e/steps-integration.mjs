// Steps for Settings > API Keys ("Enromatics Integration") and the Audit log: generate the
// integration token from the dashboard, prove it works against the API from outside the browser
// (no cookie), regenerate (the old value answers 401 TOKEN_REVOKED), revoke, and find the
// token events in the audit log. Token use from a second loopback address (127.0.0.2) is the
// "unusual activity" the page must report.

import assert from 'node:assert/strict';
import http from 'node:http';
import { dismissToast, expectHash, heading, run, screenshot, sidebarLink, step } from './harness.mjs';

const TOKEN_RE = /^wpi_int_[0-9a-f]{64}$/;
const tokens = { first: null, second: null };

// GET /api/integrations/health with the token, as Enromatics' backend would call it.
async function health(token) {
  const res = await fetch(`${run.api}/api/integrations/health`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

// The same call from another source address (127.0.0.2 reaches the 127.0.0.1 listener on Linux).
function healthFrom(localAddress, token) {
  return new Promise((resolve, reject) => {
    const req = http.get(`${run.api}/api/integrations/health`, { localAddress, headers: { Authorization: `Bearer ${token}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      });
    req.on('error', reject);
  });
}

function tokenDialog(page) {
  return page.getByRole('dialog', { name: 'Your integration token' });
}

// Reads the token from the open dialog, checks the copy button, closes with Done.
async function takeTokenFromDialog(page, screenshotName) {
  const dialog = tokenDialog(page);
  await dialog.waitFor();
  await dialog.getByText('⚠️ Copy this token now. It will not be shown again.').waitFor();
  const token = await dialog.getByLabel('Integration token').inputValue();
  assert.match(token, TOKEN_RE);
  await dialog.getByRole('button', { name: 'Copy' }).click();
  await dialog.getByRole('button', { name: 'Copied!' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token);
  if (screenshotName) await screenshot(page, screenshotName, { fullPage: false });
  // Escape must not throw the only copy of the token away.
  await page.keyboard.press('Escape');
  assert.ok(await dialog.isVisible(), 'Escape closed the token dialog');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await dialog.waitFor({ state: 'detached' });
  await dismissToast(page, 'Integration token generated');
  return token;
}

// The page must not keep the full token anywhere in the DOM once the dialog is closed.
async function assertTokenGone(page, token) {
  const found = await page.evaluate((t) => document.documentElement.outerHTML.includes(t)
    || [...document.querySelectorAll('input, textarea')].some((el) => el.value.includes(t)), token);
  assert.equal(found, false, 'the full token is still in the page');
}

function settingsTab(page, name) {
  return page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name });
}

// Clicks a Settings tab and waits until it is the current one (rendered, not just routed).
async function openTab(page, name) {
  await settingsTab(page, name).click();
  await page.locator('.tab[aria-current="page"]', { hasText: name }).waitFor();
}

function tokenCard(page) {
  return page.getByRole('region', { name: 'Integration token' });
}

export function integrationTokenSteps() {
  step('Settings > API Keys shows the Enromatics Integration empty state', async (page) => {
    await sidebarLink(page, 'Settings').click();
    await settingsTab(page, 'API Keys').click();
    await expectHash(page, '#/settings/api-keys');
    await heading(page, 'Enromatics Integration', 2);
    await page.getByText('No integration token yet').waitFor();
    const generate = page.getByRole('button', { name: 'Generate Integration Token' });
    // The guide says "the blue button": it is the primary action, blue in this theme.
    assert.equal(await generate.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(37, 99, 235)');
    await page.getByText('No unusual activity').waitFor();
    await page.getByText(/pixels token-test <token> --url http:\/\/127\.0\.0\.1:5050/).waitFor();
    await screenshot(page, 'api-keys-empty');
  });

  step('Generate Integration Token shows the token once, then the card shows its prefix', async (page) => {
    await page.getByRole('button', { name: 'Generate Integration Token' }).click();
    tokens.first = await takeTokenFromDialog(page, 'token-modal');
    const card = tokenCard(page);
    await card.getByText(`${tokens.first.slice(0, 12)}…`).waitFor();
    await card.getByText('Active').waitFor();
    await card.getByText('Never used').waitFor();
    await assertTokenGone(page, tokens.first);
  });

  step('the token works against the integration API without a browser session', async (page) => {
    const { status, body } = await health(tokens.first);
    assert.equal(status, 200);
    assert.equal(body.data.authenticated, true);
    assert.equal(body.data.tokenPrefix, tokens.first.slice(0, 12));
    assert.equal(await healthFrom('127.0.0.2', tokens.first), 200);
    await page.reload();
    const card = tokenCard(page);
    await card.getByText('127.0.0.1').waitFor();
    assert.equal(await card.getByText('Never used').count(), 0);
    await page.locator('.activity-card').getByText('Used from a new address 127.0.0.2').waitFor();
    await screenshot(page, 'api-keys-card');
  });

  step('generating again asks first; the old token then answers 401 TOKEN_REVOKED', async (page) => {
    await page.getByRole('button', { name: 'Generate Integration Token' }).click();
    let confirm = page.getByRole('dialog', { name: 'Generate a new integration token?' });
    await confirm.getByText('revokes the current one').waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    assert.equal((await health(tokens.first)).status, 200, 'cancelling must keep the token');

    await page.getByRole('button', { name: 'Generate Integration Token' }).click();
    confirm = page.getByRole('dialog', { name: 'Generate a new integration token?' });
    await confirm.getByRole('button', { name: 'Generate new token' }).click();
    tokens.second = await takeTokenFromDialog(page);
    assert.notEqual(tokens.second, tokens.first);
    await tokenCard(page).getByText(`${tokens.second.slice(0, 12)}…`).waitFor();
    const old = await health(tokens.first);
    assert.equal(old.status, 401);
    assert.equal(old.body.code, 'TOKEN_REVOKED');
    assert.equal((await health(tokens.second)).status, 200);
  });

  step('Revoke asks first, leaves the empty state and the token stops working', async (page) => {
    await tokenCard(page).getByRole('button', { name: 'Revoke' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke the integration token?' });
    await confirm.getByRole('button', { name: 'Revoke token' }).click();
    await confirm.waitFor({ state: 'detached' });
    await dismissToast(page, 'Integration token revoked successfully');
    await page.getByText('No integration token yet').waitFor();
    const res = await health(tokens.second);
    assert.equal(res.status, 401);
    assert.equal(res.body.code, 'TOKEN_REVOKED');
  });

  step('the card warns 14 days before expiry and when the token has expired (answers rewritten)', async (page) => {
    const day = 86400000;
    const fake = (expiresAt, status) => ({ success: true, integrationToken: {
      exists: true, prefix: 'wpi_int_ab12', createdAt: new Date(Date.now() - 80 * day).toISOString(), expiresAt,
      lastUsedAt: null, lastUsedIp: null, status } });
    const showWith = async (body) => {
      await page.route('**/api/account/integration-token', (route) => route.fulfill({ json: body }));
      await openTab(page, 'Profile');
      await openTab(page, 'API Keys');
      await tokenCard(page).waitFor();
      await page.unroute('**/api/account/integration-token');
      return tokenCard(page);
    };
    let card = await showWith(fake(new Date(Date.now() + 5 * day + 3600000).toISOString(), 'active'));
    await card.getByText('This token expires in 5 days. Generate a new one and update Enromatics before then.').waitFor();
    card = await showWith(fake(new Date(Date.now() - 2 * day).toISOString(), 'expired'));
    await card.getByRole('alert').getByText(/^This token expired on /).waitFor();
    await card.getByText('Expired', { exact: true }).waitFor();
    card = await showWith(fake(null, 'active'));
    await card.getByText('Never', { exact: true }).waitFor();
    assert.equal(await card.getByRole('alert').count(), 0);
    await openTab(page, 'Profile');
    await openTab(page, 'API Keys');
    await page.getByText('No integration token yet').waitFor();
  });

  step('the Audit log lists the token events and filters by action', async (page) => {
    await page.getByRole('link', { name: 'Open the audit log' }).click();
    await expectHash(page, '#/settings/audit-log');
    const table = page.getByRole('table', { name: 'Audit log' });
    await table.waitFor();
    assert.equal(await table.getByText('token.generated', { exact: true }).count(), 2);
    assert.equal(await table.getByText('token.revoked', { exact: true }).count(), 1);
    await table.locator('tr.row-warning', { hasText: '127.0.0.2' }).waitFor();
    await page.locator('.pager-summary', { hasText: /^Showing 1–\d+ of \d+$/ }).waitFor();
    await screenshot(page, 'audit-log');

    await page.getByLabel('Action').selectOption('token.revoked');
    await page.locator('.pager-summary', { hasText: 'Showing 1–1 of 1' }).waitFor();
    assert.deepEqual(await table.locator('code.action-code').allTextContents(), ['token.revoked']);
    await page.getByLabel('Action').selectOption('');
    await page.locator('.pager-summary', { hasText: /^Showing 1–\d+ of (?!1$)\d+$/ }).waitFor();
  });
}
