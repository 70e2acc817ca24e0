// End-to-end test of training records against a running Roster server: the
// owner assigns a course to three learners, sets their due date from the
// roster's bulk bar, archives one of them, archives another's course
// activity from their page, and the third completes the course; the records page filtered by the course shows all three with the
// right marks, and filtered by status only the completed one; the page
// opened with the course filter exports those records to .xlsx, which
// exceljs reads back.
//
// Environment and harness: ./support/browser.mjs. Run with `npm run e2e`.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { assertNoErrorsSince, launchBrowser, listSettled, newPerson, pageErrors, signIn, signInAsOwner, snap, step } from './support/browser.mjs';

/** The export worker writes a few records in a moment; a loaded machine may take longer. */
const EXPORT_WAIT_MS = 60_000;

let browser;
let owner;

before(async () => {
  browser = await launchBrowser();
  owner = await newPerson(browser);
});
after(() => browser?.close());

/** The records table's rows, each as its cells' texts. */
async function recordRows(page) {
  const table = page.getByRole('table', { name: 'Training records' }).and(page.locator('[aria-busy="false"]'));
  await table.waitFor();
  const rows = table.getByRole('row');
  const out = [];
  for (let i = 1; i < (await rows.count()); i++) out.push(await rows.nth(i).getByRole('cell').allTextContents());
  return out;
}

