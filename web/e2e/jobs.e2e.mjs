// End-to-end test of background jobs: an action on more users than run at
// once, selected by a filter, runs as a job whose progress the dialog shows.
//
// Environment (set by the Go harness that starts the server):
//   BASE_URL               where the server serves the front end and /api
//   ROSTER_ORG             the organization's slug
//   ROSTER_OWNER_EMAIL     an owner of that organization
//   ROSTER_OWNER_PASSWORD  the owner's password
//   ROSTER_JOB_THRESHOLD   the largest filter selection the server runs at once
//   CHROMIUM_PATH          optional; defaults to Debian's /usr/bin/chromium
//   E2E_SCREENSHOTS        optional; a folder to save screenshots in
//
// Run with `npm run e2e`. On failure a screenshot is saved in web/test-results/.
// The launch code is roster.e2e.mjs's.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const REQUIRED = ['BASE_URL', 'ROSTER_ORG', 'ROSTER_OWNER_EMAIL', 'ROSTER_OWNER_PASSWORD', 'ROSTER_JOB_THRESHOLD'];
const RESULTS_DIR = fileURLToPath(new URL('../test-results/', import.meta.url));
const WAIT_MS = 15_000;
/** A job takes longer than a page: every user is its own transaction. */
const JOB_WAIT_MS = 120_000;

const missing = REQUIRED.filter((name) => !process.env[name]);
if (missing.length > 0) {
  throw new Error(`set ${missing.join(', ')} to run the end-to-end test`);
}
const { BASE_URL, ROSTER_ORG, ROSTER_OWNER_EMAIL, ROSTER_OWNER_PASSWORD } = process.env;
const THRESHOLD = Number(process.env.ROSTER_JOB_THRESHOLD);

let userDataDir;
let context;
let page;
/** Problems the page reported: console errors and uncaught exceptions. */
const pageErrors = [];

before(async () => {
  userDataDir = await mkdtemp(path.join(tmpdir(), 'roster-e2e-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 1366, height: 900 },
    // Sharper pictures when they are asked for, to look at the details.
    deviceScaleFactor: process.env.E2E_SCREENSHOTS ? 2 : 1,
    baseURL: BASE_URL,
  });
  context.setDefaultTimeout(WAIT_MS);
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => pageErrors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !isExpectedUnauthorized(message)) pageErrors.push(`console: ${message.text()}`);
  });
});

after(async () => {
  await context?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

/**
 * The browser logs every failed response; the one expected failure is the
 * session check before signing in, which answers 401.
 */
function isExpectedUnauthorized(message) {
  return message.text().includes('401') && (message.location().url ?? '').endsWith('/api/me');
}

/** Saves a screenshot of the page when E2E_SCREENSHOTS names a folder. */
async function snap(name) {
  const dir = process.env.E2E_SCREENSHOTS;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

/** Runs one step of the scenario; on failure saves a screenshot named after it. */
async function step(name, run) {
  try {
    await run();
  } catch (error) {
    await mkdir(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    error.message += `\n(screenshot: ${file})`;
    throw error;
  }
}

/** Waits until the users table shows the answer to the latest filter (it is aria-busy meanwhile). */
async function listSettled() {
  await page.getByRole('table', { name: 'Enrolled users' }).and(page.locator('[aria-busy="false"]')).waitFor();
}

async function signIn() {
  await context.clearCookies();
  await page.goto('/');
  await page.getByLabel('Organization').fill(ROSTER_ORG);
  await page.getByLabel('Email or user ID').fill(ROSTER_OWNER_EMAIL);
  await page.getByLabel('Password').fill(ROSTER_OWNER_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Enrolled Users' }).waitFor();
}

/** Picks an entry of the bulk bar's "Choose action" menu. */
async function bulkAction(entry) {
  await page.getByRole('button', { name: 'Choose action' }).click();
  await page.getByRole('menu', { name: 'Choose action' }).getByRole('menuitem', { name: entry, exact: true }).click();
}

/** Selects every user the list's filter matches, across pages. */
async function selectAllMatching(total) {
  await page.getByRole('checkbox', { name: 'Select all users on this page' }).check();
  await page.getByRole('button', { name: `Select all ${total} users that match` }).click();
  await page.getByText(`${total} users selected`).waitFor();
}

/** Confirms the action, watches its job's progress bar, and returns the finished dialog. */
async function runAsJob(verb, total) {
  await page.getByRole('dialog', { name: `${verb} ${total} users?` }).getByText(/every user that matches/).waitFor();
  await page.getByRole('dialog').getByRole('button', { name: `Yes, ${verb.toLowerCase()} ${total} users`, exact: true }).click();
  const running = page.getByRole('dialog', { name: `${verb}: ${total} users` });
  await running.getByRole('progressbar').waitFor();
  await running.getByText('you can close this window').waitFor();
  await snap(`job-${verb.toLowerCase()}-progress`);
  const finished = page.getByRole('dialog', { name: `${verb} finished` });
  await finished.waitFor({ timeout: JOB_WAIT_MS });
  return finished;
}

test('an owner archives and unarchives more users than run at once, as background jobs', async () => {
  assert.ok(THRESHOLD > 0, 'ROSTER_JOB_THRESHOLD is a number');
  const stamp = Date.now();
  const prefix = `Jobs${stamp}`;
  const total = THRESHOLD + 5;

  await step('jobs-sign-in', signIn);

  await step('jobs-add-users', async () => {
    // Through the API, as a roster import would: the browser test is about the job.
    for (let i = 0; i < total; i += 10) {
      const batch = Array.from({ length: Math.min(10, total - i) }, (_, j) =>
        page.request.post('/api/users', {
          data: { firstName: 'Batch', lastName: `${prefix}x${String(i + j).padStart(3, '0')}`, userId: `job-${stamp}-${i + j}` },
        }),
      );
      for (const response of await Promise.all(batch)) assert.equal(response.status(), 201, await response.text());
    }
  });

  await step('jobs-search', async () => {
    await page.getByRole('searchbox', { name: 'Search' }).fill(prefix);
    await page.getByText(`${total} users`, { exact: true }).waitFor();
    await listSettled();
  });

  await step('jobs-archive-all-matching', async () => {
    await selectAllMatching(total);
    await bulkAction('Archive');
    const finished = await runAsJob('Archive', total);
    await finished.getByText(`${total} users archived`, { exact: true }).waitFor();
    await snap('job-archive-finished');
    await finished.getByRole('button', { name: 'Close' }).click();
    await finished.waitFor({ state: 'detached' });
    await listSettled();
    await page.getByText('0 users', { exact: true }).waitFor();
  });

  await step('jobs-unarchive-all-matching', async () => {
    await page.getByLabel('Show archived users').check();
    await page.getByText(`${total} users`, { exact: true }).waitFor();
    await listSettled();
    await selectAllMatching(total);
    await page.getByRole('button', { name: `Unarchive ${total} users` }).click();
    const finished = await runAsJob('Unarchive', total);
    await finished.getByText(`${total} users unarchived`, { exact: true }).waitFor();
    await finished.getByRole('button', { name: 'Close' }).click();
    await finished.waitFor({ state: 'detached' });
    await page.getByLabel('Show archived users').uncheck();
    await page.getByText(`${total} users`, { exact: true }).waitFor();
  });

  assert.deepEqual(pageErrors, [], 'the pages reported no errors');
});
