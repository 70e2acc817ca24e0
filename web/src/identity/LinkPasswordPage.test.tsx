import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiClient } from '../api/client';
import type { LinkCheck, LinkPurpose, Session } from '../api/types';
import { ORGANIZATION, fakeApi, makeSession, withApi } from '../test/fakeApi';
import { forgetFragmentToken } from './fragmentToken';
import { LinkPasswordPage } from './LinkPasswordPage';

const { session } = vi.hoisted(() => ({
  session: { current: null as Session | null, adopt: (() => {}) as (s: Session) => void },
}));
vi.mock('../session/SessionContext', () => ({
  useSession: () => ({ session: session.current, adopt: session.adopt }),
}));

function link(purpose: LinkPurpose): LinkCheck {
  return { purpose, organization: ORGANIZATION, firstName: 'Ada', login: 'ada@example.com', expiresAt: '2026-03-10T09:00:00Z' };
}

const gone = (message: string) => new ApiError(410, 'gone', message);
const USED = gone('this link was already used: sign in, or ask for a new password reset from the sign-in page');
const EXPIRED = gone('this link has expired: ask an administrator for a new invitation');

function renderPage(purpose: LinkPurpose, overrides: Partial<ApiClient>, address = `/${purpose === 'invitation' ? 'invitation' : 'reset-password'}#tok-1`) {
  window.history.replaceState(null, '', address);
  const api = fakeApi({ checkLink: vi.fn().mockResolvedValue(link(purpose)), ...overrides });
  const Wrapper = withApi(api);
  render(
    <Wrapper>
      <LinkPasswordPage purpose={purpose} />
    </Wrapper>,
  );
  return api;
}

function typePasswords(password: string, again = password) {
  fireEvent.change(screen.getByLabelText('New password'), { target: { value: password } });
  fireEvent.change(screen.getByLabelText('Type the new password again'), { target: { value: again } });
}

