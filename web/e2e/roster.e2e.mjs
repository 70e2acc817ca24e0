// End-to-end test of the admin front end against a running Roster server.
//
// Environment (set by the Go harness that starts the server):
//   BASE_URL               where the server serves the front end and /api, e.g. http://127.0.0.1:8080
//   ROSTER_ORG             the organization's slug
//   ROSTER_OWNER_EMAIL     an owner of that organization
//   ROSTER_OWNER_PASSWORD  the owner's password
//   CHROMIUM_PATH          optional; defaults to Debian's /usr/bin/chromium
//
// Run with `npm run e2e` (node --test e2e/). On failure a screenshot is saved in web/test-results/.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const REQUIRED = ['BASE_URL', 'ROSTER_ORG', 'ROSTER_OWNER_EMAIL', 'ROSTER_OWNER_PASSWORD'];
const RESULTS_DIR = fileURLToPath(new URL('../test-results/', import.meta.url));
const WAIT_MS = 15_000;

const missing = REQUIRED.filter((name) => !process.env[name]);
if (missing.length > 0) {
  throw new Error(`set ${missing.join(', ')} to run the end-to-end test`);
}
const { BASE_URL, ROSTER_ORG, ROSTER_OWNER_EMAIL, ROSTER_OWNER_PASSWORD } = process.env;

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

function row(name) {
  return page.getByRole('row').filter({ hasText: name });
}

const NOT_ARCHIVED = /^(Pending|Activated|Active|Deactivated|Expired)$/;

/** Waits until the users table shows the answer to the latest filter (it is aria-busy meanwhile). */
async function listSettled() {
  await page.getByRole('table', { name: 'Enrolled users' }).and(page.locator('[aria-busy="false"]')).waitFor();
}

async function runBulkAction(action, name) {
  const verb = action === 'archive' ? 'Archive' : 'Unarchive';
  await row(name)
    .getByRole('checkbox', { name: `Select ${name}` })
    .check();
  await page.getByRole('button', { name: `${verb} 1 user`, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `${verb} 1 user?` });
  await dialog.getByRole('button', { name: `Yes, ${action} 1 user`, exact: true }).click();
  const finished = page.getByRole('dialog', { name: `${verb} finished` });
  await finished.getByText(`1 user ${action}d`, { exact: true }).waitFor();
  await finished.getByRole('button', { name: 'Close' }).click();
  await finished.waitFor({ state: 'detached' });
}

test('an owner adds, archives and unarchives a user', async () => {
  const stamp = Date.now();
  const firstName = 'E2e';
  const lastName = `Tester${stamp}`;
  const name = `${firstName} ${lastName}`;
  const email = `e2e.${stamp}@example.com`;

  await step('sign-in', async () => {
    await page.goto('/');
    await page.getByLabel('Organization').fill(ROSTER_ORG);
    await page.getByLabel('Email or user ID').fill(ROSTER_OWNER_EMAIL);
    await page.getByLabel('Password').fill(ROSTER_OWNER_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Enrolled Users' }).waitFor();
    await page.getByText(/^Active roster: \d[\d,]*$/).waitFor();
  });

  await step('add-user', async () => {
    await page.getByRole('button', { name: 'Add user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add user' });
    await dialog.getByLabel('First name').fill(firstName);
    await dialog.getByLabel('Last name').fill(lastName);
    await dialog.getByLabel('Email').fill(email);
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').getByText(`Added ${name}.`).waitFor();
  });

  await step('search', async () => {
    await page.getByRole('searchbox', { name: 'Search' }).fill(lastName);
    await page.getByText('1 user', { exact: true }).waitFor();
    await listSettled();
    await row(name).getByText(email).waitFor();
  });

  await step('archive', async () => {
    await runBulkAction('archive', name);
    await page.getByText('0 users', { exact: true }).waitFor();
    assert.equal(await row(name).count(), 0, 'an archived user is hidden from the default list');
  });

  await step('show-archived', async () => {
    await page.getByLabel('Show archived users').check();
    await row(name).getByText('Archived', { exact: true }).waitFor();
  });

  await step('unarchive', async () => {
    await runBulkAction('unarchive', name);
    await row(name).getByText(NOT_ARCHIVED).waitFor();
    await page.getByLabel('Show archived users').uncheck();
    await listSettled();
    await row(name).getByText(NOT_ARCHIVED).waitFor();
    await page.getByText('1 user', { exact: true }).waitFor();
  });

  await step('sign-out', async () => {
    await page.getByRole('button', { name: /^Account/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });

  assert.deepEqual(pageErrors, [], 'the pages reported no errors');
});
