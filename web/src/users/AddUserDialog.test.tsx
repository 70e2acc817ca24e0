import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { fakeApi, makeUser, withApi } from '../test/fakeApi';
import { AddUserDialog, toNewUser } from './AddUserDialog';

const groups = [{ id: 'g1', name: 'Night shift', createdAt: '2025-01-01T00:00:00Z', version: 1 }];
const locations = [{ id: 'l1', name: 'Leeds', createdAt: '2025-01-01T00:00:00Z', version: 1 }];

function type(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

describe('toNewUser', () => {
  it('trims and leaves out empty optional fields', () => {
    expect(
      toNewUser({
        firstName: ' Ada ',
        lastName: 'Lovelace',
        email: ' ',
        userId: 'AL-1',
        role: 'learner',
        locationId: '',
        groupIds: [],
        approve: false,
        notify: false,
      }),
    ).toEqual({ firstName: 'Ada', lastName: 'Lovelace', userId: 'AL-1', role: 'learner' });
  });

  it('asks to notify only an approved user with an email', () => {
    const draft = {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: '',
      userId: 'AL-1',
      role: 'learner' as const,
      locationId: '',
      groupIds: [],
      approve: true,
      notify: true,
    };
    expect(toNewUser(draft)).toMatchObject({ approve: true });
    expect(toNewUser(draft).notify).toBeUndefined();
    expect(toNewUser({ ...draft, email: 'ada@example.com' })).toMatchObject({ approve: true, notify: true });
    expect(toNewUser({ ...draft, email: 'ada@example.com', approve: false })).not.toHaveProperty('approve');
    expect(toNewUser({ ...draft, email: 'ada@example.com', approve: false })).not.toHaveProperty('notify');
  });
});

describe('AddUserDialog', () => {
  it('sends the form and reports the new user', async () => {
    const created = makeUser({ id: 'new' });
    const createUser = vi.fn().mockResolvedValue(created);
    const onAdded = vi.fn();
    render(<AddUserDialog groups={groups} locations={locations} canChooseRole onAdded={onAdded} onCancel={vi.fn()} />, {
      wrapper: withApi(fakeApi({ createUser })),
    });

    type('First name', 'Ada');
    type('Last name', 'Lovelace');
    type('Email', 'ada@example.com');
    fireEvent.change(screen.getByLabelText('Location'), { target: { value: 'l1' } });
    fireEvent.click(screen.getByLabelText('Night shift'));
    fireEvent.click(screen.getByRole('button', { name: 'Add user' }));

    await waitFor(() => expect(onAdded).toHaveBeenCalledWith({ user: created, invitation: 'none' }));
    expect(createUser).toHaveBeenCalledWith({
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      role: 'learner',
      locationId: 'l1',
      groupIds: ['g1'],
    });
  });

  it('sends the invitation only when approving a user with an email', async () => {
    const createUser = vi.fn().mockResolvedValue(makeUser({ id: 'new', notifiedAt: '2026-03-03T10:00:00Z' }));
    const onAdded = vi.fn();
    render(<AddUserDialog groups={[]} locations={[]} canChooseRole onAdded={onAdded} onCancel={vi.fn()} />, {
      wrapper: withApi(fakeApi({ createUser })),
    });
    const notify = screen.getByLabelText('Send invitation email') as HTMLInputElement;
    expect(notify.disabled).toBe(true);

    fireEvent.click(screen.getByLabelText('Approve now'));
    expect(notify.disabled).toBe(true);
    type('Email', 'ada@example.com');
    expect(notify.disabled).toBe(false);
    fireEvent.click(notify);
    type('First name', 'Ada');
    type('Last name', 'Lovelace');
    fireEvent.click(screen.getByRole('button', { name: 'Add user' }));

    await waitFor(() => expect(onAdded).toHaveBeenCalledWith(expect.objectContaining({ invitation: 'sent' })));
    expect(createUser).toHaveBeenCalledWith(expect.objectContaining({ approve: true, notify: true }));
  });

  it('says when the invitation could not be sent', async () => {
    const createUser = vi.fn().mockResolvedValue(makeUser({ id: 'new', notifiedAt: null }));
    const onAdded = vi.fn();
    render(<AddUserDialog groups={[]} locations={[]} canChooseRole onAdded={onAdded} onCancel={vi.fn()} />, {
      wrapper: withApi(fakeApi({ createUser })),
    });
    type('Email', 'ada@example.com');
    fireEvent.click(screen.getByLabelText('Approve now'));
    fireEvent.click(screen.getByLabelText('Send invitation email'));
    fireEvent.click(screen.getByRole('button', { name: 'Add user' }));
    await waitFor(() => expect(onAdded).toHaveBeenCalledWith(expect.objectContaining({ invitation: 'failed' })));
  });

  it('drops the invitation when approval is taken back', async () => {
    const createUser = vi.fn().mockResolvedValue(makeUser({ id: 'new' }));
    render(<AddUserDialog groups={[]} locations={[]} canChooseRole onAdded={vi.fn()} onCancel={vi.fn()} />, {
      wrapper: withApi(fakeApi({ createUser })),
    });
    type('Email', 'ada@example.com');
    fireEvent.click(screen.getByLabelText('Approve now'));
    fireEvent.click(screen.getByLabelText('Send invitation email'));
    fireEvent.click(screen.getByLabelText('Approve now'));
    expect((screen.getByLabelText('Send invitation email') as HTMLInputElement).checked).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Add user' }));
    await waitFor(() => expect(createUser).toHaveBeenCalled());
    expect(createUser.mock.calls[0]![0]).not.toHaveProperty('notify');
    expect(createUser.mock.calls[0]![0]).not.toHaveProperty('approve');
  });

  it('marks and focuses the field the API names', async () => {
    const createUser = vi
      .fn()
      .mockRejectedValue(
        new ApiError(409, 'conflict', 'is already used by another user in this organization', 'email'),
      );
    render(<AddUserDialog groups={groups} locations={locations} canChooseRole onAdded={vi.fn()} onCancel={vi.fn()} />, {
      wrapper: withApi(fakeApi({ createUser })),
    });
    type('Email', 'ada@example.com');
    fireEvent.click(screen.getByRole('button', { name: 'Add user' }));

    const message = await screen.findByText('Email is already used by another user in this organization');
    const email = screen.getByLabelText('Email');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(email.getAttribute('aria-describedby')).toContain(message.id);
    expect(document.activeElement).toBe(email);
  });

  it('shows an error without a field above the form', async () => {
    const createUser = vi.fn().mockRejectedValue(new ApiError(403, 'forbidden', 'this needs an administrator'));
    render(<AddUserDialog groups={[]} locations={[]} canChooseRole onAdded={vi.fn()} onCancel={vi.fn()} />, {
      wrapper: withApi(fakeApi({ createUser })),
    });
    fireEvent.click(screen.getByRole('button', { name: 'Add user' }));
    expect((await screen.findByRole('alert')).textContent).toBe('This needs an administrator');
  });

  it('offers every role to an owner, warning what owners can do, and none to an admin', async () => {
    const createUser = vi.fn().mockResolvedValue(makeUser({ id: 'new', role: 'owner' }));
    const { unmount } = render(
      <AddUserDialog groups={[]} locations={[]} canChooseRole onAdded={vi.fn()} onCancel={vi.fn()} />,
      { wrapper: withApi(fakeApi({ createUser })) },
    );
    const role = screen.getByLabelText('Role') as HTMLSelectElement;
    expect([...role.options].map((o) => o.text)).toEqual(['Learner', 'Admin', 'Owner']);
    expect(screen.queryByText(/Owners can do everything/)).toBeNull();
    fireEvent.change(role, { target: { value: 'owner' } });
    expect(screen.getByText(/Owners can do everything/)).toBeTruthy();
    type('First name', 'Ada');
    type('Last name', 'Lovelace');
    type('Email', 'ada@example.com');
    fireEvent.click(screen.getByRole('button', { name: 'Add user' }));
    await waitFor(() => expect(createUser).toHaveBeenCalledWith(expect.objectContaining({ role: 'owner' })));
    unmount();

    render(<AddUserDialog groups={[]} locations={[]} canChooseRole={false} onAdded={vi.fn()} onCancel={vi.fn()} />, {
      wrapper: withApi(fakeApi({ createUser })),
    });
    expect(screen.getByLabelText('First name')).toBeTruthy();
    expect(screen.queryByLabelText('Role')).toBeNull();
  });
});
