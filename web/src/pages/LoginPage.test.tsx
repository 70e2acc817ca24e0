import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { LoginPage } from './LoginPage';

const { session } = vi.hoisted(() => ({
  session: { signIn: vi.fn(), endedBecause: undefined as string | undefined },
}));
vi.mock('../session/SessionContext', () => ({
  useSession: () => ({ signIn: session.signIn, endedBecause: session.endedBecause }),
}));

function fill(org: string) {
  fireEvent.change(screen.getByLabelText('Organization'), { target: { value: org } });
  fireEvent.change(screen.getByLabelText('Email or user ID'), { target: { value: 'ada@example.com' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'a password' } });
}

describe('LoginPage', () => {
  it('says how long to wait after too many attempts', async () => {
    session.signIn.mockRejectedValueOnce(
      new ApiError(429, 'too_many_requests', 'too many sign-in attempts: try again in 15 minutes'),
    );
    render(<LoginPage />);
    fill('demo');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Too many sign-in attempts: try again in 15 minutes');
  });

  it('links to "Forgot password?" with the organization typed', () => {
    render(<LoginPage />);
    const link = screen.getByRole('link', { name: 'Forgot password?' });
    expect(link.getAttribute('href')).toBe('/forgot-password');
    fill(' demo foods ');
    expect(link.getAttribute('href')).toBe('/forgot-password?org=demo%20foods');
  });

  it('says why the session ended', () => {
    session.endedBecause = 'You are signed out on every device.';
    try {
      render(<LoginPage />);
      expect(screen.getByRole('status').textContent).toBe('You are signed out on every device.');
    } finally {
      session.endedBecause = undefined;
    }
  });
});
