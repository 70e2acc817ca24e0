import { fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiClient } from '../api/client';
import { fakeApi, makeUser, withApi } from '../test/fakeApi';
import { RowActions } from '../users/RowActions';

vi.mock('../session/SessionContext', async () => {
  const { makeUser: make } = await import('../test/fakeApi');
  return {
    useSignedInSession: () => ({
      user: make({ id: 'me', firstName: 'Olive', lastName: 'Owner', role: 'owner' }),
      organization: { id: 'o1', slug: 'demo', name: 'Demo Foods' },
    }),
  };
});

const ada = makeUser({ id: 'u1', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' });
const sam = makeUser({ id: 'u2', firstName: 'Sam', lastName: 'Shift', email: null, userId: 'sam-42' });

function renderRow(user = ada, overrides: Partial<ApiClient> = {}) {
  const api = fakeApi(overrides);
  const Wrapper = withApi(api);
  render(
    <Wrapper>
      <RowActions user={user} choices={['notify', 'deactivate', 'archive']} onChoose={() => {}} groups={[]} onRun={() => {}} emptyText="" />
    </Wrapper>,
  );
  return api;
}

function choose(user: typeof ada, entry: string) {
  const name = `${user.firstName} ${user.lastName}`;
  fireEvent.click(screen.getByRole('button', { name: `Actions for ${name}` }));
  fireEvent.click(screen.getByRole('menuitem', { name: entry }));
}

describe("a user's password actions", () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lists them in the row menu after the access actions', () => {
    renderRow();
    fireEvent.click(screen.getByRole('button', { name: 'Actions for Ada Lovelace' }));
    expect(screen.getAllByRole('menuitem').map((item) => item.textContent)).toEqual([
      'Resend invitation',
      'Deactivate',
      'Send password reset…',
      'Set one-time password…',
      'Archive',
    ]);
  });

  it('sends a reset email once confirmed', async () => {
    const api = renderRow(ada, { sendPasswordReset: vi.fn().mockResolvedValue({}) });
    choose(ada, 'Send password reset…');
    const dialog = screen.getByRole('dialog', { name: 'Send Ada Lovelace a password reset email?' });
    expect(dialog.textContent).toContain('Their current password keeps working until they choose a new one.');
    expect(api.sendPasswordReset).not.toHaveBeenCalled();

    fireEvent.click(within(dialog).getByRole('button', { name: 'Yes, send the email' }));
    const sent = await screen.findByRole('dialog', { name: 'Password reset email sent' });
    expect(within(sent).getByRole('status').textContent).toBe(
      'Sent Ada a link to choose a new password, at ada@example.com. It works once, for an hour.',
    );
    expect(api.sendPasswordReset).toHaveBeenCalledWith('u1');
    fireEvent.click(within(sent).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it("says why a reset was refused, and keeps the dialog to try again", async () => {
    renderRow(ada, {
      sendPasswordReset: vi
        .fn()
        .mockRejectedValue(new ApiError(422, 'invalid', 'has no access: activate the user first', 'id')),
    });
    choose(ada, 'Send password reset…');
    const dialog = screen.getByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Yes, send the email' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('Has no access: activate the user first');
    expect(within(dialog).getByRole('button', { name: 'Yes, send the email' })).toBeTruthy();
  });

  it('offers a user without email only a one-time password, shown once with a warning and a copy button', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const api = renderRow(sam, { setOneTimePassword: vi.fn().mockResolvedValue({ password: 'Qx7vB2mK9pLw4RtZ' }) });
    fireEvent.click(screen.getByRole('button', { name: 'Actions for Sam Shift' }));
    expect(screen.queryByRole('menuitem', { name: 'Send password reset…' })).toBeNull();
    fireEvent.click(screen.getByRole('menuitem', { name: 'Set one-time password…' }));

    const dialog = screen.getByRole('dialog', { name: 'Set a one-time password for Sam Shift?' });
    expect(dialog.textContent).toContain('every session of theirs ends');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Yes, set a one-time password' }));

    const shown = await screen.findByRole('dialog', { name: 'One-time password for Sam Shift' });
    expect((within(shown).getByLabelText('One-time password') as HTMLInputElement).value).toBe('Qx7vB2mK9pLw4RtZ');
    expect(within(shown).getByRole('alert').textContent).toBe(
      'Copy it now: it is shown only this once. Nobody can see it again once you close this window.',
    );
    expect(shown.textContent).toContain('They sign in at organization demo as sam-42 with it');
    expect(api.setOneTimePassword).toHaveBeenCalledWith('u2');

    fireEvent.click(within(shown).getByRole('button', { name: 'Copy' }));
    expect(await within(shown).findByText('Copied')).toBeTruthy();
    expect(writeText).toHaveBeenCalledWith('Qx7vB2mK9pLw4RtZ');

    fireEvent.click(within(shown).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
