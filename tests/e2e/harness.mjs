// Shared state and helpers of the dashboard browser test: the server process (run with
// --sandbox; its dashboard, API and simulator URLs come from the lines it prints on start-up),
// ordered fail-fast steps, screenshots and small page helpers. dashboard.test.mjs and the
// steps-*.mjs files use these.

import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

export const REVIEW_DIR = '/tmp/pixels-screens';
const START_TIMEOUT_MS = 30000;
export const STEP_TIMEOUT_MS = 15000;

export const run = {
  dir: null, server: null, output: '', browser: null, context: null, page: null,
  url: null, api: null, sim: null, failed: false, problems: [],
  contract: [], // API answers that broke the documented contract; the last step reports them
  expectedBadGateway: 0, // 502 answers a step provoked on purpose (the console logs them as errors)
};

// Spawns the server in sandbox mode (the built-in Cloud API simulator plays Meta); resolves
// with { url, api, sim } once it printed "Dashboard:", "API:" and the simulator's address
// (an INFO log line on stderr: "sandbox: Cloud API simulator on http://127.0.0.1:PORT").
export function startServer(bin, dataDir) {
  const args = ['serve', '--port', '0', '--dashboard-port', '0', '--data-dir', dataDir, '--host', '127.0.0.1', '--sandbox'];
  const child = spawn(bin, args, { env: { ...process.env, NODE_ENV: 'test' }, stdio: ['ignore', 'pipe', 'pipe'] });
  run.server = child;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(
      `server printed no "Dashboard:"/"API:"/simulator lines within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    const onData = (chunk) => {
      run.output += chunk;
      const dashboard = /Dashboard:\s*(http:\/\/\S+)/.exec(run.output);
      const api = /API:\s*(http:\/\/\S+)/.exec(run.output);
      const sim = /sandbox: Cloud API simulator on (http:\/\/\S+)/.exec(run.output);
      if (dashboard && api && sim) {
        clearTimeout(timer);
        const trim = (m) => m[1].replace(/\/$/, '');
        resolve({ url: trim(dashboard), api: trim(api), sim: trim(sim) });
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited early (code ${code}, signal ${signal})`));
    });
  });
}

// SIGTERM, then SIGKILL after 5 s. Resolves with { code, signal } of the exit (null if the
// server was not running).
export async function stopServer() {
  const child = run.server;
  if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return null;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  const result = await exited;
  clearTimeout(timer);
  return result;
}

// Runs one step of the flow; once a step has failed, the later ones fail immediately.
export function step(name, fn) {
  test(name, { timeout: 60000 }, async () => {
    if (run.failed) throw new Error('not run: an earlier step failed');
    try {
      await fn(run.page);
    } catch (err) {
      run.failed = true;
      throw err;
    }
  });
}

// A check that runs even after a failed step (it reads what the earlier steps recorded).
export function summaryStep(name, fn) {
  test(name, async () => {
    try {
      await fn();
    } catch (err) {
      run.failed = true;
      throw err;
    }
  });
}

export async function screenshot(page, name, { fullPage = true } = {}) {
  const file = path.join(run.dir, 'screens', `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  await mkdir(REVIEW_DIR, { recursive: true });
  await copyFile(file, path.join(REVIEW_DIR, `${name}.png`));
}

export async function expectHash(page, hash) {
  await page.waitForURL((url) => url.hash === hash, { timeout: STEP_TIMEOUT_MS });
}

export async function heading(page, text, level = 1) {
  await page.getByRole('heading', { level, name: text }).waitFor();
}

export async function login(page, email, password) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Login' }).click();
}

export function sidebarLink(page, name) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
}

// Clicks a toast's close button and waits until it is gone, so it cannot cover later clicks.
export async function dismissToast(page, text) {
  const toast = page.locator('.toast', { hasText: text });
  await toast.waitFor();
  await toast.getByRole('button', { name: 'Dismiss notification' }).click();
  await toast.waitFor({ state: 'detached' });
}

// POSTs JSON to the simulator's control API (loopback, no auth), as a test driver would.
export async function simControl(pathName, body) {
  const res = await fetch(`${run.sim}/_sim${pathName}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`simulator ${pathName} answered ${res.status}: ${text}`);
  return JSON.parse(text);
}
