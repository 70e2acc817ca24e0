// End-to-end test of the identity pages against a running Roster server: links
// taken from the emails in the dev server's mailbox, forgotten passwords,
// registration, one-time passwords. Several people at once, each in a browser
// context of their own (their own cookies), beside the owner's.
//
// Environment and harness: ./support/browser.mjs; the mailbox is BASE_URL/dev/mailbox.json.
// Run with `npm run e2e`.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertNoErrorsSince,
  expectFailures,
  launchBrowser,
  linkFromMailbox,
  listSettled,
  newPerson,
  openInNewTab,
  pageErrors,
  ROSTER_ORG,
  ROSTER_OWNER_EMAIL,
  ROSTER_OWNER_PASSWORD,
  row,
  signIn,
  snap,
  step,
} from './support/browser.mjs';

// The failed responses the scenarios cause on purpose: a spent link (410), a
// renewed registration link (404).
expectFailures(
  { path: '/api/auth/links/check', status: 410 },
  { path: '/api/auth/register/check', status: 404 },
);

let browser;
/** The owner's page, signed in once for every test (each sign-in counts towards the sign-in throttle). */
let owner;

before(async () => {
  browser = await launchBrowser();
  owner = await newPerson(browser);
  await step('owner-sign-in', owner, () => signIn(owner, ROSTER_OWNER_EMAIL, ROSTER_OWNER_PASSWORD));
  await owner.getByRole('heading', { name: 'Enrolled Users' }).waitFor();
  assertNoErrorsSince(0);
});

after(async () => {
  await browser?.close();
});

/** Types a new password twice, as every password form asks. */
async function typeNewPassword(page, password) {
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('Type the new password again').fill(password);
}

/** Waits for a learner's landing page, and checks they see nothing of the administrators'. */
async function onMyTraining(page) {
  await page.getByRole('heading', { name: 'My training', level: 1 }).waitFor();
  await page.getByText('You have no courses yet.').waitFor();
  assert.equal(new URL(page.url()).pathname, '/my-training');
  const nav = page.getByRole('navigation', { name: 'Main' });
  assert.deepEqual(await nav.getByRole('link').allInnerTexts(), ['My training'], 'a learner sees no admin navigation');
}

/** Opens the owner's Users page searching for `text`. */
async function findUser(text) {
  await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await owner.getByRole('heading', { name: 'Enrolled Users' }).waitFor();
  await owner.getByRole('searchbox', { name: 'Search' }).fill(text);
  await owner.getByText('1 user', { exact: true }).waitFor();
  await listSettled(owner);
}

/** Adds a user through the API, as the owner. */
async function addUser(user) {
  const response = await owner.request.post('/api/users', { data: user });
  assert.equal(response.status(), 201, await response.text());
  return response.json();
}

