import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { makeUser } from '../test/fakeApi';
import { AccountMenu } from './AccountMenu';

const { signOut } = vi.hoisted(() => ({ signOut: vi.fn().mockResolvedValue(undefined) }));
vi.mock('../session/SessionContext', () => ({
  useSignedInSession: () => ({
    user: makeUser({ firstName: 'Olive', lastName: 'Owner', email: 'olive@example.com', role: 'owner' }),
    organization: { id: 'o1', slug: 'demo', name: 'Demo Foods' },
  }),
  useSession: () => ({ signOut }),
}));

describe('AccountMenu', () => {
  it('opens on its button, shows who is signed in, and signs out', () => {
    render(<AccountMenu />);
    const button = screen.getByRole('button', { name: 'Account: Olive Owner' });
    expect(button.getAttribute('aria-expanded')).toBe('false');

    fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByText('olive@example.com')).toBeTruthy();
    expect(screen.getByText('Owner · Demo Foods')).toBeTruthy();
    const signOutItem = screen.getByRole('menuitem', { name: 'Sign out' });
    expect(document.activeElement).toBe(signOutItem);

    fireEvent.click(signOutItem);
    expect(signOut).toHaveBeenCalledOnce();
  });

  it('closes on Escape and gives focus back to its button', () => {
    render(<AccountMenu />);
    const button = screen.getByRole('button', { name: 'Account: Olive Owner' });
    fireEvent.click(button);
    fireEvent.keyDown(screen.getByRole('menuitem', { name: 'Sign out' }), { key: 'Escape' });
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(button);
  });
});
