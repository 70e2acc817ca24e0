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
let longUserId;
let longLastName;

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
  // Someone whose name, email, sign-in name, group and course are long and have nowhere to break:
  // each must wrap or be cut short (with the whole text still available) at 390 px.
  longLastName = `Wolfeschlegelsteinhausenbergerdorff${stamp}`;
  const longGroup = await owner.request.post('/api/groups', {
    data: { name: `Night-shift-warehouse-operatives-and-forklift-drivers-${stamp}` },
  });
  assert.equal(longGroup.status(), 201, await longGroup.text());
  const long = await owner.request.post('/api/users', {
    data: {
      firstName: 'Maximiliana-Bartholomea',
      lastName: longLastName,
      email: `maximiliana.wolfeschlegelsteinhausenbergerdorff.${stamp}@subsidiary-operations.example.com`,
      userId: `maximiliana.wolfeschlegelsteinhausenbergerdorff-${stamp}`,
      groupIds: [(await longGroup.json()).id],
      approve: true,
    },
  });
  assert.equal(long.status(), 201, await long.text());
  longUserId = (await long.json()).id;
  const longAssigned = await owner.request.post('/api/users/actions/assign-courses', {
    data: { userIds: [longUserId], courseIds: [courseId] },
  });
  assert.equal(longAssigned.status(), 200, await longAssigned.text());
  await owner.context().close();
  await learner.context().close();
});
after(() => browser?.close());

