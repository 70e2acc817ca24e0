import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { makeUser } from './test/fakeApi';

const organization = { id: 'o1', slug: 'demo', name: 'Demo Foods' };

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** A server with no session until a sign-in, whose user has `role`. */
function stubServer(role: 'owner' | 'learner') {
  let signedIn = false;
  const session = () => ({ user: makeUser({ firstName: 'Olive', lastName: 'Owner', role }), organization });
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    const path = url.split('?')[0];
    if (path === '/api/auth/login') {
      const { password } = JSON.parse(String(init?.body)) as { password: string };
      if (password !== 'right') {
        return json(401, {
          error: { code: 'unauthorized', message: 'the organization, email or user ID, or password is not right' },
        });
      }
      signedIn = true;
      return json(200, session());
    }
    if (!signedIn) return json(401, { error: { code: 'unauthorized', message: 'sign in to continue' } });
    switch (path) {
      case '/api/me':
        return json(200, session());
      case '/api/organization':
        return json(200, { ...organization, activeCount: 312, archivedCount: 4 });
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
}

async function signIn(password: string) {
  fireEvent.change(await screen.findByLabelText('Organization'), { target: { value: 'demo' } });
  fireEvent.change(screen.getByLabelText('Email or user ID'), { target: { value: 'olive@example.com' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('App', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    window.history.replaceState(null, '', '/');
  });

  it('asks to sign in, explains a refusal, then opens Enrolled Users with the roster count', async () => {
    stubServer('owner');
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

  it('tells a learner these pages are for administrators', async () => {
    stubServer('learner');
    render(<App />);
    await signIn('right');
    expect(await screen.findByRole('heading', { name: 'For administrators' })).toBeTruthy();
  });

  it("opens a user's page from their address, and the other pages from the navigation", async () => {
    window.history.replaceState(null, '', '/users/u7');
    stubServer('owner');
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
  });
});
