// End-to-end test of a learner's My training against a running Roster
// server: the owner assigns a course with seats to a learner with a
// one-time password; the learner signs in, starts and completes it; the
// owner's course page then shows the seat as used.
//
// Environment and harness: ./support/browser.mjs. Run with `npm run e2e`.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoErrorsSince, launchBrowser, newPerson, pageErrors, signIn, signInAsOwner, snap, step } from './support/browser.mjs';

let browser;
let owner;

before(async () => {
  browser = await launchBrowser();
  owner = await newPerson(browser);
});
after(() => browser?.close());

test('a learner starts and completes an assigned course; the owner sees the seat used', async () => {
  const errorsBefore = pageErrors.length;
  const stamp = Date.now();
  const course = `E2e Ladders ${stamp}`;
  const learnerLogin = `lrn-${stamp}`;
  const password = `lena's own password ${stamp}`;
  const learner = await newPerson(browser);
  let courseId;
  let oneTime;

  await step('sign-in', owner, () => signInAsOwner(owner));

  await step('setup', owner, async () => {
    // Through the API: this test is about the learner's page.
    const created = await owner.request.post('/api/courses', { data: { name: course, seats: 2, retakeMonths: 12 } });
    assert.equal(created.status(), 201, await created.text());
    courseId = (await created.json()).id;
    const added = await owner.request.post('/api/users', {
      data: { firstName: 'Lena', lastName: `Learner${stamp}`, userId: learnerLogin, approve: true },
    });
    assert.equal(added.status(), 201, await added.text());
    const lena = await added.json();
    const assigned = await owner.request.post('/api/users/actions/assign-courses', {
      data: { userIds: [lena.id], courseIds: [courseId], dueAt: '2031-01-31T17:00:00Z' },
    });
    assert.equal(assigned.status(), 200, await assigned.text());
    assert.equal((await assigned.json()).done, 1);
    const otp = await owner.request.post(`/api/users/${lena.id}/one-time-password`, { data: {} });
    assert.equal(otp.status(), 200, await otp.text());
    oneTime = (await otp.json()).password;
  });

  await step('learner-signs-in', learner, async () => {
    await signIn(learner, learnerLogin, oneTime);
    await learner.getByRole('heading', { name: 'Choose your own password' }).waitFor();
    await learner.getByLabel('One-time password').fill(oneTime);
    await learner.getByLabel('New password', { exact: true }).fill(password);
    await learner.getByLabel('Type the new password again').fill(password);
    await learner.getByRole('button', { name: 'Save password and continue' }).click();
    await learner.getByRole('heading', { name: 'My training', level: 1 }).waitFor();
  });

  await step('learner-starts', learner, async () => {
    const table = learner.getByRole('table', { name: 'Your courses, by due date' });
    const row = table.getByRole('row').filter({ has: learner.getByRole('rowheader', { name: course }) });
    await row.getByText('31 Jan 2031').waitFor();
    await row.getByText('Not started', { exact: true }).waitFor();
    await snap(learner, 'my-training');
    await learner.getByRole('button', { name: `Start ${course}` }).click();
    await learner.getByRole('status').getByText(`${course} started.`).waitFor();
    await row.getByText(/^In progress since/).waitFor();
    assert.equal(await learner.getByRole('button', { name: `Start ${course}` }).count(), 0, 'no Start once started');
  });

  await step('learner-completes', learner, async () => {
    await learner.getByRole('button', { name: `Complete ${course}` }).click();
    await learner.getByRole('status').getByText(new RegExp(`^${course} completed\\. Due again`)).waitFor();
    const row = learner.getByRole('table', { name: 'Your courses, by due date' }).getByRole('row').filter({ has: learner.getByRole('rowheader', { name: course }) });
    await row.getByText(/^Completed /).waitFor();
    await snap(learner, 'my-training-completed');
  });

  await step('learner-retakes', learner, async () => {
    await learner.getByRole('button', { name: `Retake ${course}` }).click();
    await learner.getByRole('status').getByText(`${course} started again.`).waitFor();
    const row = learner.getByRole('table', { name: 'Your courses, by due date' }).getByRole('row').filter({ has: learner.getByRole('rowheader', { name: course }) });
    await row.getByText(/^Retake in progress since .*; last completed /).waitFor();
    await row.getByText(/^Due again /).waitFor();
    assert.equal(await learner.getByRole('button', { name: `Retake ${course}` }).count(), 0, 'no Retake while the retake runs');
  });

  // The retake runs on the seat the first attempt used: still one used.
  await step('owner-sees-the-seat-used', owner, async () => {
    await owner.goto(`/courses/${courseId}`);
    await owner.getByRole('heading', { name: course, level: 1 }).waitFor();
    // Bought, reserved, used, free.
    const figures = await owner.getByRole('complementary', { name: 'License pool' }).getByRole('definition').allTextContents();
    assert.deepEqual(figures, ['2', '0', '1', '1']);
    await owner.getByRole('table', { name: 'Seat ledger, newest first' }).getByText(`Started by Lena Learner${stamp}`).waitFor();
  });

  assertNoErrorsSince(errorsBefore);
});