const adminPages = () => [
  '/users',
  `/users?q=${longLastName}`,
  `/users/${userId}`,
  `/users/${longUserId}`,
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
        if (path.includes('?q=')) await page.getByRole('link', { name: new RegExp(longLastName) }).first().waitFor();
        found[`${who} ${path}`] = await page.evaluate(() => document.documentElement.scrollWidth);
        if (found[`${who} ${path}`] > viewport.width) {
          // Say what sticks out, to fix it: the outermost elements past the right edge.
          const culprits = await page.evaluate((width) => {
            const out = [...document.body.querySelectorAll('*')].filter((el) => el.getBoundingClientRect().right > width + 1);
            return out
              .filter((el) => !out.includes(el.parentElement))
              .slice(0, 5)
              .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} → ${Math.round(el.getBoundingClientRect().right)}`);
          }, viewport.width);
          console.log(`${who} ${path} is ${found[`${who} ${path}`]} px wide:`, culprits.join('; '));
        }
        await snap(page, `layout-${viewport.width}-${who}${path.replace(/\?.*/, '-search').replaceAll('/', '-')}`);
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

/** The header's controls that show: their boxes. */
async function headerBoxes(page) {
  return page.locator('header.app-header').evaluate((header) =>
    [...header.querySelectorAll('a, button, .roster-count, .brand-block')]
      .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
      .map((el) => {
        const r = el.getBoundingClientRect();
        return { text: el.textContent.trim().slice(0, 30), top: r.top, bottom: r.bottom };
      }),
  );
}

test('at 1440 px the header is one line on every page (and at 1366 px, where the other scenarios run)', async () => {
  const since = pageErrors.length;
  const laptop = await newPerson(browser);
  await step('header-1366', laptop, async () => {
    await signInAsOwner(laptop);
    const boxes = await headerBoxes(laptop);
    assert.ok(Math.max(...boxes.map((b) => b.top)) < Math.min(...boxes.map((b) => b.bottom)), `one line at 1366 px: ${JSON.stringify(boxes)}`);
    assert.ok(await laptop.evaluate(() => document.documentElement.scrollWidth <= 1366), 'nothing sticks out at 1366 px');
  });
  await laptop.context().close();
  for (const [who, signInAs, paths] of people().slice(1)) {
    const page = await newPerson(browser, { viewport: WIDE });
    await step(`header-${who}-sign-in`, page, () => signInAs(page));
    for (const path of paths) {
      await step(`header-${who}-${path}`, page, async () => {
        await open(page, path);
        assert.equal(await page.getByRole('button', { name: 'Menu' }).isVisible(), false, 'no menu button on a wide screen');
        const boxes = await headerBoxes(page);
        assert.ok(boxes.length >= 3, 'the header shows its controls');
        const lowestTop = Math.max(...boxes.map((b) => b.top));
        const highestBottom = Math.min(...boxes.map((b) => b.bottom));
        assert.ok(lowestTop < highestBottom, `${who} ${path}: every control of the header on one line: ${JSON.stringify(boxes)}`);
      });
    }
    await page.context().close();
  }
  assertNoErrorsSince(since);
});

test('on a phone the header folds into a Menu button; the roster is cards; a learner has full-width buttons', async () => {
  const since = pageErrors.length;
  const page = await newPerson(browser, { viewport: PHONE });
  await step('phone-sign-in', page, () => signInAsOwner(page));
  await step('phone-menu', page, async () => {
    const menu = page.getByRole('button', { name: 'Menu' });
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.getByRole('link', { name: 'Groups' }).isVisible(), false, 'the navigation is folded');
    await menu.click();
    assert.equal(await menu.getAttribute('aria-expanded'), 'true');
    await page.getByRole('link', { name: 'Groups' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Users', 'focus on the first link');
    await snap(page, 'phone-menu-open');
    await page.keyboard.press('Escape');
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Menu', 'focus back on the button');
    await menu.click();
    await page.getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
    assert.equal(await menu.getAttribute('aria-expanded'), 'false', 'going to a page folds the menu');
  });
  await step('phone-roster-cards', page, async () => {
    await open(page, '/users');
    const first = page.getByRole('table', { name: 'Enrolled users' }).getByRole('row').nth(1);
    const box = await first.boundingBox();
    assert.ok(box.width <= PHONE.width, `a card fits the screen (${box.width} px)`);
    const actions = first.getByRole('button', { name: /^Actions for / });
    const actionsBox = await actions.boundingBox();
    assert.ok(actionsBox.x + actionsBox.width <= PHONE.width, 'the row menu is on screen');
    await snap(page, 'phone-roster');
  });
  await step('phone-row-group-submenu', page, async () => {
    // The long-named user's card fits, and the row menu's list of groups opens on screen, over the menu.
    await open(page, `/users?q=${longLastName}`);
    const card = page.getByRole('row').filter({ hasText: longLastName });
    await card.waitFor();
    const box = await card.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, `the long-named user's card fits (${box.x}, ${box.width} px)`);
    await card.getByRole('button', { name: /^Actions for / }).click();
    await page.getByRole('menuitem', { name: 'Remove from group', exact: true }).click();
    const groups = page.getByRole('menu', { name: 'Remove from group' });
    const group = groups.getByRole('menuitem', { name: /^Night-shift-warehouse-operatives/ });
    await group.waitFor();
    for (const [what, el] of [['the list', groups], ['its entry', group]]) {
      const b = await el.boundingBox();
      assert.ok(b.x >= 0 && b.x + b.width <= PHONE.width && b.y >= 0 && b.y + b.height <= PHONE.height, `${what} is on screen: ${JSON.stringify(b)}`);
    }
    await snap(page, 'phone-row-group-submenu');
    await page.keyboard.press('Escape');
    await groups.waitFor({ state: 'detached' });
  });
  await page.context().close();

  const learner = await newPerson(browser, { viewport: PHONE });
  await step('phone-learner', learner, async () => {
    await signIn(learner, learnerLogin, learnerPassword);
    await learner.getByRole('heading', { name: 'My training', level: 1 }).waitFor();
    const start = learner.getByRole('button', { name: /^Start / });
    const complete = learner.getByRole('button', { name: /^Complete / });
    for (const button of [start, complete]) {
      await button.waitFor();
      const box = await button.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, 'the button is on screen');
      assert.ok(box.width >= PHONE.width * 0.6, `the button runs across the card (${box.width} px)`);
    }
    await snap(learner, 'phone-my-training');
  });
  await learner.context().close();
  assertNoErrorsSince(since);
});

test('no page has a serious or critical axe-core finding', async () => {
  const since = pageErrors.length;
  const findings = {};
  for (const [who, signInAs, paths] of people()) {
    const page = await newPerson(browser, { viewport: WIDE, bypassCSP: true });
    await step(`axe-${who}-sign-in`, page, () => signInAs(page));
    for (const path of paths) {
      await step(`axe-${who}-${path}`, page, async () => {
        await open(page, path);
        await page.evaluate(axeSource);
        const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
        const serious = result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
        if (serious.length > 0) findings[`${who} ${path}`] = serious;
      });
    }
    await page.context().close();
  }
  assert.deepEqual(findings, {}, 'no serious or critical finding');
  assertNoErrorsSince(since);
});
