import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../api/ApiContext';
import { ApiError, type ApiClient } from '../api/client';
import type { AuditPage, User } from '../api/types';
import { RosterCountProvider } from '../layout/RosterCountContext';
import { fakeApi, makeEntry, makeUser, named } from '../test/fakeApi';
import { UserDetailPage } from './UserDetailPage';

const { viewer } = vi.hoisted(() => ({ viewer: { role: 'owner' as 'owner' | 'admin' } }));
vi.mock('../session/SessionContext', async () => {
  const { makeUser: make } = await import('../test/fakeApi');
  return {
    useSignedInSession: () => ({
      user: make({ id: 'me', firstName: 'Olive', lastName: 'Owner', role: viewer.role }),
      organization: { id: 'o1', slug: 'acme', name: 'Acme' },
    }),
  };
});

const ada = makeUser({ id: 'u1', locationId: 'l1', groupIds: ['g1'], version: 4 });
const noHistory: AuditPage = { items: [], nextCursor: null };

function renderPage(overrides: Partial<ApiClient> = {}, user: User = ada) {
  const api = fakeApi({
    getUser: vi.fn().mockResolvedValue(user),
    userAudit: vi.fn().mockResolvedValue(noHistory),
    listCourses: vi.fn().mockResolvedValue({ items: [{ id: 'c1', name: 'Fire safety', retakeMonths: null, seats: 3, reserved: 0, used: 0, free: 3, retiredAt: null, createdAt: '2025-01-01T00:00:00Z', version: 1 }] }),
    listGroups: vi.fn().mockResolvedValue({ items: [named('g1', 'Night shift'), named('g2', 'Kitchen')] }),
    listLocations: vi.fn().mockResolvedValue({ items: [named('l1', 'Leeds'), named('l2', 'York')] }),
    organization: vi.fn().mockResolvedValue({ id: 'o1', slug: 'acme', name: 'Acme', activeCount: 2, archivedCount: 0 }),
    ...overrides,
  });
  render(
    <ApiProvider value={api}>
      <RosterCountProvider>
        <UserDetailPage id={user.id} />
      </RosterCountProvider>
    </ApiProvider>,
  );
  return api;
}

const field = (label: string) => screen.getByLabelText(label) as HTMLInputElement;

