// The harness every scenario in web/e2e uses: Debian's headless Chromium, a
// page per person, error watching, steps with screenshots, sign-in, the dev
// server's mailbox and the users list. It lives in support/ so that
// `npm run e2e` (node --test e2e/*.e2e.mjs) does not run it as a test.
//
// Environment (set by the Go harness in infra/testharness/e2e that starts the server):
//   BASE_URL               where the server serves the front end and /api, e.g. http://127.0.0.1:8080
//   ROSTER_ORG             the organization's slug
//   ROSTER_OWNER_EMAIL     an owner of that organization
//   ROSTER_OWNER_PASSWORD  the owner's password
//   CHROMIUM_PATH          optional; defaults to Debian's /usr/bin/chromium
//   E2E_SCREENSHOTS        optional; a folder to save screenshots of the main screens in, to look at them
//
// A scenario (web/e2e/<name>.e2e.mjs) uses it like this:
//
//   import { after, before, test } from 'node:test';
//   import { assertNoErrorsSince, launchWithPerson, signInAsOwner, snap, step } from './support/browser.mjs';
//
//   let browser;
//   let page;
//   before(async () => ({ browser, page } = await launchWithPerson()));
//   after(() => browser?.close());
//
//   test('an owner does something', async () => {
//     await step('sign-in', page, () => signInAsOwner(page));
//     await step('do-it', page, async () => { ... await snap(page, 'screen-name'); });
//     assertNoErrorsSince(0);
//   });
//
// Several people at once (identity.e2e.mjs): `browser = await launchBrowser()`,
// then `await newPerson(browser)` for each, a browser context of their own.
// expectFailures lists the failed responses a scenario causes on purpose.
//
// A step that fails saves a screenshot of its page in web/test-results/.

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/** How long a page may take to show what a step waits for. */
export const WAIT_MS = 15_000;
const RESULTS_DIR = fileURLToPath(new URL('../../test-results/', import.meta.url));

/** Reads the environment the scenarios need, plus `extra` names; throws naming what is missing. */
export function requireEnv(...extra) {
  const required = ['BASE_URL', 'ROSTER_ORG', 'ROSTER_OWNER_EMAIL', 'ROSTER_OWNER_PASSWORD', ...extra];
  const missing = required.filter((name) => !process.env[name]);
  if (missing.length > 0) {
    throw new Error(`set ${missing.join(', ')} to run the end-to-end test`);
  }
  return process.env;
}

export const { BASE_URL, ROSTER_ORG, ROSTER_OWNER_EMAIL, ROSTER_OWNER_PASSWORD } = requireEnv();

/** Launches Debian's headless Chromium; close it in the scenario's `after`. */
export function launchBrowser() {
  return chromium.launch({
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
  });
}

/** Problems the pages reported: console errors and uncaught exceptions. */
export const pageErrors = [];

/** Checks that the pages reported no error since `since` (pageErrors.length when the test began). */
export function assertNoErrorsSince(since) {
  assert.deepEqual(pageErrors.slice(since), [], 'the pages reported no errors');
}

/**
 * The failed responses that are not errors, which the browser logs as errors
 * all the same: the session check of a signed-out page (401), and those a
 * scenario adds with expectFailures. Each scenario file runs in a process of
 * its own, so what one adds does not reach another.
 */
const expectedFailures = [{ path: '/api/me', status: 401 }];

/** Lets the scenario cause these failed responses ({ path, status }) on purpose. */
export function expectFailures(...failures) {
  expectedFailures.push(...failures);
}

function isExpectedFailure(message) {
  const url = message.location().url ?? '';
  return expectedFailures.some((f) => url.endsWith(f.path) && message.text().includes(`status of ${f.status}`));
}

/** Records the page's errors in pageErrors. */
export function watch(page) {
  page.on('pageerror', (error) => pageErrors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !isExpectedFailure(message)) pageErrors.push(`console: ${message.text()}`);
  });
}

/** Launches the browser with one person's page in it, for a scenario with one person: { browser, page }. */
export async function launchWithPerson() {
  const browser = await launchBrowser();
  return { browser, page: await newPerson(browser) };
}

/**
 * A watched page in a browser context of its own: one person, with their own
 * cookies; `viewport` sizes its window (a phone: { width: 390, height: 844 }).
 */
export async function newPerson(browser, { viewport = { width: 1366, height: 900 }, bypassCSP = false } = {}) {
  const context = await browser.newContext({
    viewport,
    // Only for tests that inject a checker (axe-core) into the page.
    bypassCSP,
    // Sharper pictures when they are asked for, to look at the details.
    deviceScaleFactor: process.env.E2E_SCREENSHOTS ? 2 : 1,
    baseURL: BASE_URL,
  });
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  watch(page);
  return page;
}

/** Opens `link` in a new tab of the person's browser context, as a second click on an email would, and returns the tab. */
export async function openInNewTab(page, link) {
  const tab = await page.context().newPage();
  watch(tab);
  await tab.goto(link);
  return tab;
}

/** Saves a screenshot of the page when E2E_SCREENSHOTS names a folder. */
export async function snap(page, name) {
  const dir = process.env.E2E_SCREENSHOTS;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

/** Runs one step of a scenario; on failure saves a screenshot of `page` named after it. */
export async function step(name, page, run) {
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

/** Fills in and sends the sign-in form of ROSTER_ORG; waits for nothing after. */
export async function signIn(page, login, password) {
  await page.goto('/login');
  await page.getByLabel('Organization').fill(ROSTER_ORG);
  await page.getByLabel('Email or user ID').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs the owner in afresh, whatever the test before left behind, and waits for the users list. */
export async function signInAsOwner(page) {
  await page.context().clearCookies();
  await signIn(page, ROSTER_OWNER_EMAIL, ROSTER_OWNER_PASSWORD);
  await page.getByRole('heading', { name: 'Enrolled Users' }).waitFor();
}

/** The users table's row that shows `name`. */
export function row(page, name) {
  return page.getByRole('row').filter({ hasText: name });
}

/** Waits until the users table shows the answer to the latest filter (it is aria-busy meanwhile). */
export async function listSettled(page) {
  await page.getByRole('table', { name: 'Enrolled users' }).and(page.locator('[aria-busy="false"]')).waitFor();
}

/** The emails the dev server's mailbox holds, newest first. */
export async function mailbox() {
  const response = await fetch(new URL('/dev/mailbox.json', BASE_URL));
  assert.equal(response.status, 200, 'the mailbox answers');
  return (await response.json()).items;
}

/** The newest link to `target` (invitation, reset-password) in an email to `to`, waiting for the email to arrive. */
export async function linkFromMailbox(to, target) {
  const pattern = new RegExp(`https?://[^\\s"'<>]+/${target}#[^\\s"'<>]+`);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    for (const email of await mailbox()) {
      const link = email.to.includes(to) && `${email.text}\n${email.html}`.match(pattern);
      if (link) return link[0];
    }
    assert.ok(Date.now() < deadline, `an email to ${to} with a link to /${target} is in the mailbox`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
