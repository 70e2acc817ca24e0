// End-to-end test of the courses pages against a running Roster server: a
// course with a license pool, its seats changed, its ledger read.
//
// Environment and harness: ./support/browser.mjs. Run with `npm run e2e`.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoErrorsSince, launchWithPerson, row, signInAsOwner, snap, step } from './support/browser.mjs';

let browser;
let page;

before(async () => ({ browser, page } = await launchWithPerson()));
after(() => browser?.close());

/** The pool's figures on a course page: bought, reserved, used, free. */
async function poolFigures() {
  return page.getByRole('complementary', { name: 'License pool' }).getByRole('definition').allTextContents();
}

test('an owner adds a course with seats, changes them and reads the ledger', async () => {
  const name = `E2e Course ${Date.now()}`;

  await step('sign-in', page, () => signInAsOwner(page));

  await step('courses-page', page, async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Courses' }).click();
    await page.getByRole('heading', { name: 'Courses', level: 1 }).waitFor();
    // The demo organization is seeded with courses and pools.
    await row(page, 'Food Hygiene Level 2').getByRole('cell', { name: '400' }).first().waitFor();
    await snap(page, 'courses');
  });

  await step('add-course', page, async () => {
    await page.getByRole('button', { name: 'Add course' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a course' });
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByLabel('Retake every (months)').fill('24');
    await dialog.getByLabel('Limited:').check();
    await dialog.getByLabel('Seats bought').fill('10');
    await dialog.getByRole('button', { name: 'Add course' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').getByText(`Added ${name}.`).waitFor();
    await row(page, name).getByText('Every 24 months').waitFor();
  });

  await step('open-course', page, async () => {
    await row(page, name).getByRole('link', { name }).click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    assert.deepEqual(await poolFigures(), ['10', '0', '0', '10']);
    await page.getByRole('table', { name: 'Seat ledger, newest first' }).getByText('Course created with 10 seats').waitFor();
  });

  await step('buy-seats', page, async () => {
    const form = page.getByRole('form', { name: 'Edit the course' });
    await form.getByText('No seats are reserved or used yet').waitFor();
    await form.getByLabel('Seats bought').fill('25');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').getByText(`Saved ${name}.`).waitFor();
    assert.deepEqual(await poolFigures(), ['25', '0', '0', '25']);
  });

  await step('ledger', page, async () => {
    const ledger = page.getByRole('table', { name: 'Seat ledger, newest first' });
    await ledger.getByText('15 seats bought (10 to 25)').waitFor();
    const rows = ledger.getByRole('row');
    assert.equal(await rows.count(), 3, 'a header and two movements');
    const newest = rows.nth(1);
    await newest.getByText('15 seats bought', { exact: true }).waitFor();
    await newest.getByText('Olive Owner').waitFor();
    await snap(page, 'course');
  });

  await step('make-unlimited', page, async () => {
    const form = page.getByRole('form', { name: 'Edit the course' });
    await form.getByLabel('Unlimited seats').check();
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('table', { name: 'Seat ledger, newest first' }).getByText('Made unlimited', { exact: true }).waitFor();
    assert.deepEqual(await poolFigures(), ['Unlimited', '0', '0', 'Unlimited']);
  });

  await step('retire', page, async () => {
    await page.getByRole('button', { name: 'Retire course' }).click();
    await page.getByRole('dialog', { name: `Retire ${name}?` }).getByRole('button', { name: 'Yes, retire' }).click();
    await page.getByRole('status').getByText(`Retired ${name}.`).waitFor();
    await page.getByText('This course is retired: restore it to edit it.').waitFor();
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Courses' }).click();
    await page.getByRole('heading', { name: 'Courses', level: 1 }).waitFor();
    await page.getByRole('table', { name: 'Courses' }).and(page.locator('[aria-busy="false"]')).waitFor();
    assert.equal(await row(page, name).count(), 0, 'a retired course is hidden by default');
    await page.getByLabel('Show retired courses').check();
    await row(page, name).getByText('Retired').waitFor();
  });

  assertNoErrorsSince(0);
});
