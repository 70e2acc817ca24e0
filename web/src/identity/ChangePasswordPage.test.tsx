import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiClient } from '../api/client';
import { fakeApi, makeSession, withApi } from '../test/fakeApi';
import { ChangePasswordPage, RequiredPasswordChangePage } from './ChangePasswordPage';

const { adopt, signOut } = vi.hoisted(() => ({ adopt: vi.fn(), signOut: vi.fn().mockResolvedValue(undefined) }));
vi.mock('../session/SessionContext', () => ({ useSession: () => ({ adopt, signOut }) }));

function renderPage(page: ReactNode, overrides: Partial<ApiClient>) {
  const api = fakeApi(overrides);
  const Wrapper = withApi(api);
  render(<Wrapper>{page}</Wrapper>);
  return api;
}

function fill(current: string, next: string, again = next) {
  fireEvent.change(screen.getByLabelText(/^(Current|One-time) password$/), { target: { value: current } });
  fireEvent.change(screen.getByLabelText('New password'), { target: { value: next } });
  fireEvent.change(screen.getByLabelText('Type the new password again'), { target: { value: again } });
}

describe('ChangePasswordPage', () => {
  it('changes the password, keeps this session, and says the others ended', async () => {
    const session = makeSession();
    const api = renderPage(<ChangePasswordPage />, { changePassword: vi.fn().mockResolvedValue(session) });
    fill('old password', 'a new password');
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));

    expect((await screen.findByRole('status')).textContent).toBe(
      'Your password is changed. You are signed out everywhere else.',
    );
    expect(api.changePassword).toHaveBeenCalledWith({ currentPassword: 'old password', newPassword: 'a new password' });
    expect(adopt).toHaveBeenCalledWith(session);
    expect((screen.getByLabelText('Current password') as HTMLInputElement).value).toBe('');
  });

  it('puts a wrong current password under its field', async () => {
    renderPage(<ChangePasswordPage />, {
      changePassword: vi.fn().mockRejectedValue(new ApiError(422, 'invalid', 'is not right', 'currentPassword')),
    });
    fill('wrong', 'a new password');
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('Current password is not right')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText('Current password'));
  });

  it('puts a refused new password under its field', async () => {
    renderPage(<ChangePasswordPage />, {
      changePassword: vi
        .fn()
        .mockRejectedValue(new ApiError(422, 'invalid', 'must not be your email or user ID', 'newPassword')),
    });
    fill('old password', 'ada@example.com');
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('New password must not be your email or user ID')).toBeTruthy();
  });

  it('sends nothing while the two new passwords differ', () => {
    const api = renderPage(<ChangePasswordPage />, {});
    fill('old password', 'a new password', 'another one');
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(screen.getByText('The two passwords are not the same: type them again.')).toBeTruthy();
    expect(api.changePassword).not.toHaveBeenCalled();
  });
});

describe('RequiredPasswordChangePage', () => {
  it('asks for the one-time password and a new one, then takes the session that needs no change', async () => {
    const session = makeSession();
    const api = renderPage(<RequiredPasswordChangePage />, { changePassword: vi.fn().mockResolvedValue(session) });
    expect(screen.getByRole('heading', { name: 'Choose your own password' })).toBeTruthy();
    expect(screen.getByText('You signed in with a one-time password. Choose a password of your own to continue.')).toBeTruthy();
    fill('Xy7-one-time-pw', 'a new password');
    fireEvent.click(screen.getByRole('button', { name: 'Save password and continue' }));
    await waitFor(() => expect(adopt).toHaveBeenCalledWith(session));
    expect(api.changePassword).toHaveBeenCalledWith({ currentPassword: 'Xy7-one-time-pw', newPassword: 'a new password' });
  });

  it('lets the person sign out instead', () => {
    renderPage(<RequiredPasswordChangePage />, {});
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(signOut).toHaveBeenCalledOnce();
  });
});
