// End-to-end test of the courses pages against a running Roster server: a
// course with a license pool, its seats changed, its ledger read.
//
// Environment (set by the Go harness that starts the server):
//   BASE_URL               where the server serves the front end and /api, e.g. http://127.0.0.1:8080
//   ROSTER_ORG             the organization's slug
//   ROSTER_OWNER_EMAIL     an owner of that organization
//   ROSTER_OWNER_PASSWORD  the owner's password
//   CHROMIUM_PATH          optional; defaults to Debian's /usr/bin/chromium
//   E2E_SCREENSHOTS        optional; a folder to save screenshots of the main screens in, to look at them
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

function row(name) {
  return page.getByRole('row').filter({ hasText: name });
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

/** The pool's figures on a course page: bought, reserved, used, free. */
async function poolFigures() {
  return page.getByRole('complementary', { name: 'License pool' }).getByRole('definition').allTextContents();
}

test('an owner adds a course with seats, changes them and reads the ledger', async () => {
  const name = `E2e Course ${Date.now()}`;

  await step('sign-in', signIn);

  await step('courses-page', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Courses' }).click();
    await page.getByRole('heading', { name: 'Courses', level: 1 }).waitFor();
    // The demo organization is seeded with courses and pools.
    await row('Food Hygiene Level 2').getByRole('cell', { name: '400' }).first().waitFor();
    await snap('courses');
  });

  await step('add-course', async () => {
    await page.getByRole('button', { name: 'Add course' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a course' });
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByLabel('Retake every (months)').fill('24');
    await dialog.getByLabel('Limited:').check();
    await dialog.getByLabel('Seats bought').fill('10');
    await dialog.getByRole('button', { name: 'Add course' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').getByText(`Added ${name}.`).waitFor();
    await row(name).getByText('Every 24 months').waitFor();
  });

  await step('open-course', async () => {
    await row(name).getByRole('link', { name }).click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    assert.deepEqual(await poolFigures(), ['10', '0', '0', '10']);
    await page.getByRole('table', { name: 'Seat ledger, newest first' }).getByText('Course created with 10 seats').waitFor();
  });

  await step('buy-seats', async () => {
    const form = page.getByRole('form', { name: 'Edit the course' });
    await form.getByText('No seats are reserved or used yet').waitFor();
    await form.getByLabel('Seats bought').fill('25');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').getByText(`Saved ${name}.`).waitFor();
    assert.deepEqual(await poolFigures(), ['25', '0', '0', '25']);
  });

  await step('ledger', async () => {
    const ledger = page.getByRole('table', { name: 'Seat ledger, newest first' });
    await ledger.getByText('15 seats bought (10 to 25)').waitFor();
    const rows = ledger.getByRole('row');
    assert.equal(await rows.count(), 3, 'a header and two movements');
    const newest = rows.nth(1);
    await newest.getByText('15 seats bought', { exact: true }).waitFor();
    await newest.getByText('Olive Owner').waitFor();
    await snap('course');
  });

  await step('make-unlimited', async () => {
    const form = page.getByRole('form', { name: 'Edit the course' });
    await form.getByLabel('Unlimited seats').check();
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('table', { name: 'Seat ledger, newest first' }).getByText('Made unlimited', { exact: true }).waitFor();
    assert.deepEqual(await poolFigures(), ['Unlimited', '0', '0', 'Unlimited']);
  });

  await step('retire', async () => {
    await page.getByRole('button', { name: 'Retire course' }).click();
    await page.getByRole('dialog', { name: `Retire ${name}?` }).getByRole('button', { name: 'Yes, retire' }).click();
    await page.getByRole('status').getByText(`Retired ${name}.`).waitFor();
    await page.getByText('This course is retired: restore it to edit it.').waitFor();
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Courses' }).click();
    await page.getByRole('heading', { name: 'Courses', level: 1 }).waitFor();
    await page.getByRole('table', { name: 'Courses' }).and(page.locator('[aria-busy="false"]')).waitFor();
    assert.equal(await row(name).count(), 0, 'a retired course is hidden by default');
    await page.getByLabel('Show retired courses').check();
    await row(name).getByText('Retired').waitFor();
  });

  assert.deepEqual(pageErrors, [], 'the pages reported no errors');
});
