import { fireEvent, render, screen } from '@testing-library/react';
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
      }),
    ).toEqual({ firstName: 'Ada', lastName: 'Lovelace', userId: 'AL-1', role: 'learner' });
  });
});

describe('AddUserDialog', () => {
  it('sends the form and reports the new user', async () => {
    const created = makeUser({ id: 'new' });
    const createUser = vi.fn().mockResolvedValue(created);
    const onAdded = vi.fn();
    render(<AddUserDialog groups={groups} locations={locations} onAdded={onAdded} onCancel={vi.fn()} />, {
      wrapper: withApi(fakeApi({ createUser })),
    });

    type('First name', 'Ada');
    type('Last name', 'Lovelace');
    type('Email', 'ada@example.com');
    fireEvent.change(screen.getByLabelText('Location'), { target: { value: 'l1' } });
    fireEvent.click(screen.getByLabelText('Night shift'));
    fireEvent.click(screen.getByRole('button', { name: 'Add user' }));

    await vi.waitFor(() => expect(onAdded).toHaveBeenCalledWith(created));
    expect(createUser).toHaveBeenCalledWith({
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      role: 'learner',
      locationId: 'l1',
      groupIds: ['g1'],
    });
  });

  it('marks and focuses the field the API names', async () => {
    const createUser = vi
      .fn()
      .mockRejectedValue(
        new ApiError(409, 'conflict', 'is already used by another user in this organization', 'email'),
      );
    render(<AddUserDialog groups={groups} locations={locations} onAdded={vi.fn()} onCancel={vi.fn()} />, {
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
    render(<AddUserDialog groups={[]} locations={[]} onAdded={vi.fn()} onCancel={vi.fn()} />, {
      wrapper: withApi(fakeApi({ createUser })),
    });
    fireEvent.click(screen.getByRole('button', { name: 'Add user' }));
    expect((await screen.findByRole('alert')).textContent).toBe('This needs an administrator');
  });
});
