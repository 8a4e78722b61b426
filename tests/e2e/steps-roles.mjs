// Steps for an agent (the least privileged role): created with `pixels user create` in the
// same account, an agent signs in, sees Contacts and Conversations, but Settings offers only
// Profile; the API Keys page explains why, and the API itself refuses with 403 INSUFFICIENT_ROLE.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expectHash, heading, login, run, sidebarLink, step } from './harness.mjs';

const AGENT = { name: 'Agent Smith', email: 'agent@example.com', password: 'agent-Passw0rd' };

// Runs `pixels user create` against the running server's data directory (password on stdin).
function createUser(accountId, { name, email, password }, role) {
  const args = ['user', 'create', '--email', email, '--name', name, '--account', accountId, '--role', role,
    '--data-dir', path.join(run.dir, 'data')];
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.PIXELS_BIN, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => { output += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk) => { output += chunk; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`pixels user create failed (${code}): ${output}`))));
    child.stdin.end(`${password}\n`);
  });
}

export function agentSteps() {
  step('an agent sees Contacts and Conversations but not the admin settings tabs', async (page) => {
    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).json());
    await createUser(me.user.accountId, AGENT, 'agent');
    await page.getByRole('button', { name: /Account menu/ }).click();
    await page.getByRole('menu', { name: 'Account' }).getByRole('menuitem', { name: 'Log out' }).click();
    await expectHash(page, '#/login');
    await login(page, AGENT.email, AGENT.password);
    await expectHash(page, '#/overview');
    await heading(page, 'Welcome, Agent');

    await sidebarLink(page, 'Contacts').click();
    await page.getByRole('table', { name: 'Contacts' }).getByText('Alan Turing').waitFor();
    await sidebarLink(page, 'Conversations').click();
    await page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: /Grace Hopper/ }).waitFor();
    await sidebarLink(page, 'Settings').click();
    await expectHash(page, '#/settings/profile');
    const tabBar = page.getByRole('navigation', { name: 'Settings sections' });
    await tabBar.getByRole('link', { name: 'Profile' }).waitFor();
    const tabs = await tabBar.getByRole('link').allTextContents();
    assert.deepEqual(tabs, ['Profile']);
    await page.goto(`${run.url}/#/settings/api-keys`);
    await page.getByText('Only owners and admins can open this page.').waitFor();
    const refused = await page.evaluate(async () => {
      const res = await fetch('/api/account/integration-token', { method: 'POST' });
      return { status: res.status, code: (await res.json()).code };
    });
    assert.deepEqual(refused, { status: 403, code: 'INSUFFICIENT_ROLE' });
  });
}