test('training records show every learner of a course with their marks, and filter by status', async () => {
  const errorsBefore = pageErrors.length;
  const stamp = Date.now();
  const course = `E2e Records ${stamp}`;
  const password = `rita's own password ${stamp}`;
  const learner = await newPerson(browser);
  const people = {};
  let courseId;
  let oneTime;

  await step('sign-in', owner, () => signInAsOwner(owner));

  await step('setup', owner, async () => {
    // Through the API: assigning and archiving have their own scenarios.
    const created = await owner.request.post('/api/courses', { data: { name: course } });
    assert.equal(created.status(), 201, await created.text());
    courseId = (await created.json()).id;
    for (const name of ['Archie', 'Ava', 'Rita']) {
      const added = await owner.request.post('/api/users', {
        data: { firstName: name, lastName: `Rec${stamp}`, userId: `rec-${stamp}-${name.toLowerCase()}`, approve: true },
      });
      assert.equal(added.status(), 201, await added.text());
      people[name] = await added.json();
    }
    const ids = Object.values(people).map((u) => u.id);
    const assigned = await owner.request.post('/api/users/actions/assign-courses', { data: { userIds: ids, courseIds: [courseId] } });
    assert.equal(assigned.status(), 200, await assigned.text());
    assert.equal((await assigned.json()).done, 3);
    const otp = await owner.request.post(`/api/users/${people.Rita.id}/one-time-password`, { data: {} });
    assert.equal(otp.status(), 200, await otp.text());
    oneTime = (await otp.json()).password;
  });

  await step('bulk-set-due-date', owner, async () => {
    await owner.reload(); // the roster's course list is the one of when it opened
    await owner.getByRole('heading', { name: 'Enrolled Users' }).waitFor();
    await owner.getByRole('searchbox', { name: 'Search' }).fill(`Rec${stamp}`);
    await owner.getByText('3 users', { exact: true }).waitFor();
    await listSettled(owner);
    await owner.getByRole('checkbox', { name: 'Select all users on this page' }).check();
    await owner.getByRole('button', { name: 'Choose action' }).click();
    await owner.getByRole('menu', { name: 'Choose action' }).getByRole('menuitem', { name: 'Set due date…', exact: true }).click();
    const dialog = owner.getByRole('dialog', { name: 'Set the due date of 3 users' });
    await dialog.getByLabel(course).check();
    await dialog.getByLabel('New due date').fill('2031-01-31');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await owner.getByRole('dialog').getByRole('button', { name: `Yes, set ${course} due 31 Jan 2031 for 3 users`, exact: true }).click();
    const finished = owner.getByRole('dialog', { name: 'Set due date finished' });
    await finished.getByText(`${course} set due 31 Jan 2031 for 3 users`, { exact: true }).waitFor();
    await finished.getByRole('button', { name: 'Close' }).click();
    // Then Archie leaves the roster (archiving has its own scenarios).
    const archived = await owner.request.post('/api/users/actions/archive', { data: { userIds: [people.Archie.id] } });
    assert.equal((await archived.json()).done, 1);
  });

  await step('archive-activity', owner, async () => {
    await owner.goto(`/users/${people.Ava.id}`);
    const courses = owner.getByRole('region', { name: 'Courses' });
    await courses.getByText(course, { exact: true }).waitFor();
    await courses.getByRole('button', { name: `Archive activity of ${course}` }).click();
    const dialog = owner.getByRole('dialog', { name: `Archive ${course} activity?` });
    await snap(owner, 'archive-activity-confirm');
    await dialog.getByRole('button', { name: 'Yes, archive the activity' }).click();
    await dialog.waitFor({ state: 'detached' });
    await courses.getByText('No course assigned.').waitFor();
  });

  await step('learner-completes', learner, async () => {
    await signIn(learner, `rec-${stamp}-rita`, oneTime);
    await learner.getByRole('heading', { name: 'Choose your own password' }).waitFor();
    await learner.getByLabel('One-time password').fill(oneTime);
    await learner.getByLabel('New password', { exact: true }).fill(password);
    await learner.getByLabel('Type the new password again').fill(password);
    await learner.getByRole('button', { name: 'Save password and continue' }).click();
    await learner.getByRole('heading', { name: 'My training', level: 1 }).waitFor();
    await learner.getByRole('button', { name: `Complete ${course}` }).click();
    await learner.getByRole('status').getByText(new RegExp(`^${course} completed`)).waitFor();
  });

  await step('records-by-course', owner, async () => {
    await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Training records' }).click();
    await owner.getByRole('heading', { name: 'Training records', level: 1 }).waitFor();
    await owner.getByLabel('Course').selectOption({ label: course });
    await owner.getByRole('table', { name: 'Training records' }).getByText(`Archie Rec${stamp}`).waitFor();
    await snap(owner, 'records-by-course');
    const rows = await recordRows(owner);
    // Roster order: the active roster, then archived users, then archived activity.
    assert.deepEqual(
      rows.map((cells) => [cells[0].replace(/rec-.*$/, ''), cells[2]]),
      [
        [`Rita Rec${stamp}`, 'Completed'],
        [`Archie Rec${stamp}`, 'Not started User archived'],
        [`Ava Rec${stamp}`, 'Not started Activity archived'],
      ],
    );
    assert.ok(rows.every((cells) => cells[4] === '31 Jan 2031'), 'each with its due date');
  });

  await step('records-by-status', owner, async () => {
    await owner.getByLabel('Status').selectOption({ label: 'Completed' });
    await owner.waitForURL(/status=completed/);
    const rows = await recordRows(owner);
    assert.equal(rows.length, 1, JSON.stringify(rows));
    assert.match(rows[0][0], new RegExp(`^Rita Rec${stamp}`));
    assert.notEqual(rows[0][6], '', 'the completion date');
    await snap(owner, 'records-completed');
  });

  await step('records-export-xlsx', owner, async () => {
    // The page opened from an address with the course filter, as a bookmark would.
    await owner.goto(`/records?course=${courseId}`);
    await owner.getByRole('heading', { name: 'Training records', level: 1 }).waitFor();
    const shown = (await recordRows(owner)).map((cells) => cells[0].replace(/rec-.*$/, ''));
    assert.equal(shown.length, 3, JSON.stringify(shown));
    await owner.getByRole('button', { name: 'Export', exact: true }).click();
    const dialog = owner.getByRole('dialog', { name: 'Export training records' });
    await dialog.getByText('Export the training records that match the filters to a spreadsheet.').waitFor();
    await dialog.getByLabel('Format').selectOption('xlsx');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByRole('status').getByText('3 rows exported.').waitFor({ timeout: EXPORT_WAIT_MS });
    await snap(owner, 'records-export-done');
    const [download] = await Promise.all([
      owner.waitForEvent('download'),
      dialog.getByRole('button', { name: /^Download roster-training-records-\d{4}-\d{2}-\d{2}\.xlsx$/ }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^roster-training-records-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await readFile(await download.path()));
    const sheet = workbook.getWorksheet('Training records');
    assert.ok(sheet, 'the workbook has a Training records sheet');
    const rows = [];
    sheet.eachRow((r) => rows.push(r.values.slice(1)));
    // shared/export.go TrainingRecordExportColumns.
    assert.deepEqual(rows[0], [
      'Name', 'Email', 'User ID', 'User status', 'Course', 'Assigned', 'Due', 'Started',
      'Completed', 'Retake due', 'Status', 'Activity archived', 'Location', 'Groups',
    ]);
    const col = Object.fromEntries(rows[0].map((name, i) => [name, i]));
    const records = rows.slice(1);
    // The rows the page shows, in its order, with their course and status.
    assert.deepEqual(
      records.map((r) => r[col.Name]),
      shown,
      'the export holds the rows the filter shows',
    );
    assert.deepEqual(
      records.map((r) => [
        r[col.Name],
        r[col['User ID']],
        r[col.Course],
        r[col.Status],
        r[col['User status']] === 'archived',
        r[col['Activity archived']] instanceof Date,
      ]),
      [
        [`Rita Rec${stamp}`, `rec-${stamp}-rita`, course, 'completed', false, false],
        [`Archie Rec${stamp}`, `rec-${stamp}-archie`, course, 'not started', true, false],
        [`Ava Rec${stamp}`, `rec-${stamp}-ava`, course, 'not started', false, true],
      ],
    );
    for (const r of records) {
      assert.ok(r[col.Due] instanceof Date && r[col.Due].toISOString().startsWith('2031-01-31'), `due 31 Jan 2031, got ${r[col.Due]}`);
    }
    assert.ok(records[0][col.Completed] instanceof Date, 'Rita\'s completion is a date');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  assertNoErrorsSince(errorsBefore);
});
