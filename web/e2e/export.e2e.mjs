// End-to-end test of exports: the roster's Export button writes the users
// the filters match (or the selected ones) to .xlsx or CSV in the
// background, and the browser downloads the file, which a real parser
// (exceljs) then reads: rows, real dates, and a neutralised formula.
//
// Environment and harness: ./support/browser.mjs. Run with `npm run e2e`.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { assertNoErrorsSince, launchWithPerson, listSettled, row, signInAsOwner, snap, step } from './support/browser.mjs';

/** The export worker writes a small roster in a moment; a loaded machine may take longer. */
const EXPORT_WAIT_MS = 60_000;

let browser;
let page;

before(async () => ({ browser, page } = await launchWithPerson()));
after(() => browser?.close());

/** Opens the Export dialog, exports in `format`, downloads the file and returns its bytes. */
async function exportAndDownload(format, describe) {
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Export users' });
  await dialog.getByText(describe).waitFor();
  await dialog.getByLabel('Format').selectOption(format);
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const done = dialog.getByRole('status');
  await done.waitFor({ timeout: EXPORT_WAIT_MS });
  await snap(page, `export-${format}-done`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: new RegExp(`^Download roster-users-.*\\.${format}$`) }).click(),
  ]);
  assert.match(download.suggestedFilename(), new RegExp(`^roster-users-\\d{4}-\\d{2}-\\d{2}\\.${format}$`));
  const bytes = await readFile(await download.path());
  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'detached' });
  return { bytes };
}

test('an owner exports the filtered roster to .xlsx and a selection to CSV, and the files read back', async () => {
  const stamp = Date.now();
  const last = `Export${stamp}`;
  const since = 0;

  await step('export-sign-in', page, () => signInAsOwner(page));

  await step('export-add-users', page, async () => {
    for (const [firstName, email] of [
      ['=HYPERLINK("http://evil.example")', `evil-${stamp}@e2e.example`],
      ['Ada', `ada-${stamp}@e2e.example`],
    ]) {
      const response = await page.request.post('/api/users', { data: { firstName, lastName: last, email } });
      assert.equal(response.status(), 201, await response.text());
    }
  });

  await step('export-filter', page, async () => {
    await page.getByRole('searchbox', { name: 'Search' }).fill(last);
    await page.getByText('2 users', { exact: true }).waitFor();
    await listSettled(page);
  });

  await step('export-xlsx-of-the-filter', page, async () => {
    const { bytes } = await exportAndDownload('xlsx', 'the 2 users that match the filters');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes);
    const sheet = workbook.getWorksheet('Users');
    assert.ok(sheet, 'the workbook has a Users sheet');
    const rows = [];
    sheet.eachRow((r) => rows.push(r.values.slice(1)));
    assert.equal(rows.length, 3, `the header and 2 users, got ${JSON.stringify(rows)}`);
    assert.deepEqual(rows[0].slice(0, 5), ['Name', 'Email', 'User ID', 'Role', 'Status']);
    const names = rows.slice(1).map((r) => r[0]).sort();
    assert.deepEqual(names, [`'=HYPERLINK("http://evil.example") ${last}`, `Ada ${last}`]);
    for (const r of rows.slice(1)) {
      assert.equal(typeof r[0], 'string', 'a name is text, not a formula');
      assert.ok(r[12] instanceof Date, `Created is a date, got ${JSON.stringify(r[12])}`);
      assert.ok(Math.abs(r[12].getTime() - Date.now()) < 3_600_000, 'Created is about now');
    }
  });

  await step('export-csv-of-a-selection', page, async () => {
    await row(page, `Ada ${last}`).getByRole('checkbox').check();
    await page.getByText('1 user selected').waitFor();
    const { bytes } = await exportAndDownload('csv', 'the 1 selected user');
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the CSV starts with a UTF-8 byte order mark');
    const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    assert.equal(lines.length, 2, `the header and Ada, got ${JSON.stringify(lines)}`);
    assert.ok(lines[1].startsWith(`Ada ${last},ada-${stamp}@e2e.example,`), lines[1]);
  });

  assertNoErrorsSince(since);
});