describe('UserDetailPage', () => {
  it('shows the user with their status marks, and the same actions as their row', async () => {
    renderPage();
    expect(await screen.findByRole('heading', { name: 'Ada Lovelace', level: 1 })).toBeTruthy();
    const access = screen.getByRole('complementary', { name: 'Access' });
    expect(within(access).getByText('Active')).toBeTruthy();
    expect(within(access).getByRole('img', { name: 'Approved on 2 Jan 2025' })).toBeTruthy();
    expect(within(access).getByRole('img', { name: 'Notified on 2 Jan 2025' })).toBeTruthy();
    expect(await screen.findByDisplayValue('Leeds')).toBeTruthy();
    expect((screen.getByLabelText('Night shift') as HTMLInputElement).checked).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: 'Actions for Ada Lovelace' }));
    const items = within(screen.getByRole('menu', { name: 'Actions for Ada Lovelace' })).getAllByRole('menuitem');
    expect(items.map((item) => item.textContent)).toEqual([
      'Resend invitation',
      'Deactivate',
      'Set expiration…',
      'Send password reset…',
      'Set one-time password…',
      'Add to groups…',
      'Remove from groups…',
      'Set location…',
      'Change role…',
      'Assign courses…',
      'Archive',
    ]);
  });

  it('saves only what changed, with the version read', async () => {
    const updateUser = vi.fn().mockResolvedValue({ ...ada, lastName: 'Byron', locationId: 'l2', version: 5 });
    renderPage({ updateUser });
    await screen.findByDisplayValue('Leeds');
    const save = screen.getByRole('button', { name: 'Save changes' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);

    fireEvent.change(field('Last name'), { target: { value: 'Byron' } });
    fireEvent.change(field('Location'), { target: { value: 'l2' } });
    fireEvent.click(save);

    expect(await screen.findByText('Changes to Ada Byron saved.')).toBeTruthy();
    expect(updateUser).toHaveBeenCalledWith('u1', { lastName: 'Byron', locationId: 'l2', version: 4 });
    expect(screen.getByRole('heading', { name: 'Ada Byron', level: 1 })).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Save changes' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('offers to reload when someone else changed the user meanwhile', async () => {
    const updateUser = vi
      .fn()
      .mockRejectedValue(new ApiError(409, 'conflict', 'this user was changed by someone else: reload and try again', 'version'));
    const getUser = vi
      .fn()
      .mockResolvedValueOnce(ada)
      .mockResolvedValue({ ...ada, firstName: 'Augusta', version: 5 });
    renderPage({ updateUser, getUser });
    await screen.findByDisplayValue('Leeds');

    fireEvent.change(field('Last name'), { target: { value: 'Byron' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/Someone else changed Ada Lovelace while you were editing/);

    fireEvent.click(within(alert).getByRole('button', { name: 'Reload' }));
    expect(await screen.findByDisplayValue('Augusta')).toBeTruthy();
    expect(field('Last name').value).toBe('Lovelace');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(getUser).toHaveBeenCalledTimes(2);
  });

  it('puts a refused value under its field', async () => {
    const updateUser = vi
      .fn()
      .mockRejectedValue(new ApiError(409, 'conflict', 'is used by another user of this organization', 'email'));
    renderPage({ updateUser });
    await screen.findByDisplayValue('Leeds');
    fireEvent.change(field('Email'), { target: { value: 'grace@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Email is used by another user of this organization')).toBeTruthy();
    expect(field('Email').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(field('Email'));
  });

  it('offers every role to owners, warning what owners can do', async () => {
    const updateUser = vi.fn().mockResolvedValue({ ...ada, role: 'owner', version: 5 });
    renderPage({ updateUser });
    await screen.findByDisplayValue('Leeds');
    const role = field('Role') as unknown as HTMLSelectElement;
    expect([...role.options].map((o) => o.text)).toEqual(['Learner', 'Admin', 'Owner']);
    expect(screen.queryByText(/Owners can do everything/)).toBeNull();
    fireEvent.change(role, { target: { value: 'owner' } });
    expect(screen.getByText(/Owners can do everything/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await screen.findByText('Changes to Ada Lovelace saved.');
    expect(updateUser).toHaveBeenCalledWith('u1', { role: 'owner', version: 4 });
  });

  it("lets an owner change another owner's role, and says why the last owner cannot lose it", async () => {
    const owner = makeUser({ id: 'u2', firstName: 'Grace', lastName: 'Hopper', role: 'owner', version: 2 });
    const updateUser = vi
      .fn()
      .mockRejectedValue(
        new ApiError(409, 'conflict', "the organization's last owner with access must stay one: make another owner first"),
      );
    renderPage({ updateUser }, owner);
    const role = (await screen.findByLabelText('Role')) as HTMLSelectElement;
    expect(role.value).toBe('owner');
    fireEvent.change(role, { target: { value: 'admin' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect((await screen.findByRole('alert')).textContent).toContain('last owner with access must stay one');
    expect(updateUser).toHaveBeenCalledWith('u2', { role: 'admin', version: 2 });
  });

  it('offers no role change to an admin, in the form or the menu', async () => {
    viewer.role = 'admin';
    try {
      renderPage();
      await screen.findByDisplayValue('Leeds');
      expect(screen.queryByLabelText('Role')).toBeNull();
      fireEvent.click(screen.getByRole('button', { name: 'Actions for Ada Lovelace' }));
      const menu = screen.getByRole('menu', { name: 'Actions for Ada Lovelace' });
      expect(within(menu).getByRole('menuitem', { name: 'Deactivate' })).toBeTruthy();
      expect(within(menu).queryByRole('menuitem', { name: 'Change role…' })).toBeNull();
    } finally {
      viewer.role = 'owner';
    }
  });

  it('locks the form for an admin looking at another admin', async () => {
    viewer.role = 'admin';
    try {
      renderPage({}, makeUser({ id: 'u2', firstName: 'Alan', lastName: 'Turing', role: 'admin' }));
      expect(await screen.findByText('Only an owner can change an administrator or an owner.')).toBeTruthy();
      expect(screen.queryByLabelText('Role')).toBeNull();
      expect(field('First name').closest('fieldset')!.disabled).toBe(true);
    } finally {
      viewer.role = 'owner';
    }
  });

  it('shows the history newest first, with the changes in words, and pages back with "Show older"', async () => {
    const newest = makeEntry({
      id: 'e3',
      action: 'user.archived',
      changes: [{ field: 'archivedAt', from: '', to: '2026-03-03T14:02:00Z' }],
    });
    const moved = makeEntry({
      id: 'e2',
      at: '2026-03-02T09:30:00Z',
      changes: [
        { field: 'lastName', from: 'Johnson', to: 'Lovelace' },
        { field: 'locationId', from: '', to: 'l1' },
        { field: 'groupIds', from: 'g2', to: 'g1' },
        { field: 'expiresAt', from: '2026-12-31T00:00:00Z', to: '' },
      ],
    });
    const created = makeEntry({
      id: 'e1',
      at: '2025-01-01T10:00:00Z',
      action: 'user.created',
      actor: null,
      changes: [{ field: 'role', from: '', to: 'learner' }],
    });
    // A full page (20), then the rest.
    const filler = Array.from({ length: 18 }, (_, i) =>
      makeEntry({ id: `f${i}`, at: '2026-03-01T08:00:00Z', changes: [{ field: 'firstName', from: 'A', to: 'Ada' }] }),
    );
    const userAudit = vi.fn(async (_id: string, { cursor }: { cursor?: string }) =>
      cursor === 'older'
        ? { items: [created], nextCursor: null }
        : { items: [newest, moved, ...filler], nextCursor: 'older' },
    );
    renderPage({ userAudit });

    const history = await screen.findByRole('list', { name: 'History' });
    const entries = within(history).getAllByRole('listitem');
    expect(entries[0]!.querySelector('.audit-summary')!.textContent).toBe(
      'Olive Owner archived this user · 3 Mar 2026 14:02',
    );
    expect(entries[0]!.querySelector('dl')).toBeNull();

    const changes = within(entries[1]!);
    expect(entries[1]!.querySelector('.audit-summary')!.textContent).toBe(
      'Olive Owner changed this user · 2 Mar 2026 09:30',
    );
    expect(changes.getByText('Last name').nextElementSibling!.textContent).toBe('Johnson → Lovelace');
    expect(await changes.findByText('Leeds')).toBeTruthy();
    expect(changes.getByText('Added to Night shift; removed from Kitchen')).toBeTruthy();
    expect(changes.getByText('Expiration').nextElementSibling!.textContent).toBe('31 Dec 2026 → none');
    expect(userAudit).toHaveBeenCalledWith('u1', { limit: 20, cursor: undefined }, expect.anything());

    fireEvent.click(screen.getByRole('button', { name: 'Show older' }));
    expect(await within(history).findByText('The system')).toBeTruthy();
    expect(within(history).getAllByRole('listitem')).toHaveLength(21);
    expect(userAudit).toHaveBeenLastCalledWith('u1', { limit: 20, cursor: 'older' }, expect.anything());
    expect(screen.queryByRole('button', { name: 'Show older' })).toBeNull();
    expect(screen.getByText('No older entries.')).toBeTruthy();
  });

  it('reads the history again after a save, as the change reaches it a moment later', async () => {
    // The reloads wait on timers: the test moves the clock itself, so load cannot move it.
    // Testing Library's findBy waits on a timer too, so under the fake clock the test
    // lets the answered requests render with settle() and reads the page at once.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const settle = () => act(() => vi.advanceTimersByTimeAsync(0));
    try {
      const updateUser = vi.fn().mockResolvedValue({ ...ada, lastName: 'Byron', version: 5 });
      const renamed = makeEntry({ id: 'e9', changes: [{ field: 'lastName', from: 'Lovelace', to: 'Byron' }] });
      const userAudit = vi.fn().mockResolvedValueOnce(noHistory).mockResolvedValue({ items: [renamed], nextCursor: null });
      renderPage({ updateUser, userAudit });
      await settle();
      expect(screen.getByDisplayValue('Leeds')).toBeTruthy();
      expect(screen.getByText('No change to this user has been recorded yet.')).toBeTruthy();

      fireEvent.change(field('Last name'), { target: { value: 'Byron' } });
      fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
      await settle();
      expect(screen.getByText('Changes to Ada Byron saved.')).toBeTruthy();
      const reads = userAudit.mock.calls.length;
      await act(() => vi.advanceTimersByTimeAsync(999));
      expect(userAudit).toHaveBeenCalledTimes(reads);
      await act(() => vi.advanceTimersByTimeAsync(1));
      expect(userAudit).toHaveBeenCalledTimes(reads + 1);
      await settle();
      const history = screen.getByRole('list', { name: 'History' });
      expect(within(history).getByText('Lovelace')).toBeTruthy();
    } finally {
      vi.useRealTimers();
    }
  });

  it('says when nobody has the id, and still shows what history is left', async () => {
    const getUser = vi.fn().mockRejectedValue(new ApiError(404, 'not_found', 'no such user'));
    const userAudit = vi.fn().mockResolvedValue({
      items: [makeEntry({ action: 'user.deleted', target: { id: 'u1', name: null } })],
      nextCursor: null,
    });
    renderPage({ getUser, userAudit });
    expect(await screen.findByRole('heading', { name: 'No such user' })).toBeTruthy();
    expect(
      (await screen.findByRole('list', { name: 'History' })).querySelector('.audit-summary')!.textContent,
    ).toBe('Olive Owner permanently deleted this user · 3 Mar 2026 14:02');
  });
});
