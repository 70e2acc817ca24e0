import { fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import type { Role } from './api/types';
import { forgetFragmentToken } from './identity/fragmentToken';
import { makeUser } from './test/fakeApi';

const organization = { id: 'o1', slug: 'demo', name: 'Demo Foods' };

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

interface StubOptions {
  role: Role;
  /** The password that signs in; with `oneTime`, it must be changed first. */
  oneTime?: boolean;
}

/** A server with no session until a sign-in (or a link redeemed), whose user has `role`. */
function stubServer({ role, oneTime = false }: StubOptions) {
  let signedIn = false;
  let mustChange = oneTime;
  const session = () => ({
    user: makeUser({ firstName: 'Olive', lastName: 'Owner', role }),
    organization,
    passwordChangeRequired: mustChange,
  });
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    const path = url.split('?')[0];
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, string>) : {};
    switch (path) {
      case '/api/auth/login':
        if (body.password !== 'right') {
          return json(401, {
            error: { code: 'unauthorized', message: 'the organization, email or user ID, or password is not right' },
          });
        }
        signedIn = true;
        return json(200, session());
      case '/api/auth/links/check':
        return body.token === 'tok'
          ? json(200, {
              purpose: 'invitation',
              organization,
              firstName: 'Olive',
              login: 'olive@example.com',
              expiresAt: '2026-03-10T09:00:00Z',
            })
          : json(404, { error: { code: 'not_found', message: 'this link is not valid' } });
      case '/api/auth/links/redeem':
        signedIn = true;
        return json(200, session());
    }
    if (!signedIn) return json(401, { error: { code: 'unauthorized', message: 'sign in to continue' } });
    if (mustChange && path !== '/api/me' && path !== '/api/me/password') {
      return json(403, { error: { code: 'forbidden', message: 'change your one-time password first' } });
    }
    switch (path) {
      case '/api/me':
        return json(200, session());
      case '/api/me/password':
        mustChange = false;
        return json(200, session());
      case '/api/auth/logout-everywhere':
        signedIn = false;
        return new Response(null, { status: 204 });
      case '/api/me/training':
        return json(200, { items: [] });
      case '/api/organization':
        return json(200, { ...organization, activeCount: 312, archivedCount: 4 });
      case '/api/organization/registration':
        return json(200, { enabled: false, url: null });
      case '/api/users':
        return json(200, { items: [], nextCursor: null, total: 0, totalExact: true });
      case '/api/groups':
      case '/api/locations':
        return json(200, { items: [] });
      case '/api/users/u7':
        return json(200, makeUser({ id: 'u7', firstName: 'Grace', lastName: 'Hopper' }));
      case '/api/users/u7/audit':
      case '/api/audit':
        return json(200, { items: [], nextCursor: null });
    }
    return json(404, { error: { code: 'not_found', message: 'no such API path' } });
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

async function signIn(password: string) {
  fireEvent.change(await screen.findByLabelText('Organization'), { target: { value: 'demo' } });
  fireEvent.change(screen.getByLabelText('Email or user ID'), { target: { value: 'olive@example.com' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

function typeNewPassword(password: string) {
  fireEvent.change(screen.getByLabelText('New password'), { target: { value: password } });
  fireEvent.change(screen.getByLabelText('Type the new password again'), { target: { value: password } });
}

describe('App', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    forgetFragmentToken();
    window.history.replaceState(null, '', '/');
  });

  it('asks to sign in, explains a refusal, then opens Enrolled Users with the roster count', async () => {
    stubServer({ role: 'owner' });
    render(<App />);

    await signIn('wrong');
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The organization, email or user ID, or password is not right',
    );

    await signIn('right');
    expect(await screen.findByRole('heading', { name: 'Enrolled Users' })).toBeTruthy();
    expect(window.location.pathname).toBe('/users');
    expect(await screen.findByText('312')).toBeTruthy();
  });

  it('lands a learner on My training, with no administrator navigation, even from an administrator address', async () => {
    window.history.replaceState(null, '', '/users/u7');
    stubServer({ role: 'learner' });
    render(<App />);
    await signIn('right');

    expect(await screen.findByRole('heading', { name: 'My training', level: 1 })).toBeTruthy();
    expect(window.location.pathname).toBe('/my-training');
    expect(await screen.findByText(/You have no courses yet/)).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getAllByRole('link').map((link) => link.textContent)).toEqual(['My training']);
    expect(screen.queryByText('312')).toBeNull();
  });

  it("opens a user's page from their address, and the other pages from the navigation", async () => {
    window.history.replaceState(null, '', '/users/u7');
    stubServer({ role: 'owner' });
    render(<App />);
    await signIn('right');
    expect(await screen.findByRole('heading', { name: 'Grace Hopper', level: 1 })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Users' }).getAttribute('aria-current')).toBe('page');

    fireEvent.click(screen.getByRole('link', { name: 'Groups' }));
    expect(await screen.findByRole('heading', { name: 'Groups' })).toBeTruthy();
    fireEvent.click(screen.getByRole('link', { name: 'Locations' }));
    expect(await screen.findByRole('heading', { name: 'Locations' })).toBeTruthy();
    fireEvent.click(screen.getByRole('link', { name: 'Audit log' }));
    expect(await screen.findByRole('heading', { name: 'Audit log' })).toBeTruthy();
    fireEvent.click(screen.getByRole('link', { name: 'Settings' }));
    expect(await screen.findByRole('heading', { name: 'Settings' })).toBeTruthy();
    expect(await screen.findByText(/Registration is off/)).toBeTruthy();
  });

  it('signs out everywhere from the account menu, and says so on the sign-in page', async () => {
    stubServer({ role: 'learner' });
    render(<App />);
    await signIn('right');
    fireEvent.click(await screen.findByRole('button', { name: 'Account: Olive Owner' }));
    fireEvent.click(screen.getByRole('menuitem', { name: 'Sign out everywhere…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, sign out everywhere' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('You are signed out on every device.');
  });

  it('leaves the sign-in page for the landing page once signed in', async () => {
    window.history.replaceState(null, '', '/login');
    stubServer({ role: 'owner' });
    render(<App />);
    await signIn('right');
    expect(await screen.findByRole('heading', { name: 'Enrolled Users' })).toBeTruthy();
    expect(window.location.pathname).toBe('/users');
  });

  it('goes from the sign-in page to "Forgot password?" with the organization typed', async () => {
    window.history.replaceState(null, '', '/login');
    stubServer({ role: 'owner' });
    render(<App />);
    fireEvent.change(await screen.findByLabelText('Organization'), { target: { value: 'demo' } });
    fireEvent.click(screen.getByRole('link', { name: 'Forgot password?' }));
    expect(await screen.findByRole('heading', { name: 'Forgot your password?' })).toBeTruthy();
    expect((screen.getByLabelText('Organization') as HTMLInputElement).value).toBe('demo');
    fireEvent.click(screen.getAllByRole('link', { name: 'Back to sign in' })[0]!);
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
  });

  it('sets a password from an invitation link without a session, sending the token only in the body, and signs in', async () => {
    window.history.replaceState(null, '', '/invitation#tok');
    const fetch = stubServer({ role: 'learner' });
    render(<App />);

    expect(await screen.findByLabelText('New password')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Set your password' })).toBeTruthy();
    expect(window.location.hash).toBe('');
    typeNewPassword('a long password');
    fireEvent.click(screen.getByRole('button', { name: 'Set password and sign in' }));

    expect(await screen.findByRole('heading', { name: 'My training', level: 1 })).toBeTruthy();
    expect(window.location.pathname).toBe('/my-training');
    const calls = fetch.mock.calls.map(([url, init]) => ({ url, body: String(init?.body ?? '') }));
    expect(calls.filter((call) => call.body.includes('tok')).map((call) => call.url)).toEqual([
      '/api/auth/links/check',
      '/api/auth/links/redeem',
    ]);
    expect(calls.some((call) => call.url.includes('tok'))).toBe(false);
  });

  it('asks for a new password after a one-time password, whatever the address, then opens the landing page', async () => {
    window.history.replaceState(null, '', '/audit');
    stubServer({ role: 'learner', oneTime: true });
    render(<App />);
    await signIn('right');

    expect(await screen.findByRole('heading', { name: 'Choose your own password' })).toBeTruthy();
    expect(screen.queryByRole('navigation')).toBeNull();
    fireEvent.change(screen.getByLabelText('One-time password'), { target: { value: 'right' } });
    typeNewPassword('a long password');
    fireEvent.click(screen.getByRole('button', { name: 'Save password and continue' }));

    expect(await screen.findByRole('heading', { name: 'My training', level: 1 })).toBeTruthy();
    expect(window.location.pathname).toBe('/my-training');
  });
});
