import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import type { Role } from '../api/types';
import { makeUser } from '../test/fakeApi';
import { AccountMenu } from './AccountMenu';

const { signOut, signOutEverywhere, viewer } = vi.hoisted(() => ({
  signOut: vi.fn().mockResolvedValue(undefined),
  signOutEverywhere: vi.fn(),
  viewer: { role: 'owner' as Role },
}));
vi.mock('../session/SessionContext', () => ({
  useSignedInSession: () => ({
    user: makeUser({ firstName: 'Olive', lastName: 'Owner', email: 'olive@example.com', role: viewer.role }),
    organization: { id: 'o1', slug: 'demo', name: 'Demo Foods' },
  }),
  useSession: () => ({ signOut, signOutEverywhere }),
}));

function openMenu() {
  const button = screen.getByRole('button', { name: 'Account: Olive Owner' });
  fireEvent.click(button);
  return button;
}

const entries = () => screen.getAllByRole('menuitem').map((item) => item.textContent);

describe('AccountMenu', () => {
  it('opens on its button, shows who is signed in, and signs out', () => {
    render(<AccountMenu />);
    const button = screen.getByRole('button', { name: 'Account: Olive Owner' });
    expect(button.getAttribute('aria-expanded')).toBe('false');

    openMenu();
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByText('olive@example.com')).toBeTruthy();
    expect(screen.getByText('Owner · Demo Foods')).toBeTruthy();
    expect(entries()).toEqual(['My training', 'Change password', 'Sign out everywhere…', 'Sign out']);
    expect(document.activeElement).toBe(screen.getByRole('menuitem', { name: 'My training' }));

    fireEvent.click(screen.getByRole('menuitem', { name: 'Sign out' }));
    expect(signOut).toHaveBeenCalledOnce();
  });

  it('offers a learner no My training entry: it is their navigation already', () => {
    viewer.role = 'learner';
    try {
      render(<AccountMenu />);
      openMenu();
      expect(entries()).toEqual(['Change password', 'Sign out everywhere…', 'Sign out']);
    } finally {
      viewer.role = 'owner';
    }
  });

  it('opens the Change password page', () => {
    render(<AccountMenu />);
    openMenu();
    fireEvent.click(screen.getByRole('menuitem', { name: 'Change password' }));
    expect(window.location.pathname).toBe('/change-password');
  });

  it('signs out everywhere once confirmed, and says so when the server could not be told', async () => {
    signOutEverywhere.mockRejectedValueOnce(new ApiError(0, 'network', 'Could not reach the server.'));
    render(<AccountMenu />);
    openMenu();
    fireEvent.click(screen.getByRole('menuitem', { name: 'Sign out everywhere…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(signOutEverywhere).not.toHaveBeenCalled();

    openMenu();
    fireEvent.click(screen.getByRole('menuitem', { name: 'Sign out everywhere…' }));
    const dialog = screen.getByRole('dialog', { name: 'Sign out everywhere?' });
    expect(dialog.textContent).toContain('this one too');

    fireEvent.click(within(dialog).getByRole('button', { name: 'Yes, sign out everywhere' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'Nobody was signed out. Could not reach the server.',
    );

    signOutEverywhere.mockResolvedValueOnce(undefined);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Yes, sign out everywhere' }));
    await waitFor(() => expect(signOutEverywhere).toHaveBeenCalledTimes(2));
  });

  it('closes on Escape and gives focus back to its button', () => {
    render(<AccountMenu />);
    const button = openMenu();
    fireEvent.keyDown(screen.getByRole('menuitem', { name: 'Sign out' }), { key: 'Escape' });
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(button);
  });
});
