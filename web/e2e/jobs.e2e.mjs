// End-to-end test of background jobs: an action on more users than run at
// once, selected by a filter, runs as a job whose progress the dialog shows.
//
// Environment and harness: ./support/browser.mjs, plus ROSTER_JOB_THRESHOLD,
// the largest filter selection the server runs at once. Run with `npm run e2e`.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoErrorsSince, launchWithPerson, listSettled, requireEnv, signInAsOwner, snap, step } from './support/browser.mjs';

const THRESHOLD = Number(requireEnv('ROSTER_JOB_THRESHOLD').ROSTER_JOB_THRESHOLD);
/** A job takes longer than a page: every user is its own transaction. */
const JOB_WAIT_MS = 120_000;

let browser;
let page;

before(async () => ({ browser, page } = await launchWithPerson()));
after(() => browser?.close());

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
  await snap(page, `job-${verb.toLowerCase()}-progress`);
  const finished = page.getByRole('dialog', { name: `${verb} finished` });
  await finished.waitFor({ timeout: JOB_WAIT_MS });
  return finished;
}

test('an owner archives and unarchives more users than run at once, as background jobs', async () => {
  assert.ok(THRESHOLD > 0, 'ROSTER_JOB_THRESHOLD is a number');
  const stamp = Date.now();
  const prefix = `Jobs${stamp}`;
  const total = THRESHOLD + 5;

  await step('jobs-sign-in', page, () => signInAsOwner(page));

  await step('jobs-add-users', page, async () => {
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

  await step('jobs-search', page, async () => {
    await page.getByRole('searchbox', { name: 'Search' }).fill(prefix);
    await page.getByText(`${total} users`, { exact: true }).waitFor();
    await listSettled(page);
  });

  await step('jobs-archive-all-matching', page, async () => {
    await selectAllMatching(total);
    await bulkAction('Archive');
    const finished = await runAsJob('Archive', total);
    await finished.getByText(`${total} users archived`, { exact: true }).waitFor();
    await snap(page, 'job-archive-finished');
    await finished.getByRole('button', { name: 'Close' }).click();
    await finished.waitFor({ state: 'detached' });
    await listSettled(page);
    await page.getByText('0 users', { exact: true }).waitFor();
  });

  await step('jobs-unarchive-all-matching', page, async () => {
    await page.getByLabel('Show archived users').check();
    await page.getByText(`${total} users`, { exact: true }).waitFor();
    await listSettled(page);
    await selectAllMatching(total);
    await page.getByRole('button', { name: `Unarchive ${total} users` }).click();
    const finished = await runAsJob('Unarchive', total);
    await finished.getByText(`${total} users unarchived`, { exact: true }).waitFor();
    await finished.getByRole('button', { name: 'Close' }).click();
    await finished.waitFor({ state: 'detached' });
    await page.getByLabel('Show archived users').uncheck();
    await page.getByText(`${total} users`, { exact: true }).waitFor();
  });

  assertNoErrorsSince(0);
});
