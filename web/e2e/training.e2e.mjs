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

test('an owner assigns a course with two seats to three users, as many as fit, and archiving one gives a seat back', async () => {
  const stamp = Date.now();
  const prefix = `Train${stamp}`;
  const course = `E2e Forklift ${stamp}`;
  let courseId;
  const users = [];

  await step('sign-in', signIn);

  await step('setup', async () => {
    // Through the API: the browser test is about assigning.
    const created = await page.request.post('/api/courses', { data: { name: course, seats: 2 } });
    assert.equal(created.status(), 201, await created.text());
    courseId = (await created.json()).id;
    for (const letter of ['a', 'b', 'c']) {
      const response = await page.request.post('/api/users', {
        data: { firstName: 'Learner', lastName: `${prefix}${letter}`, userId: `trn-${stamp}-${letter}` },
      });
      assert.equal(response.status(), 201, await response.text());
      users.push(await response.json());
    }
  });

  await step('assign-as-many-as-fit', async () => {
    // Read the page again: its course list is the one of when it opened.
    await page.reload();
    await page.getByRole('heading', { name: 'Enrolled Users' }).waitFor();
    await page.getByRole('searchbox', { name: 'Search' }).fill(prefix);
    await page.getByText('3 users', { exact: true }).waitFor();
    await page.getByRole('table', { name: 'Enrolled users' }).and(page.locator('[aria-busy="false"]')).waitFor();
    await page.getByRole('checkbox', { name: 'Select all users on this page' }).check();
    await page.getByRole('button', { name: 'Choose action' }).click();
    await page.getByRole('menu', { name: 'Choose action' }).getByRole('menuitem', { name: 'Assign courses…', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Assign courses to 3 users' });
    await dialog.getByLabel(course).check();
    await dialog.getByLabel('Assign as many as fit').check();
    await snap('assign-courses-step');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('dialog').getByRole('button', { name: `Yes, assign ${course} to 3 users`, exact: true }).click();
    const finished = page.getByRole('dialog', { name: 'Assign courses finished' });
    await finished.getByText(`${course} assigned to 2 users`, { exact: true }).waitFor();
    await finished.getByText(/no seat left in/).first().waitFor();
    await snap('assign-courses-results');
    await finished.getByRole('button', { name: 'Close' }).click();
    await finished.waitFor({ state: 'detached' });
    // The Classes column names the course for the two users who got a seat.
    const classes = page.getByRole('table', { name: 'Enrolled users' }).getByText(course, { exact: true });
    await classes.nth(1).waitFor();
    assert.equal(await classes.count(), 2);
  });

  await step('pool-figures', async () => {
    await page.goto(`/courses/${courseId}`);
    await page.getByRole('heading', { name: course, level: 1 }).waitFor();
    assert.deepEqual(await poolFigures(), ['2', '2', '0', '0']);
    await page.getByRole('region', { name: 'Learners' }).getByRole('link', { name: '2 learners on the roster' }).waitFor();
  });

  await step('archive-gives-the-seat-back', async () => {
    let assigned;
    for (const u of users) {
      const response = await page.request.get(`/api/users/${u.id}`);
      if ((await response.json()).courses.length > 0) assigned = u;
    }
    assert.ok(assigned, 'an assigned user');
    const archived = await page.request.post('/api/users/actions/archive', { data: { userIds: [assigned.id] } });
    assert.equal(archived.status(), 200, await archived.text());
    // The stream gives the seat back a moment later.
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      await page.reload();
      await page.getByRole('heading', { name: course, level: 1 }).waitFor();
      const figures = await poolFigures();
      if (figures[1] === '1' || Date.now() > deadline) {
        assert.deepEqual(figures, ['2', '1', '0', '1']);
        break;
      }
      await page.waitForTimeout(300);
    }
    await page.getByRole('table', { name: 'Seat ledger, newest first' }).getByText(/archived before starting/).waitFor();
    await snap('course-after-archive');
  });

  assert.deepEqual(pageErrors, [], 'the pages reported no errors');
});