test('an invited learner opens the link twice, sets a password, lands on My training; the link then says it was used', async () => {
  const errorsBefore = pageErrors.length;
  const stamp = Date.now();
  const ivy = { first: 'Ivy', last: `Invite${stamp}`, email: `ivy.${stamp}@example.com` };
  const name = `${ivy.first} ${ivy.last}`;
  const learner = await newPerson(browser);
  let link;

  await step('invite', owner, async () => {
    await owner.goto('/users');
    await owner.getByRole('button', { name: 'Add user' }).click();
    const dialog = owner.getByRole('dialog', { name: 'Add user' });
    await dialog.getByLabel('First name').fill(ivy.first);
    await dialog.getByLabel('Last name').fill(ivy.last);
    await dialog.getByLabel('Email', { exact: true }).fill(ivy.email);
    await dialog.getByLabel('Approve now').check();
    await dialog.getByLabel('Send invitation email').check();
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await dialog.waitFor({ state: 'detached' });
    await owner.getByRole('status').getByText(`Added ${name} and sent the invitation.`).waitFor();
  });

  await step('invitation-link', owner, async () => {
    link = await linkFromMailbox(ivy.email, 'invitation');
  });

  await step('open-invitation', learner, async () => {
    await learner.goto(link);
    await learner.getByLabel('New password', { exact: true }).waitFor();
    await learner.getByRole('heading', { name: 'Set your password' }).waitFor();
    await learner.getByText(`Welcome to `).filter({ hasText: `, ${ivy.first}.` }).waitFor();
    await learner.getByText(ivy.email, { exact: true }).waitFor();
    assert.equal(new URL(learner.url()).hash, '', 'the token left the address bar');
    await snap(learner, 'invitation');
  });

  await step('open-invitation-again', learner, async () => {
    // Opening spends nothing: a second tab (an email scanner, a second click) finds the form too.
    const again = await openInNewTab(learner, link);
    await again.getByLabel('New password', { exact: true }).waitFor();
    await again.close();
  });

  await step('set-password', learner, async () => {
    await typeNewPassword(learner, `ivy's long password ${stamp}`);
    await learner.getByRole('button', { name: 'Set password and sign in' }).click();
    await onMyTraining(learner);
    await snap(learner, 'my-training');
  });

  await step('invitation-used', learner, async () => {
    const again = await openInNewTab(learner, link);
    await again.getByRole('heading', { name: 'This link was already used' }).waitFor();
    await again.getByRole('link', { name: 'Forgot password?' }).waitFor();
    await snap(again, 'link-used');
    await again.close();
  });

  await step('send-password-reset', owner, async () => {
    // From the user's page this time: the same actions as the row's menu.
    await findUser(ivy.last);
    await row(owner, name).getByRole('link', { name }).click();
    await owner.getByRole('heading', { name, level: 1 }).waitFor();
    await owner.getByRole('button', { name: `Actions for ${name}` }).click();
    await owner.getByRole('menuitem', { name: 'Send password reset…' }).click();
    await owner
      .getByRole('dialog', { name: `Send ${name} a password reset email?` })
      .getByRole('button', { name: 'Yes, send the email' })
      .click();
    const sent = owner.getByRole('dialog', { name: 'Password reset email sent' });
    await sent.getByText(`at ${ivy.email}`, { exact: false }).waitFor();
    await sent.getByRole('button', { name: 'Close' }).click();
    assert.match(await linkFromMailbox(ivy.email, 'reset-password'), /\/reset-password#/);
  });

  await learner.context().close();
  assertNoErrorsSince(errorsBefore);
});

test('a learner resets a forgotten password from the sign-in page; their older session ends', async () => {
  const errorsBefore = pageErrors.length;
  const stamp = Date.now();
  const rita = { firstName: 'Rita', lastName: `Reset${stamp}`, email: `rita.${stamp}@example.com` };
  const older = await newPerson(browser);
  const newer = await newPerson(browser);

  await step('older-session', older, async () => {
    await addUser({ ...rita, approve: true, notify: true });
    await older.goto(await linkFromMailbox(rita.email, 'invitation'));
    await typeNewPassword(older, `rita's first password ${stamp}`);
    await older.getByRole('button', { name: 'Set password and sign in' }).click();
    await onMyTraining(older);
  });

  await step('forgot-password', newer, async () => {
    await newer.goto('/login');
    await newer.getByLabel('Organization').fill(ROSTER_ORG);
    await newer.getByRole('link', { name: 'Forgot password?' }).click();
    await newer.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    assert.equal(await newer.getByLabel('Organization').inputValue(), ROSTER_ORG, 'the organization comes along');
    await newer.getByLabel('Email or user ID').fill(rita.email);
    await snap(newer, 'forgot-password');
    await newer.getByRole('button', { name: 'Email me a link' }).click();
    await newer.getByRole('heading', { name: 'Check your email' }).waitFor();
  });

  await step('reset-password', newer, async () => {
    await newer.goto(await linkFromMailbox(rita.email, 'reset-password'));
    await newer.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await newer.getByLabel('New password', { exact: true }).waitFor();
    await snap(newer, 'reset-password');
    await typeNewPassword(newer, `rita's second password ${stamp}`);
    await newer.getByRole('button', { name: 'Save password and sign in' }).click();
    await onMyTraining(newer);
  });

  await step('older-session-ended', older, async () => {
    const me = await older.request.get('/api/me');
    assert.equal(me.status(), 401, 'the session from before the reset has ended');
    await older.reload();
    await older.getByRole('heading', { name: 'Sign in' }).waitFor();
    const stillIn = await newer.request.get('/api/me');
    assert.equal(stillIn.status(), 200, 'the session the reset opened goes on');
  });

  await older.context().close();
  await newer.context().close();
  assertNoErrorsSince(errorsBefore);
});

test('the owner turns registration on; a person registers and waits, Pending; a renewed link stops the old one', async () => {
  const errorsBefore = pageErrors.length;
  const stamp = Date.now();
  const reg = { first: 'Reg', last: `Istrant${stamp}`, email: `reg.${stamp}@example.com` };
  const visitor = await newPerson(browser);
  let url;

  await step('turn-registration-on', owner, async () => {
    await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await owner.getByRole('heading', { name: 'Settings' }).waitFor();
    const card = owner.getByRole('region', { name: 'Registration link' });
    await card.getByText(/^(On|Off)$/).waitFor();
    if ((await card.getByText('Off', { exact: true }).count()) > 0) {
      await card.getByRole('button', { name: 'Turn registration on' }).click();
      await card.getByText('Registration is on: share the link below.').waitFor();
    }
    url = await card.getByLabel('Link to share').inputValue();
    assert.match(url, /\/register#[^\s#]+$/);
    await snap(owner, 'settings-registration');
  });

  await step('register', visitor, async () => {
    await visitor.goto(url);
    await visitor.getByRole('heading', { name: /^Register with / }).waitFor();
    assert.equal(new URL(visitor.url()).hash, '', 'the token left the address bar');
    await visitor.getByLabel('First name').fill(reg.first);
    await visitor.getByLabel('Last name').fill(reg.last);
    await visitor.getByLabel('Email').fill(reg.email);
    await snap(visitor, 'register');
    await visitor.getByRole('button', { name: 'Register' }).click();
    await visitor.getByRole('heading', { name: `Thank you, ${reg.first}` }).waitFor();
    await visitor.getByText('Your registration is waiting for approval.').waitFor();
    await snap(visitor, 'registered');
  });

  await step('registrant-pending', owner, async () => {
    await findUser(reg.last);
    await row(owner, `${reg.first} ${reg.last}`).getByText('Pending', { exact: true }).waitFor();
  });

  await step('renew-link', owner, async () => {
    await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    const card = owner.getByRole('region', { name: 'Registration link' });
    await card.getByRole('button', { name: 'Renew link…' }).click();
    await owner.getByRole('dialog', { name: 'Renew the registration link?' }).getByRole('button', { name: 'Yes, renew the link' }).click();
    await card.getByText('A new link is ready. The old one no longer works.').waitFor();
    assert.notEqual(await card.getByLabel('Link to share').inputValue(), url, 'the link changed');
  });

  await step('old-link-not-valid', visitor, async () => {
    const again = await openInNewTab(visitor, url);
    await again.getByRole('heading', { name: 'This registration link is not valid' }).waitFor();
    await again.close();
  });

  await visitor.context().close();
  assertNoErrorsSince(errorsBefore);
});

test('an admin sets a one-time password for a user without email; signing in with it forces a new one', async () => {
  const errorsBefore = pageErrors.length;
  const stamp = Date.now();
  const otto = { firstName: 'Otto', lastName: `Shift${stamp}`, userId: `otto-${stamp}` };
  const name = `${otto.firstName} ${otto.lastName}`;
  const worker = await newPerson(browser);
  let oneTime;

  await step('set-one-time-password', owner, async () => {
    await addUser({ ...otto, approve: true });
    await findUser(otto.lastName);
    await row(owner, name).getByRole('button', { name: `Actions for ${name}` }).click();
    const menu = owner.getByRole('menu', { name: `Actions for ${name}` });
    assert.equal(await menu.getByRole('menuitem', { name: 'Send password reset…' }).count(), 0, 'no reset link without email');
    await menu.getByRole('menuitem', { name: 'Set one-time password…' }).click();
    await owner
      .getByRole('dialog', { name: `Set a one-time password for ${name}?` })
      .getByRole('button', { name: 'Yes, set a one-time password' })
      .click();
    const shown = owner.getByRole('dialog', { name: `One-time password for ${name}` });
    await shown.getByText('Copy it now: it is shown only this once.', { exact: false }).waitFor();
    oneTime = await shown.getByLabel('One-time password').inputValue();
    assert.equal(oneTime.length, 16, 'a one-time password has 16 characters');
    await snap(owner, 'one-time-password');
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'detached' });
  });

  await step('sign-in-with-one-time-password', worker, async () => {
    await signIn(worker, otto.userId, oneTime);
    await worker.getByRole('heading', { name: 'Choose your own password' }).waitFor();
    assert.equal(await worker.getByRole('navigation').count(), 0, 'nothing else until the password is changed');
    await snap(worker, 'forced-password-change');
    await worker.getByLabel('One-time password').fill(oneTime);
    await typeNewPassword(worker, `otto's own password ${stamp}`);
    await worker.getByRole('button', { name: 'Save password and continue' }).click();
    await onMyTraining(worker);
  });

  await step('sign-out-everywhere', worker, async () => {
    await worker.getByRole('button', { name: /^Account/ }).click();
    await worker.getByRole('menuitem', { name: 'Sign out everywhere…' }).click();
    await worker.getByRole('dialog', { name: 'Sign out everywhere?' }).getByRole('button', { name: 'Yes, sign out everywhere' }).click();
    await worker.getByRole('heading', { name: 'Sign in' }).waitFor();
    await worker.getByText('You are signed out on every device.').waitFor();
  });

  await step('sign-in-with-own-password', worker, async () => {
    await signIn(worker, otto.userId, `otto's own password ${stamp}`);
    await onMyTraining(worker);
  });

  await step('change-password', worker, async () => {
    await worker.getByRole('button', { name: /^Account/ }).click();
    await worker.getByRole('menuitem', { name: 'Change password' }).click();
    await worker.getByRole('heading', { name: 'Change password' }).waitFor();
    await worker.getByLabel('Current password').fill(`otto's own password ${stamp}`);
    await typeNewPassword(worker, `otto's newer password ${stamp}`);
    await worker.getByRole('button', { name: 'Change password' }).click();
    await worker.getByText('Your password is changed. You are signed out everywhere else.').waitFor();
    await snap(worker, 'change-password');
  });

  await worker.context().close();
  assertNoErrorsSince(errorsBefore);
});