describe('LinkPasswordPage', () => {
  afterEach(() => {
    forgetFragmentToken();
    session.current = null;
    session.adopt = () => {};
  });

  it('checks the invitation without spending it, and takes the token out of the address', async () => {
    const api = renderPage('invitation', {});
    expect(screen.getByRole('status').textContent).toBe('Checking your link…');
    expect(window.location.href).toBe(`${window.location.origin}/invitation`);

    expect(await screen.findByText('Welcome to Demo Foods, Ada. Choose a password to finish setting up your account.')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Set your password' })).toBeTruthy();
    expect(screen.getByText('demo')).toBeTruthy();
    expect(screen.getByText('ada@example.com')).toBeTruthy();
    expect(screen.getByText('This link works once, until 10 Mar 2026 09:00.')).toBeTruthy();
    expect(api.checkLink).toHaveBeenCalledWith('tok-1', expect.anything());
    expect(api.redeemLink).not.toHaveBeenCalled();
  });

  it('sets the password, which signs in, and goes to the landing page', async () => {
    const signedIn = makeSession({ role: 'learner' });
    const adopt = vi.fn();
    session.adopt = adopt;
    const api = renderPage('invitation', { redeemLink: vi.fn().mockResolvedValue(signedIn) });
    await screen.findByLabelText('New password');

    typePasswords('a long password');
    fireEvent.click(screen.getByRole('button', { name: 'Set password and sign in' }));
    await waitFor(() => expect(adopt).toHaveBeenCalledWith(signedIn));
    expect(api.redeemLink).toHaveBeenCalledWith({ token: 'tok-1', password: 'a long password' });
    expect(window.location.pathname).toBe('/my-training');
  });

  it('sends an administrator to the roster after a reset', async () => {
    const signedIn = makeSession({ role: 'admin' });
    session.adopt = vi.fn();
    renderPage('password-reset', { redeemLink: vi.fn().mockResolvedValue(signedIn) });
    expect(await screen.findByText('Hello Ada. Choose a new password for your Demo Foods account.')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Choose a new password' })).toBeTruthy();
    expect(screen.getByText(/Saving signs you out everywhere else\./)).toBeTruthy();
    typePasswords('a long password');
    fireEvent.click(screen.getByRole('button', { name: 'Save password and sign in' }));
    await waitFor(() => expect(window.location.pathname).toBe('/users'));
  });

  it('sends nothing while the two passwords differ', async () => {
    const api = renderPage('invitation', {});
    await screen.findByLabelText('New password');
    typePasswords('a long password', 'a long passwort');
    fireEvent.click(screen.getByRole('button', { name: 'Set password and sign in' }));
    expect(screen.getByText('The two passwords are not the same: type them again.')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText('Type the new password again'));
    expect(api.redeemLink).not.toHaveBeenCalled();
  });

  it('puts a refused password under its field, keeping the link', async () => {
    renderPage('invitation', {
      redeemLink: vi.fn().mockRejectedValue(new ApiError(422, 'invalid', 'must have at least 8 characters', 'password')),
    });
    await screen.findByLabelText('New password');
    typePasswords('short');
    fireEvent.click(screen.getByRole('button', { name: 'Set password and sign in' }));
    expect(await screen.findByText('New password must have at least 8 characters')).toBeTruthy();
    expect(screen.getByLabelText('New password').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(screen.getByLabelText('New password'));
  });

  it('shows a failure that is not about the password above the form, keeping what was typed', async () => {
    renderPage('invitation', {
      redeemLink: vi.fn().mockRejectedValue(new ApiError(0, 'network', 'Could not reach the server.')),
    });
    await screen.findByLabelText('New password');
    typePasswords('a long password');
    fireEvent.click(screen.getByRole('button', { name: 'Set password and sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Could not reach the server.');
    expect((screen.getByLabelText('New password') as HTMLInputElement).value).toBe('a long password');
  });

  it('says when the account of the link may not sign in', async () => {
    renderPage('invitation', {
      checkLink: vi.fn().mockRejectedValue(new ApiError(401, 'unauthorized', 'this account cannot sign in: ask an administrator')),
    });
    expect(await screen.findByRole('heading', { name: 'You cannot sign in with this link' })).toBeTruthy();
    expect(screen.getByText('This account cannot sign in: ask an administrator')).toBeTruthy();
  });

  it('says a link replaced by a newer one no longer works, in the words of the server', async () => {
    renderPage('password-reset', {
      checkLink: vi
        .fn()
        .mockRejectedValue(gone('a newer link was sent after this one: use the latest email, or ask for a new one from the sign-in page')),
    });
    expect(await screen.findByRole('heading', { name: 'This link no longer works' })).toBeTruthy();
    expect(screen.getByText(/^A newer link was sent after this one/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Ask for a new link' })).toBeTruthy();
  });

  it('says a used link was used, and offers to sign in or reset the password', async () => {
    renderPage('invitation', { checkLink: vi.fn().mockRejectedValue(USED) });
    expect(await screen.findByRole('heading', { name: 'This link was already used' })).toBeTruthy();
    expect(screen.getByText(/Each link works only once/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe('/login');
    expect(screen.getByRole('link', { name: 'Forgot password?' }).getAttribute('href')).toBe('/forgot-password');
  });

  it('sends an expired invitation to an administrator', async () => {
    renderPage('invitation', { checkLink: vi.fn().mockRejectedValue(EXPIRED) });
    expect(await screen.findByRole('heading', { name: 'This link has expired' })).toBeTruthy();
    expect(screen.getByText(/Ask an administrator of your organization to send you a new invitation\./)).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Ask for a new link' })).toBeNull();
  });

  it('offers a new reset link for an expired one', async () => {
    renderPage('password-reset', {
      checkLink: vi.fn().mockRejectedValue(gone('this link has expired: ask for a new one from the sign-in page')),
    });
    expect(await screen.findByRole('heading', { name: 'This link has expired' })).toBeTruthy();
    expect(screen.getByText(/Password reset links work for an hour\./)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Ask for a new link' }).getAttribute('href')).toBe('/forgot-password');
  });

  it('says an unknown link is not valid', async () => {
    renderPage('invitation', {
      checkLink: vi.fn().mockRejectedValue(new ApiError(404, 'not_found', 'this link is not valid')),
    });
    expect(await screen.findByRole('heading', { name: 'This link is not valid' })).toBeTruthy();
    expect(screen.getByText(/Open the link from your most recent email again/)).toBeTruthy();
  });

  it('says when the address has no token, asking nothing of the server', () => {
    const api = renderPage('invitation', {}, '/invitation');
    expect(screen.getByRole('heading', { name: 'This link is incomplete' })).toBeTruthy();
    expect(api.checkLink).not.toHaveBeenCalled();
  });

  it('shows the failure page when the link is spent meanwhile', async () => {
    renderPage('invitation', { redeemLink: vi.fn().mockRejectedValue(USED) });
    await screen.findByLabelText('New password');
    typePasswords('a long password');
    fireEvent.click(screen.getByRole('button', { name: 'Set password and sign in' }));
    expect(await screen.findByRole('heading', { name: 'This link was already used' })).toBeTruthy();
  });

  it('offers to try again when the link could not be checked', async () => {
    const checkLink = vi
      .fn()
      .mockRejectedValueOnce(new ApiError(0, 'network', 'Could not reach the server. Check your connection and try again.'))
      .mockResolvedValue(link('invitation'));
    renderPage('invitation', { checkLink });
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Your link could not be checked. Could not reach the server. Check your connection and try again.',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByLabelText('New password')).toBeTruthy();
    expect(checkLink).toHaveBeenLastCalledWith('tok-1', expect.anything());
  });

  it('warns someone signed in as another person that the link signs them in as its owner', async () => {
    session.current = makeSession({ firstName: 'Olive', lastName: 'Owner', email: 'olive@example.com', role: 'owner' });
    renderPage('invitation', {});
    await screen.findByLabelText('New password');
    expect(screen.getByRole('status').textContent).toBe(
      'You are signed in as Olive Owner. Saving this password signs you in as Ada instead.',
    );
  });
});
