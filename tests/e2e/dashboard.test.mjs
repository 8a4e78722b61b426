// Browser end-to-end test of the dashboard: starts the real `pixels` binary ($PIXELS_BIN) in
// sandbox mode on ephemeral ports with a fresh data directory and drives Chromium through
// first-run setup, Overview, Settings > Profile, password change, logout/login, the integration
// token (API Keys), the audit log, contacts, WhatsApp numbers, conversations with customers
// played by the built-in simulator, message templates reviewed by it, broadcasts (paused,
// resumed, cancelled, from pasted numbers and a CSV file), an agent's view and session expiry.
// Steps share one browser page and run in order; after a failure the rest fail fast.
// Screenshots go to the temp dir (kept on failure) and to /tmp/pixels-screens for review.
// Helpers: harness.mjs; more steps: steps-*.mjs.

import { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  dismissToast, expectHash, heading, login, run, screenshot, sidebarLink, startServer, step, stopServer, STEP_TIMEOUT_MS,
  summaryStep,
} from './harness.mjs';
import { integrationTokenSteps } from './steps-integration.mjs';
import { contactSteps } from './steps-contacts.mjs';
import { agentSteps } from './steps-roles.mjs';
import { numberLifecycleSteps, sandboxNumberSteps } from './steps-numbers.mjs';
import { conversationSteps } from './steps-conversations.mjs';
import { agentTemplateSteps, templateSteps } from './steps-templates.mjs';
import { agentBroadcastSteps, broadcastSteps } from './steps-broadcasts.mjs';

const CHROMIUM = process.env.PIXELS_CHROMIUM || '/usr/bin/chromium';

const USER = {
  name: 'Ada Lovelace',
  company: 'Analytical Engines Ltd',
  email: 'ada@example.com',
  password: 'first-Passw0rd',
  newPassword: 'second-Passw0rd!',
};

