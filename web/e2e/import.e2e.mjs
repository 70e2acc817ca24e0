// End-to-end test of the import: a CSV uploaded straight to storage,
// validated in full (an error read with its line and column), fixed and
// uploaded again, applied as a background job, its result file downloaded
// from storage and read, the users on the roster and the invitation of a
// notify=Yes row in the mailbox; then an upload whose job fails because
// the roster changed since its preview, validated again and applied.
//
// Environment and harness: ./support/browser.mjs. Run with `npm run e2e`.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { assertNoErrorsSince, launchWithPerson, linkFromMailbox, listSettled, row, signInAsOwner, snap, step } from './support/browser.mjs';

/** The apply runs as a job: every row is its own transaction. */
const JOB_WAIT_MS = 120_000;

let browser;
let page;

before(async () => ({ browser, page } = await launchWithPerson()));
after(() => browser?.close());

/** Chooses a CSV of `lines` as the file and uploads it; resolves once the preview shows. */
async function uploadCsv(name, lines) {
  await page.getByLabel('File', { exact: true }).setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n') + '\n') });
  await page.getByRole('button', { name: 'Upload and check' }).click();
  await page.getByRole('heading', { name: `Preview of ${name}` }).waitFor();
}

test('an owner imports a CSV: an error with its line, fixed, applied, the users on the roster and invited', async () => {
  const since = Date.now();
  const stamp = Date.now();
  const invited = `ida.${stamp}@import.example`;
  const header = 'First name,Last name,Email,User ID,Location,Approved,Notify';
  const good = [`Ida,Imported${stamp},${invited},,,Yes,Yes`, `Ivan,Imported${stamp},,imp-${stamp},,Yes,`];

  await step('import-sign-in', page, () => signInAsOwner(page));

  await step('import-open', page, async () => {
    await page.getByRole('link', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'Import users' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Download the template' }).getAttribute('download'), 'roster-import-template.csv');
  });

  await step('import-error', page, async () => {
    await uploadCsv('team.csv', [header, good[0], `Bad,Row${stamp},bad.${stamp}@import.example,,Atlantis,,`, good[1]]);
    const errors = page.getByRole('table', { name: 'Errors' });
    const cells = await errors.getByRole('row').nth(1).getByRole('cell').allTextContents();
    assert.deepEqual(cells, ['3', 'E · Location', 'no such location: "Atlantis"']);
    // The mapping in the spreadsheet's words, never the API's field names.
    const mapping = await page.getByRole('table', { name: 'Columns' }).getByRole('row').nth(1).getByRole('cell').allTextContents();
    assert.deepEqual(mapping.filter((cell) => cell !== '→'), ['A', 'First name', 'First name']);
    assert.equal(await page.getByRole('table', { name: 'Columns' }).getByText('firstName').count(), 0);
    assert.equal(await page.getByRole('listitem').and(page.locator('[aria-current="step"]')).textContent(), '3Fix errors');
    assert.ok(await page.getByText('2 users to add').isVisible());
    assert.ok(await page.getByText('1 row with errors').isVisible());
    assert.equal(await page.getByRole('button', { name: 'Apply' }).isDisabled(), true, 'nothing is applied while an error remains');
    await snap(page, 'import-error');
  });

  await step('import-fixed', page, async () => {
    await uploadCsv('team-fixed.csv', [header, ...good]);
    assert.ok(await page.getByText('0 rows with errors').isVisible());
    // The sync choice: its count, a warning, and a confirmation naming it before anything is done.
    await page.getByLabel('Deactivate them').check();
    await page.getByRole('button', { name: 'Check again with these choices' }).click();
    await page.getByText(/^\d+ users? not in the file to deactivate$/).waitFor();
    await page.getByText(/^Warning: \d+ users? on the roster (is|are) not in the file\./).waitFor();
    await page.getByRole('button', { name: 'Apply' }).click();
    const confirm = page.getByRole('dialog', { name: /^Deactivate \d+ users? not in the file\?$/ });
    await confirm.getByRole('button', { name: /^Yes, apply and deactivate \d+ users?$/ }).waitFor();
    await snap(page, 'import-sync-confirm');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByLabel('Leave them as they are').check();
    await page.getByRole('button', { name: 'Check again with these choices' }).click();
    await page.getByRole('button', { name: 'Apply' }).waitFor();
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('Applied: 2 rows done, 0 skipped, 0 failed.').waitFor({ timeout: JOB_WAIT_MS });
    // The job worker writes the result file to storage when the job ends;
    // the button asks for a fresh link to it.
    const results = page.getByRole('button', { name: 'Download the results' });
    await results.waitFor({ timeout: JOB_WAIT_MS });
    const [download] = await Promise.all([page.waitForEvent('download'), results.click()]);
    assert.equal(download.suggestedFilename(), 'team-fixed results.csv');
    const lines = (await readFile(await download.path(), 'utf8')).trim().split(/\r?\n/);
    assert.equal(lines[0], 'Line,First name,Last name,Email,User ID,Result,Reason');
    assert.deepEqual(lines.slice(1).map((l) => l.split(',').slice(0, 1).concat(l.split(',').slice(5, 6))), [['2', 'done'], ['3', 'done']]);
    await snap(page, 'import-applied');
  });

  await step('import-roster', page, async () => {
    await page.goto(`/users?q=${encodeURIComponent(`Imported${stamp}`)}`);
    await listSettled(page);
    assert.equal(await row(page, `Ida Imported${stamp}`).count(), 1);
    assert.equal(await row(page, `Ivan Imported${stamp}`).count(), 1);
  });

  await step('import-invitation', page, async () => {
    const link = await linkFromMailbox(invited, 'invitation');
    assert.match(link, /\/invitation#/);
  });

  // The roster changes between the preview and the apply: the job fails,
  // changing nobody, and the same upload is validated again and applied.
  await step('import-validate-again', page, async () => {
    await page.goto('/import');
    await page.getByRole('heading', { name: 'Import users' }).waitFor();
    const late = `lea.${stamp}@import.example`;
    await uploadCsv('late.csv', [header, `Lea,Late${stamp},${late},,,Yes,`, `Leo,Late${stamp},leo.${stamp}@import.example,,,Yes,`]);
    assert.ok(await page.getByText('2 users to add').isVisible());
    const added = await page.request.post('/api/users', { data: { firstName: 'Lea', lastName: `Late${stamp}`, email: late } });
    assert.equal(added.status(), 201, await added.text());
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText(/^The import failed: /).waitFor({ timeout: JOB_WAIT_MS });
    await page.getByRole('button', { name: 'Validate again' }).click({ timeout: JOB_WAIT_MS });
    await page.getByRole('heading', { name: 'Preview of late.csv' }).waitFor();
    await page.getByText('1 user to add').waitFor();
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText(/^Applied: /).waitFor({ timeout: JOB_WAIT_MS });
    await page.goto(`/users?q=${encodeURIComponent(`Late${stamp}`)}`);
    await listSettled(page);
    assert.equal(await row(page, `Lea Late${stamp}`).count(), 1, 'Lea once: added by hand, not again by the import');
    assert.equal(await row(page, `Leo Late${stamp}`).count(), 1);
  });

  assertNoErrorsSince(since);
});
