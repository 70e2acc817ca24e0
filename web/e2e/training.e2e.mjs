// End-to-end test of assigning courses against a running Roster server: a
// course with two seats assigned to three users, "as many as fit", and the
// seat that comes back when one of them is archived.
//
// Environment and harness: ./support/browser.mjs. Run with `npm run e2e`.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WAIT_MS, assertNoErrorsSince, launchWithPerson, listSettled, signInAsOwner, snap, step } from './support/browser.mjs';

let browser;
let page;

before(async () => ({ browser, page } = await launchWithPerson()));
after(() => browser?.close());

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

  await step('sign-in', page, () => signInAsOwner(page));

  await step('setup', page, async () => {
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

  await step('assign-as-many-as-fit', page, async () => {
    // Read the page again: its course list is the one of when it opened.
    await page.reload();
    await page.getByRole('heading', { name: 'Enrolled Users' }).waitFor();
    await page.getByRole('searchbox', { name: 'Search' }).fill(prefix);
    await page.getByText('3 users', { exact: true }).waitFor();
    await listSettled(page);
    await page.getByRole('checkbox', { name: 'Select all users on this page' }).check();
    await page.getByRole('button', { name: 'Choose action' }).click();
    await page.getByRole('menu', { name: 'Choose action' }).getByRole('menuitem', { name: 'Assign courses…', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Assign courses to 3 users' });
    await dialog.getByLabel(course).check();
    await dialog.getByLabel('Assign as many as fit').check();
    await snap(page, 'assign-courses-step');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('dialog').getByRole('button', { name: `Yes, assign ${course} to 3 users`, exact: true }).click();
    const finished = page.getByRole('dialog', { name: 'Assign courses finished' });
    await finished.getByText(`${course} assigned to 2 users`, { exact: true }).waitFor();
    await finished.getByText(/no seat left in/).first().waitFor();
    await snap(page, 'assign-courses-results');
    await finished.getByRole('button', { name: 'Close' }).click();
    await finished.waitFor({ state: 'detached' });
    // The Courses column names the course for the two users who got a seat.
    const classes = page.getByRole('table', { name: 'Enrolled users' }).getByText(course, { exact: true });
    await classes.nth(1).waitFor();
    assert.equal(await classes.count(), 2);
  });

  await step('pool-figures', page, async () => {
    await page.goto(`/courses/${courseId}`);
    await page.getByRole('heading', { name: course, level: 1 }).waitFor();
    assert.deepEqual(await poolFigures(), ['2', '2', '0', '0']);
    await page.getByRole('region', { name: 'Learners' }).getByRole('link', { name: '2 learners on the roster' }).waitFor();
  });

  await step('archive-gives-the-seat-back', page, async () => {
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
    await snap(page, 'course-after-archive');
  });

  assertNoErrorsSince(0);
});