describe('dashboard', () => {
  before(async () => {
    const bin = process.env.PIXELS_BIN;
    assert.ok(bin, 'PIXELS_BIN must point to the built pixels binary');
    run.dir = await mkdtemp(path.join(tmpdir(), 'pixels-e2e-'));
    await mkdir(path.join(run.dir, 'screens'));
    // Even if the runner is interrupted, do not leave the server behind.
    process.once('exit', () => { if (run.server && run.server.exitCode === null) run.server.kill('SIGKILL'); });
    run.failed = true; // until the browser is up: keeps server.log if start-up fails
    ({ url: run.url, api: run.api, sim: run.sim } = await startServer(bin, path.join(run.dir, 'data')));
    run.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    // Reduced motion turns off CSS transitions, so screenshots never catch one halfway.
    run.context = await run.browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
    // The token dialog's Copy button writes to the clipboard; the test reads it back.
    await run.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: run.url });
    run.page = await run.context.newPage();
    run.page.setDefaultTimeout(STEP_TIMEOUT_MS);
    // Expected 4xx answers (wrong password, expired session) log "Failed to load resource";
    // anything else on the console (CSP violations, script errors) is a defect.
    // A step that provokes a 502 on purpose (Meta refusing a token) counts it in expectedBadGateway.
    run.page.on('console', (msg) => {
      const text = msg.text();
      if (msg.type() !== 'error' || /^Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
      if (run.expectedBadGateway > 0 && /^Failed to load resource: the server responded with a status of 502/.test(text)) {
        run.expectedBadGateway -= 1;
        return;
      }
      run.problems.push(`console: ${text}`);
    });
    run.page.on('pageerror', (err) => run.problems.push(`page error: ${err.message}`));
    run.failed = false;
  });

  after(async () => {
    if (run.browser) await run.browser.close();
    await stopServer();
    if (!run.dir) return;
    if (run.failed) {
      await writeFile(path.join(run.dir, 'server.log'), run.output);
      console.error(`e2e: kept ${run.dir} (screens/, server.log). Server output:\n${run.output}`);
    } else {
      await rm(run.dir, { recursive: true, force: true });
    }
  });

  step('a fresh server opens the first-run setup page', async (page) => {
    await page.goto(`${run.url}/`);
    await expectHash(page, '#/setup');
    await heading(page, 'Create your account');
    await screenshot(page, 'setup');
  });

  step('setup rejects mismatched passwords before calling the server', async (page) => {
    await page.getByLabel('Full name').fill(USER.name);
    await page.getByLabel('Company').fill(USER.company);
    await page.getByLabel('Work email').fill(USER.email);
    await page.getByLabel('Password', { exact: true }).fill(USER.password);
    await page.getByLabel('Confirm password').fill(`${USER.password}x`);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('The passwords do not match.').waitFor();
    assert.equal(new URL(page.url()).hash, '#/setup');
  });

  step('creating the account signs in and lands on the Overview with the account name', async (page) => {
    await page.getByLabel('Confirm password').fill(USER.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expectHash(page, '#/overview');
    await heading(page, 'Welcome, Ada');
    const me = await page.evaluate(async () => (await fetch('/api/auth/me', { credentials: 'same-origin' })).json());
    assert.equal(me.user.email, USER.email);
    assert.ok(me.account.name, 'account has a name');
    assert.equal(await page.locator('.account-name').textContent(), me.account.name);
    assert.equal(await page.locator('.topbar-account-name').textContent(), me.account.name);
    const nav = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
    assert.deepEqual(nav, ['Overview', 'Conversations', 'Contacts', 'Templates', 'Broadcasts', 'Settings']);
    await page.locator('.status-card').getByText('Operational').waitFor();
    await page.locator('.status-card').getByText('Connected').waitFor();
    await dismissToast(page, 'Your account is ready');
    await screenshot(page, 'overview');
  });

  step('Settings > Profile saves a new name and shows a success toast', async (page) => {
    await sidebarLink(page, 'Settings').click();
    await expectHash(page, '#/settings/profile');
    await heading(page, 'Settings');
    assert.equal(await page.getByRole('link', { name: 'Profile' }).getAttribute('aria-current'), 'page');
    const name = page.getByLabel('Full name');
    assert.equal(await name.inputValue(), USER.name);
    await name.fill('Ada King');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('.toast', { hasText: 'Profile updated' }).waitFor();
    await page.locator('.user-button-name', { hasText: 'Ada King' }).waitFor();
    await screenshot(page, 'settings');
  });

  step('changing the password checks the current one, then succeeds', async (page) => {
    const form = page.getByRole('form', { name: 'Change password' });
    await form.getByLabel('Current password').fill('not-my-password');
    await form.getByLabel('New password', { exact: true }).fill(USER.newPassword);
    await form.getByLabel('Confirm new password').fill(USER.newPassword);
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText('Current password is incorrect').waitFor();

    await form.getByLabel('Current password').fill(USER.password);
    await form.getByRole('button', { name: 'Change password' }).click();
    await page.locator('.toast', { hasText: 'Password changed successfully' }).waitFor();
    assert.equal(await form.getByLabel('Current password').inputValue(), '');
  });

  step('the user menu shows who is signed in and logs out', async (page) => {
    await page.getByRole('button', { name: /Account menu/ }).click();
    const menu = page.getByRole('menu', { name: 'Account' });
    await menu.getByText(USER.email).waitFor();
    await menu.getByRole('menuitem', { name: 'Log out' }).click();
    await expectHash(page, '#/login');
    await page.getByText('You have been logged out.').waitFor();
    await screenshot(page, 'login');
  });

  step('the old password no longer works', async (page) => {
    await login(page, USER.email, USER.password);
    await page.getByRole('alert').getByText('Invalid email or password').waitFor();
    assert.equal(new URL(page.url()).hash, '#/login');
    await screenshot(page, 'login-error');
  });

  step('the new password signs in (Enter submits the form)', async (page) => {
    await page.getByLabel('Password').fill(USER.newPassword);
    await page.getByLabel('Password').press('Enter');
    await expectHash(page, '#/overview');
    await heading(page, 'Welcome, Ada');
  });

  step('on a phone-sized screen the sidebar opens from the menu button', async (page) => {
    await page.setViewportSize({ width: 375, height: 740 });
    const toggle = page.getByRole('button', { name: 'Open navigation' });
    await toggle.waitFor();
    await page.getByRole('navigation', { name: 'Main' }).waitFor({ state: 'hidden' });
    await page.locator('.status-card').getByText('Operational').waitFor();
    await screenshot(page, 'overview-mobile');
    await toggle.click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).waitFor();
    await screenshot(page, 'nav-mobile', { fullPage: false });
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  integrationTokenSteps();
  contactSteps();
  sandboxNumberSteps();
  conversationSteps();
  templateSteps();
  broadcastSteps();
  numberLifecycleSteps();
  agentSteps();
  agentTemplateSteps();
  agentBroadcastSteps();

  step('an expired session sends the user back to login with a message', async (page) => {
    await run.context.clearCookies();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await expectHash(page, '#/login');
    await page.getByText('Your session has expired. Please log in again.').waitFor();
    await screenshot(page, 'session-expired');
  });

  step('repeated failed logins show the lockout wait time', async (page) => {
    const email = 'nobody@example.com';
    let status = 0;
    for (let attempt = 0; attempt < 20 && status !== 429; attempt++) {
      const answer = page.waitForResponse((res) => res.url().endsWith('/api/auth/login'));
      await login(page, email, 'wrong-password');
      status = (await answer).status();
      assert.ok(status === 401 || status === 429, `login answered ${status}`);
    }
    assert.equal(status, 429, 'the server never locked the login out');
    const text = await page.getByRole('alert').textContent();
    assert.match(text, /^Too many attempts\. Try again in \d+ minutes?\.$/);
  });

  step('no CSP violations or script errors were logged', async () => {
    assert.deepEqual(run.problems, []);
  });

  step('the server shuts down cleanly on SIGTERM', async () => {
    const exit = await stopServer();
    assert.deepEqual(exit, { code: 0, signal: null });
    // Sanitizer builds report memory errors on stderr; there must be none.
    assert.doesNotMatch(run.output, /ERROR: (Address|Leak)Sanitizer|runtime error:/);
  });

  // Last, so that a server answering with the wrong error code cannot hide the other results.
  summaryStep('the API answered with its documented error codes', async () => {
    assert.deepEqual(run.contract, []);
  });
});
