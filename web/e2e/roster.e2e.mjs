// End-to-end test of the admin front end against a running Roster server.
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

async function signIn() {
  // Each test starts signed out, whatever the one before left behind.
  await context.clearCookies();
  await page.goto('/');
  await page.getByLabel('Organization').fill(ROSTER_ORG);
  await page.getByLabel('Email or user ID').fill(ROSTER_OWNER_EMAIL);
  await page.getByLabel('Password').fill(ROSTER_OWNER_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Enrolled Users' }).waitFor();
  await page.getByText(/^Active roster: \d[\d,]*$/).waitFor();
}

async function signOut() {
  await page.getByRole('button', { name: /^Account/ }).click();
  await page.getByRole('menuitem', { name: 'Sign out', exact: true }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

test('an owner adds, archives and unarchives a user', async () => {
  const stamp = Date.now();
  const firstName = 'E2e';
  const lastName = `Tester${stamp}`;
  const name = `${firstName} ${lastName}`;
  const email = `e2e.${stamp}@example.com`;

  await step('sign-in', signIn);

  await step('add-user', async () => {
    await page.getByRole('button', { name: 'Add user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add user' });
    await dialog.getByLabel('First name').fill(firstName);
    await dialog.getByLabel('Last name').fill(lastName);
    await dialog.getByLabel('Email', { exact: true }).fill(email);
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

  await step('sign-out', signOut);

  assert.deepEqual(pageErrors, [], 'the pages reported no errors');
});

/** Opens a user's row menu and picks an entry, e.g. rowAction('Ada Lovelace', 'Deactivate'). */
async function rowAction(name, entry) {
  await row(name).getByRole('button', { name: `Actions for ${name}` }).click();
  await page.getByRole('menu', { name: `Actions for ${name}` }).getByRole('menuitem', { name: entry }).click();
}

/** Picks an entry of the bulk bar's "Choose action" menu. */
async function bulkAction(entry) {
  await page.getByRole('button', { name: 'Choose action' }).click();
  await page.getByRole('menu', { name: 'Choose action' }).getByRole('menuitem', { name: entry, exact: true }).click();
}

/** Confirms the open action dialog and waits for its results, which it returns as the dialog. */
async function confirmAction(confirm, finishedTitle) {
  await page.getByRole('dialog').getByRole('button', { name: confirm, exact: true }).click();
  const finished = page.getByRole('dialog', { name: finishedTitle });
  await finished.waitFor();
  return finished;
}

async function closeResults(finished) {
  await finished.getByRole('button', { name: 'Close' }).click();
  await finished.waitFor({ state: 'detached' });
  await listSettled();
}

/** The emails the dev server's mailbox holds, newest first. */
async function mailbox() {
  const response = await fetch(new URL('/dev/mailbox.json', BASE_URL));
  assert.equal(response.status, 200, 'the mailbox answers');
  return (await response.json()).items;
}

test('an owner approves and notifies, deactivates, expires, and archives every user matching a filter', async () => {
  const stamp = Date.now();
  const prefix = `Cycle${stamp}`;
  const ada = { first: 'Ada', last: `${prefix}a`, email: `ada.${stamp}@example.com` };
  const bob = { first: 'Bob', last: `${prefix}b`, email: `bob.${stamp}@example.com` };
  const name = (u) => `${u.first} ${u.last}`;
  // More users than a page holds, so that "select all that match" goes beyond the page.
  const extra = 51;
  const total = extra + 2;

  await step('lifecycle-sign-in', signIn);

  await step('mailbox-link', async () => {
    const link = page.getByRole('link', { name: /^Mailbox/ });
    assert.equal(await link.getAttribute('href'), '/dev/mailbox');
    assert.equal(await link.getAttribute('target'), '_blank');
  });

  await step('add-pending-user', async () => {
    await page.getByRole('button', { name: 'Add user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add user' });
    await dialog.getByLabel('First name').fill(ada.first);
    await dialog.getByLabel('Last name').fill(ada.last);
    await dialog.getByLabel('Email', { exact: true }).fill(ada.email);
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').getByText(`Added ${name(ada)}.`).waitFor();
  });

  await step('add-approved-user', async () => {
    await page.getByRole('button', { name: 'Add user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add user' });
    await dialog.getByLabel('First name').fill(bob.first);
    await dialog.getByLabel('Last name').fill(bob.last);
    const notify = dialog.getByLabel('Send invitation email');
    assert.equal(await notify.isDisabled(), true, 'no invitation without approval and an email');
    await dialog.getByLabel('Approve now').check();
    await dialog.getByLabel('Email', { exact: true }).fill(bob.email);
    await notify.check();
    await snap('add-user-dialog');
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').getByText(`Added ${name(bob)} and sent the invitation.`).waitFor();
  });

  await step('add-more-users', async () => {
    // Through the API, as a roster import would: the browser test is about what follows.
    for (let i = 0; i < extra; i += 10) {
      const batch = Array.from({ length: Math.min(10, extra - i) }, (_, j) =>
        page.request.post('/api/users', {
          data: { firstName: 'Extra', lastName: `${prefix}x${i + j}`, userId: `cyc-${stamp}-${i + j}` },
        }),
      );
      for (const response of await Promise.all(batch)) assert.equal(response.status(), 201, await response.text());
    }
  });

  await step('search-prefix', async () => {
    await page.getByRole('searchbox', { name: 'Search' }).fill(prefix);
    await page.getByText(`${total} users`, { exact: true }).waitFor();
    await listSettled();
    await row(name(ada)).getByText('Pending', { exact: true }).waitFor();
    await row(name(ada)).getByRole('img', { name: 'Not approved' }).waitFor();
    await row(name(bob)).getByRole('img', { name: /^Notified on / }).waitFor();
    await snap('users-with-marks');
  });

  await step('approve-and-notify', async () => {
    await row(name(ada)).getByRole('button', { name: `Actions for ${name(ada)}` }).click();
    await snap('row-menu-pending');
    await page.getByRole('menuitem', { name: 'Approve and notify' }).click();
    await page.getByRole('dialog', { name: `Approve and notify ${name(ada)}?` }).waitFor();
    await snap('confirm-approve-notify');
    const finished = await confirmAction('Yes, approve and notify 1 user', 'Approve and notify finished');
    await finished.getByText('1 user approved and notified', { exact: true }).waitFor();
    await closeResults(finished);
    await row(name(ada)).getByText('Activated', { exact: true }).waitFor();
    await row(name(ada)).getByRole('img', { name: /^Approved on / }).waitFor();
    await row(name(ada)).getByRole('img', { name: /^Notified on / }).waitFor();
  });

  await step('invitation-in-mailbox', async () => {
    const email = (await mailbox()).find((m) => m.to.includes(ada.email));
    assert.ok(email, `an email to ${ada.email} is in the mailbox`);
    const link = `${email.text}\n${email.html}`.match(/https?:\/\/[^\s"'<>]+\/invitation#[A-Za-z0-9_-]+/);
    assert.ok(link, `the email has an invitation link:\n${email.text}`);
  });

  await step('deactivate', async () => {
    await rowAction(name(ada), 'Deactivate');
    const finished = await confirmAction('Yes, deactivate 1 user', 'Deactivate finished');
    await finished.getByText('1 user deactivated', { exact: true }).waitFor();
    await closeResults(finished);
    await row(name(ada)).getByText('Deactivated', { exact: true }).waitFor();
  });

  await step('expire', async () => {
    await rowAction(name(bob), 'Set expiration…');
    const dialog = page.getByRole('dialog', { name: `Set the expiration date of ${name(bob)}` });
    await dialog.getByLabel('Expiration date').fill('2020-01-01');
    await snap('expiration-step');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    const finished = await confirmAction('Yes, set 1 user to expire on 1 Jan 2020', 'Set expiration finished');
    await closeResults(finished);
    await row(name(bob)).getByText('Expired', { exact: true }).waitFor();
  });

  await step('activate-expired', async () => {
    await row(name(bob)).getByRole('checkbox', { name: `Select ${name(bob)}` }).check();
    await bulkAction('Activate');
    const finished = await confirmAction('Yes, activate 1 user', 'Activate finished');
    await finished
      .getByText('1 user skipped: expired: move the expiration date to the future to restore access', { exact: true })
      .waitFor();
    await snap('results-expired');
    await closeResults(finished);
    await row(name(bob)).getByText('Expired', { exact: true }).waitFor();
  });

  await step('add-to-group', async () => {
    for (const u of [ada, bob]) await row(name(u)).getByRole('checkbox', { name: `Select ${name(u)}` }).check();
    await page.getByRole('button', { name: 'Choose action' }).click();
    await snap('bulk-menu');
    await page.getByRole('menuitem', { name: 'Add to groups…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add 2 users to groups' });
    await dialog.getByLabel('Night shift').check();
    await snap('groups-step');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    const finished = await confirmAction('Yes, add 2 users to Night shift', 'Add to groups finished');
    await finished.getByText('2 users added to Night shift', { exact: true }).waitFor();
    await closeResults(finished);
    await row(name(ada)).getByText('Night shift', { exact: true }).waitFor();
  });

  await step('archive-all-matching', async () => {
    await page.getByRole('checkbox', { name: 'Select all users on this page' }).check();
    await page.getByRole('button', { name: `Select all ${total} users that match` }).click();
    await page.getByText(`${total} users selected`).waitFor();
    await snap('bulk-bar-all-matching');
    await bulkAction('Archive');
    await page.getByRole('dialog', { name: `Archive ${total} users?` }).getByText(/every user that matches/).waitFor();
    const finished = await confirmAction(`Yes, archive ${total} users`, 'Archive finished');
    await finished.getByText(`${total} users archived`, { exact: true }).waitFor();
    await closeResults(finished);
    await page.getByText('0 users', { exact: true }).waitFor();
  });

  await step('unarchive-all-matching', async () => {
    await page.getByLabel('Show archived users').check();
    await page.getByText(`${total} users`, { exact: true }).waitFor();
    await listSettled();
    await page.getByRole('checkbox', { name: 'Select all users on this page' }).check();
    await page.getByRole('button', { name: `Select all ${total} users that match` }).click();
    await page.getByRole('button', { name: `Unarchive ${total} users` }).click();
    const finished = await confirmAction(`Yes, unarchive ${total} users`, 'Unarchive finished');
    await finished.getByText(`${total} users unarchived`, { exact: true }).waitFor();
    await closeResults(finished);
    await page.getByLabel('Show archived users').uncheck();
    await page.getByText(`${total} users`, { exact: true }).waitFor();
    await listSettled();
    // Unarchive puts each user back as they were.
    await row(name(ada)).getByText('Deactivated', { exact: true }).waitFor();
    await row(name(bob)).getByText('Expired', { exact: true }).waitFor();
  });

  await step('lifecycle-sign-out', signOut);

  assert.deepEqual(pageErrors, [], 'the pages reported no errors');
});

test("an owner renames a user on their page, reads it in their history, and deletes a group with its member", async () => {
  const stamp = Date.now();
  const first = 'Hedy';
  const before = `Kiesler${stamp}`;
  const after = `Lamarr${stamp}`;
  const group = `Radio club ${stamp}`;

  await step('detail-sign-in', signIn);

  await step('open-user-page', async () => {
    const response = await page.request.post('/api/users', {
      data: { firstName: first, lastName: before, userId: `hl-${stamp}` },
    });
    assert.equal(response.status(), 201, await response.text());
    await page.getByRole('searchbox', { name: 'Search' }).fill(before);
    await page.getByText('1 user', { exact: true }).waitFor();
    await listSettled();
    await row(`${first} ${before}`).getByRole('link', { name: `${first} ${before}` }).click();
    await page.getByRole('heading', { name: `${first} ${before}`, level: 1 }).waitFor();
    await page.getByRole('list', { name: 'History' }).getByText('Olive Owner added this user', { exact: false }).waitFor();
    await snap('user-detail');
  });

  await step('rename-user', async () => {
    await page.getByLabel('Last name').fill(after);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').getByText(`Changes to ${first} ${after} saved.`).waitFor();
    await page.getByRole('heading', { name: `${first} ${after}`, level: 1 }).waitFor();
  });

  await step('rename-in-history', async () => {
    // The stream consumer writes the entry a moment after the change; the page reads the history again.
    const history = page.getByRole('list', { name: 'History' });
    await history.getByText(`${before} → ${after}`).waitFor();
    const newest = history.getByRole('listitem').first();
    assert.match(await newest.locator('.audit-summary').innerText(), /^Olive Owner changed this user · \d{1,2} \w{3} \d{4} \d{2}:\d{2}$/);
    await snap('user-history');
  });

  await step('audit-log-for-user', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const box = page.getByRole('combobox', { name: 'User' });
    await box.fill(after);
    await page.getByRole('option', { name: new RegExp(`${first} ${after}`) }).click();
    const entries = page.getByRole('list', { name: 'Audit entries' });
    await entries.getByText(`${before} → ${after}`).waitFor();
    await entries.getByRole('link', { name: `${first} ${after}` }).first().waitFor();
    await snap('audit-log');
  });

  await step('create-group', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('heading', { name: 'Groups' }).waitFor();
    await page.getByLabel('New group').fill(group);
    await page.getByRole('button', { name: 'Add group' }).click();
    await page.getByRole('status').getByText(`Added ${group}.`).waitFor();
    await row(group).getByText('No members').waitFor();
  });

  await step('add-user-to-group', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Enrolled Users' }).waitFor();
    await page.getByRole('searchbox', { name: 'Search' }).fill(after);
    await page.getByText('1 user', { exact: true }).waitFor();
    await listSettled();
    await rowAction(`${first} ${after}`, 'Add to groups…');
    const dialog = page.getByRole('dialog', { name: `Add ${first} ${after} to groups` });
    await dialog.getByLabel(group).check();
    await dialog.getByRole('button', { name: 'Continue' }).click();
    const finished = await confirmAction(`Yes, add 1 user to ${group}`, 'Add to groups finished');
    await finished.getByText(`1 user added to ${group}`, { exact: true }).waitFor();
    await closeResults(finished);
    await row(`${first} ${after}`).getByText(group).waitFor();
  });

  await step('delete-group', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }).click();
    await row(group).getByRole('link', { name: `1 member of ${group}` }).waitFor();
    await snap('groups');
    await page.getByRole('button', { name: `Delete ${group}` }).click();
    const dialog = page.getByRole('dialog', { name: `Delete ${group}?` });
    await dialog
      .getByText(`${group} has 1 member. They will be taken out of it; their account stays.`, { exact: true })
      .waitFor();
    await snap('group-delete');
    await dialog.getByRole('button', { name: `Yes, delete ${group}`, exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').getByText(`Deleted ${group}: 1 member taken out of it.`).waitFor();
    // The message shows before the list is read again: wait for the row to go.
    await row(group).waitFor({ state: 'detached' });
    assert.equal(await row(group).count(), 0, 'the deleted group is no longer listed');
  });

  await step('user-left-group', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Locations' }).click();
    await page.getByRole('heading', { name: 'Locations' }).waitFor();
    await snap('locations');
    await page.goBack();
    await page.goBack();
    await page.getByRole('heading', { name: 'Enrolled Users' }).waitFor();
    // Coming back keeps the search, and the user is in no group any more.
    assert.equal(await page.getByRole('searchbox', { name: 'Search' }).inputValue(), after);
    await listSettled();
    await row(`${first} ${after}`).getByText('—').first().waitFor();
    assert.equal(await row(`${first} ${after}`).getByText(group).count(), 0);
  });

  await step('detail-sign-out', signOut);

  assert.deepEqual(pageErrors, [], 'the pages reported no errors');
});
