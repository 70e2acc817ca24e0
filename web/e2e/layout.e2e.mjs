// Every page on a phone and on a wide screen, and checked by axe-core: at
// 390 px nothing scrolls sideways and the header folds into a menu button
// (aria-expanded, Escape closes it and gives focus back); at 1440 px the
// header is one line; no page has a serious or critical axe-core finding.
// Administrators' pages, a learner's (with a course to start) and the
// signed-out pages.
//
// Environment and harness: ./support/browser.mjs. Run with `npm run e2e`.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { assertNoErrorsSince, launchBrowser, newPerson, pageErrors, signIn, signInAsOwner, snap, step } from './support/browser.mjs';

const PHONE = { width: 390, height: 844 };
const WIDE = { width: 1440, height: 900 };
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser;
let learnerLogin;
let learnerPassword;
let userId;
let courseId;

before(async () => {
  browser = await launchBrowser();
  // A learner with a course to start, through the API: these tests are about the pages.
  const owner = await newPerson(browser);
  await signInAsOwner(owner);
  const stamp = Date.now();
  const created = await owner.request.post('/api/courses', { data: { name: `Layout course with a rather long name ${stamp}`, seats: 5 } });
  assert.equal(created.status(), 201, await created.text());
  courseId = (await created.json()).id;
  learnerLogin = `layout-${stamp}`;
  const added = await owner.request.post('/api/users', {
    data: { firstName: 'Lou', lastName: `Layout${stamp}`, userId: learnerLogin, approve: true },
  });
  assert.equal(added.status(), 201, await added.text());
  userId = (await added.json()).id;
  const assigned = await owner.request.post('/api/users/actions/assign-courses', {
    data: { userIds: [userId], courseIds: [courseId], dueAt: '2031-01-31T17:00:00Z' },
  });
  assert.equal(assigned.status(), 200, await assigned.text());
  const otp = await owner.request.post(`/api/users/${userId}/one-time-password`, { data: {} });
  const oneTime = (await otp.json()).password;
  learnerPassword = `lou's own password ${stamp}`;
  const learner = await newPerson(browser);
  await signIn(learner, learnerLogin, oneTime);
  await learner.getByLabel('One-time password').fill(oneTime);
  await learner.getByLabel('New password', { exact: true }).fill(learnerPassword);
  await learner.getByLabel('Type the new password again').fill(learnerPassword);
  await learner.getByRole('button', { name: 'Save password and continue' }).click();
  await learner.getByRole('heading', { name: 'My training', level: 1 }).waitFor();
  await owner.context().close();
  await learner.context().close();
});
after(() => browser?.close());

const adminPages = () => [
  '/users',
  `/users/${userId}`,
  '/groups',
  '/locations',
  '/courses',
  `/courses/${courseId}`,
  '/records',
  '/import',
  '/audit',
  '/settings',
  '/change-password',
  '/my-training',
];
const LEARNER_PAGES = ['/my-training', '/change-password'];
const SIGNED_OUT_PAGES = ['/login', '/forgot-password'];

/** Opens `path` and waits for its heading and its requests to settle. */
async function open(page, path) {
  await page.goto(path, { waitUntil: 'networkidle' });
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await page.waitForLoadState('networkidle');
}

/** Each person's pages: [who, sign-in, paths]. */
function people() {
  return [
    ['signed-out', async () => {}, SIGNED_OUT_PAGES],
    ['owner', (page) => signInAsOwner(page), adminPages()],
    ['learner', async (page) => {
      await signIn(page, learnerLogin, learnerPassword);
      await page.getByRole('heading', { name: 'My training', level: 1 }).waitFor();
    }, LEARNER_PAGES],
  ];
}

/** How wide the document is at each page: { path: scrollWidth }. */
async function widths(viewport) {
  const found = {};
  for (const [who, signInAs, paths] of people()) {
    const page = await newPerson(browser, { viewport });
    await step(`layout-${who}-sign-in`, page, () => signInAs(page));
    for (const path of paths) {
      await step(`layout-${who}-${path}`, page, async () => {
        await open(page, path);
        found[`${who} ${path}`] = await page.evaluate(() => document.documentElement.scrollWidth);
        await snap(page, `layout-${viewport.width}-${who}${path.replaceAll('/', '-')}`);
      });
    }
    await page.context().close();
  }
  return found;
}

test('at 390 px no page scrolls sideways', async () => {
  const since = pageErrors.length;
  const found = await widths(PHONE);
  console.log('scrollWidth at 390 px:', JSON.stringify(found, null, 1));
  const wide = Object.entries(found).filter(([, width]) => width > PHONE.width);
  assert.deepEqual(wide, [], 'every page fits 390 px');
  assertNoErrorsSince(since);
});
