import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/client';
import type { UserListQuery, UserPage } from '../api/types';
import { RosterCountProvider } from '../layout/RosterCountContext';
import { ApiProvider } from '../api/ApiContext';
import { fakeApi, makeUser } from '../test/fakeApi';
import { UsersPage } from './UsersPage';

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

const ada = makeUser({ id: 'u1', locationId: 'l1', groupIds: ['g1', 'g2'], courses: [{ courseId: 'c1', dueAt: null }] });
const alan = makeUser({
  id: 'u2',
  firstName: 'Alan',
  lastName: 'Turing',
  email: null,
  userId: 'AT-7',
  lastAccessAt: null,
});

function renderPage(listUsers: (query: UserListQuery) => Promise<UserPage>, overrides: Partial<ApiClient> = {}) {
  const named = (id: string, name: string) => ({ id, name, createdAt: '2025-01-01T00:00:00Z', version: 1 });
  const api = fakeApi({
    listUsers: vi.fn(listUsers),
    listGroups: vi.fn().mockResolvedValue({ items: [named('g1', 'Night shift'), named('g2', 'Kitchen')] }),
    listLocations: vi.fn().mockResolvedValue({ items: [named('l1', 'Leeds')] }),
    listCourses: vi.fn().mockResolvedValue({ items: [{ id: 'c1', name: 'Fire safety', retakeMonths: null, seats: 3, reserved: 0, used: 0, free: 3, retiredAt: null, createdAt: '2025-01-01T00:00:00Z', version: 1 }] }),
    organization: vi.fn().mockResolvedValue({ id: 'o1', slug: 'acme', name: 'Acme', activeCount: 2, archivedCount: 0 }),
    ...overrides,
  });
  render(
    <ApiProvider value={api}>
      <RosterCountProvider>
        <UsersPage />
      </RosterCountProvider>
    </ApiProvider>,
  );
  return api;
}

const twoUsers = async (): Promise<UserPage> => ({ items: [ada, alan], nextCursor: null, total: 2, totalExact: true });

describe('UsersPage', () => {
  it('lists users with their location, group and class names, and the total', async () => {
    renderPage(twoUsers);
    expect(await screen.findByText('2 users')).toBeTruthy();
    const adaRow = screen.getByRole('row', { name: /Ada Lovelace/ });
    expect(within(adaRow).getByText('ada@example.com')).toBeTruthy();
    expect(await within(adaRow).findByText('Leeds')).toBeTruthy();
    expect(within(adaRow).getByText('Night shift, Kitchen')).toBeTruthy();
    expect(await within(adaRow).findByText('Fire safety')).toBeTruthy(); // the Courses column
    expect(within(adaRow).getByText('4 Mar 2025')).toBeTruthy();
    const alanRow = screen.getByRole('row', { name: /Alan Turing/ });
    expect(within(alanRow).getByText('AT-7')).toBeTruthy();
    expect(within(alanRow).getByText('Never')).toBeTruthy();
  });

  it('says "1,000+ users" when the server stopped counting, and offers no select-all', async () => {
    renderPage(async () => ({ items: [ada, alan], nextCursor: 'c2', total: 1000, totalExact: false }));
    expect(await screen.findByText('1,000+ users')).toBeTruthy();
    fireEvent.click(screen.getByRole('checkbox', { name: /select all users on this page/i }));
    expect(await screen.findByText(/More than 1,000 users match/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /that match/ })).toBeNull();
  });

  it('hides archived users unless asked, and searches after typing stops', async () => {
    const api = renderPage(twoUsers);
    await screen.findByText('2 users');
    expect(api.listUsers).toHaveBeenLastCalledWith({ archived: 'exclude', limit: 50 }, expect.anything());

    fireEvent.click(screen.getByLabelText('Show archived users'));
    await waitFor(() =>
      expect(api.listUsers).toHaveBeenLastCalledWith({ archived: 'include', limit: 50 }, expect.anything()),
    );

    // The search waits 300 ms after the last keystroke: the test moves the clock itself.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const calls = vi.mocked(api.listUsers).mock.calls.length;
      fireEvent.change(screen.getByRole('searchbox', { name: 'Search' }), { target: { value: ' tu' } });
      await act(() => vi.advanceTimersByTimeAsync(200));
      fireEvent.change(screen.getByRole('searchbox', { name: 'Search' }), { target: { value: ' tur ' } });
      await act(() => vi.advanceTimersByTimeAsync(299));
      expect(api.listUsers).toHaveBeenCalledTimes(calls);
      await act(() => vi.advanceTimersByTimeAsync(1));
    } finally {
      vi.useRealTimers();
    }
    expect(api.listUsers).toHaveBeenLastCalledWith({ archived: 'include', q: 'tur', limit: 50 }, expect.anything());
  });

  it('pages forward with the next cursor and back without it', async () => {
    // Two users stand for a full first page: the counts in words are the Pager's test.
    const grace = makeUser({ id: 'u3', firstName: 'Grace', lastName: 'Hopper' });
    const api = renderPage(async ({ cursor }) =>
      cursor
        ? { items: [grace], nextCursor: null, total: 3, totalExact: true }
        : { items: [ada, alan], nextCursor: 'c2', total: 3, totalExact: true },
    );
    await screen.findByRole('row', { name: /Ada Lovelace/ });
    expect((screen.getByRole('button', { name: 'Previous' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByRole('row', { name: /Grace Hopper/ })).toBeTruthy();
    expect(screen.queryByRole('row', { name: /Ada Lovelace/ })).toBeNull();
    expect((screen.getByRole('button', { name: 'Next' }) as HTMLButtonElement).disabled).toBe(true);
    expect(api.listUsers).toHaveBeenLastCalledWith({ archived: 'exclude', limit: 50, cursor: 'c2' }, expect.anything());

    fireEvent.click(screen.getByRole('button', { name: 'Previous' }));
    expect(await screen.findByRole('row', { name: /Ada Lovelace/ })).toBeTruthy();
    expect(api.listUsers).toHaveBeenLastCalledWith({ archived: 'exclude', limit: 50 }, expect.anything());
  });

  it('archives the selected rows after confirmation, then reloads the list', async () => {
    const runAction = vi.fn().mockResolvedValue({
      action: 'archive',
      total: 2,
      done: 2,
      skipped: 0,
      failed: 0,
      results: [
        { id: 'u1', outcome: 'done' },
        { id: 'u2', outcome: 'done' },
      ],
    });
    const api = renderPage(twoUsers, { runAction });
    await screen.findByText('2 users');

    fireEvent.click(screen.getByLabelText('Select Ada Lovelace'));
    expect(screen.getByRole('button', { name: 'Archive 1 user' })).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Select all users on this page'));
    fireEvent.click(screen.getByRole('button', { name: 'Archive 2 users' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, archive 2 users' }));

    expect(await screen.findByText('2 users archived')).toBeTruthy();
    expect(runAction).toHaveBeenCalledWith({ action: 'archive' }, { userIds: ['u1', 'u2'] });
    const loads = vi.mocked(api.listUsers).mock.calls.length;
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(vi.mocked(api.listUsers).mock.calls.length).toBe(loads + 1));
    expect(screen.getByText(/^Select users to approve, notify/)).toBeTruthy();
  });

  it('offers every matching user once the whole page is ticked, and sends the filter with the count', async () => {
    const runAction = vi
      .fn()
      .mockResolvedValue({ action: 'archive', total: 0, done: 0, skipped: 0, failed: 0, results: [] });
    renderPage(async () => ({ items: [ada, alan], nextCursor: 'c2', total: 120, totalExact: true }), { runAction });
    await screen.findByText('120 users');

    fireEvent.click(screen.getByLabelText('Select all users on this page'));
    fireEvent.click(screen.getByRole('button', { name: 'Select all 120 users that match' }));
    fireEvent.click(screen.getByRole('button', { name: 'Archive 120 users' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, archive 120 users' }));

    await waitFor(() =>
      expect(runAction).toHaveBeenCalledWith(
        { action: 'archive' },
        { filter: { archived: 'exclude' }, expectedCount: 120 },
      ),
    );
  });

  it('shows the Approved and Notified marks of each row', async () => {
    const pending = makeUser({ id: 'u3', firstName: 'Grace', lastName: 'Hopper', status: 'pending', approvedAt: null, notifiedAt: null });
    renderPage(async () => ({ items: [ada, pending], nextCursor: null, total: 2, totalExact: true }));
    const adaRow = await screen.findByRole('row', { name: /Ada Lovelace/ });
    expect(within(adaRow).getByRole('img', { name: 'Approved on 2 Jan 2025' })).toBeTruthy();
    expect(within(adaRow).getByRole('img', { name: 'Notified on 2 Jan 2025' })).toBeTruthy();
    const graceRow = screen.getByRole('row', { name: /Grace Hopper/ });
    expect(within(graceRow).getByText('Pending')).toBeTruthy();
    expect(within(graceRow).getByRole('img', { name: 'Not approved' })).toBeTruthy();
    expect(within(graceRow).getByRole('img', { name: 'Not notified' })).toBeTruthy();
  });

  it("approves and notifies one user from their row's menu in two clicks, says so in a notice, and reloads the list", async () => {
    const grace = makeUser({ id: 'u3', firstName: 'Grace', lastName: 'Hopper', status: 'pending', approvedAt: null, notifiedAt: null });
    const runAction = vi.fn().mockResolvedValue({
      action: 'approve',
      total: 1,
      done: 1,
      skipped: 0,
      failed: 0,
      results: [{ id: 'u3', outcome: 'done' }],
    });
    const api = renderPage(async () => ({ items: [grace], nextCursor: null, total: 1, totalExact: true }), { runAction });

    fireEvent.click(await screen.findByRole('button', { name: 'Actions for Grace Hopper' }));
    const menu = screen.getByRole('menu', { name: 'Actions for Grace Hopper' });
    expect(within(menu).getAllByRole('menuitem').map((item) => item.textContent)).toContain('Approve and notify');
    const loads = vi.mocked(api.listUsers).mock.calls.length;
    fireEvent.click(within(menu).getByRole('menuitem', { name: 'Approve and notify' }));

    const notice = await screen.findByRole('status');
    await within(notice).findByText('Grace Hopper approved and notified.');
    expect(within(notice).queryByRole('button', { name: 'Undo' })).toBeNull(); // an email sent is not taken back
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(runAction).toHaveBeenCalledWith({ action: 'approve', notify: true }, { userIds: ['u3'] });
    await waitFor(() => expect(vi.mocked(api.listUsers).mock.calls.length).toBe(loads + 1));
  });

  it('deactivates a user from the green status icon next to their name, after a short confirmation, with Undo', async () => {
    const grace = makeUser({ id: 'u3', firstName: 'Grace', lastName: 'Hopper', status: 'active' });
    const runAction = vi.fn().mockImplementation(async (request: { action: string }) => ({
      action: request.action,
      total: 1,
      done: 1,
      skipped: 0,
      failed: 0,
      results: [{ id: 'u3', outcome: 'done' }],
    }));
    renderPage(async () => ({ items: [grace], nextCursor: null, total: 1, totalExact: true }), { runAction });

    fireEvent.click(await screen.findByRole('button', { name: 'Deactivate Grace Hopper' }));
    const confirm = screen.getByRole('dialog', { name: 'Deactivate Grace Hopper?' });
    expect(runAction).not.toHaveBeenCalled();
    fireEvent.click(within(confirm).getByRole('button', { name: 'Deactivate' }));
    const notice = await screen.findByRole('status');
    await within(notice).findByText('Grace Hopper deactivated.');
    expect(runAction).toHaveBeenCalledWith({ action: 'deactivate' }, { userIds: ['u3'] });

    fireEvent.click(within(notice).getByRole('button', { name: 'Undo' }));
    await within(await screen.findByRole('status')).findByText('Undone: Grace Hopper activated.');
    expect(runAction).toHaveBeenLastCalledWith({ action: 'activate' }, { userIds: ['u3'] });
  });

  it("adds a user to a group from their row's menu in two clicks, ends in a notice, and Undo takes them out again", async () => {
    const grace = makeUser({ id: 'u3', firstName: 'Grace', lastName: 'Hopper', status: 'active', groupIds: ['g2'] });
    const runAction = vi.fn().mockImplementation(async (request: { action: string }) => ({
      action: request.action,
      total: 1,
      done: 1,
      skipped: 0,
      failed: 0,
      results: [{ id: 'u3', outcome: 'done' }],
    }));
    renderPage(async () => ({ items: [grace], nextCursor: null, total: 1, totalExact: true }), { runAction });
    await screen.findAllByText('Kitchen');

    fireEvent.click(await screen.findByRole('button', { name: 'Actions for Grace Hopper' }));
    const menu = screen.getByRole('menu', { name: 'Actions for Grace Hopper' });
    expect(within(menu).queryByRole('menuitem', { name: 'Add to groups…' })).toBeNull();
    fireEvent.pointerEnter(within(menu).getByRole('menuitem', { name: 'Add to group' }), { pointerType: 'mouse' });
    const groups = screen.getByRole('menu', { name: 'Add to group' });
    // Only the groups she is not in.
    expect(within(groups).getAllByRole('menuitem').map((item) => item.textContent)).toEqual(['Night shift']);
    fireEvent.click(within(groups).getByRole('menuitem', { name: 'Night shift' }));

    const notice = await screen.findByRole('status');
    await within(notice).findByText('Grace Hopper added to Night shift.');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(runAction).toHaveBeenCalledWith({ action: 'add-to-groups', groupIds: ['g1'] }, { userIds: ['u3'] });

    fireEvent.click(within(notice).getByRole('button', { name: 'Undo' }));
    await within(await screen.findByRole('status')).findByText('Undone: Grace Hopper removed from Night shift.');
    expect(runAction).toHaveBeenLastCalledWith({ action: 'remove-from-groups', groupIds: ['g1'] }, { userIds: ['u3'] });
  });

  it("removes a user from one of their groups from the row's menu, naming only their groups", async () => {
    const grace = makeUser({ id: 'u3', firstName: 'Grace', lastName: 'Hopper', status: 'active', groupIds: ['g1', 'g2'] });
    const runAction = vi.fn().mockResolvedValue({
      action: 'remove-from-groups',
      total: 1,
      done: 1,
      skipped: 0,
      failed: 0,
      results: [{ id: 'u3', outcome: 'done' }],
    });
    renderPage(async () => ({ items: [grace], nextCursor: null, total: 1, totalExact: true }), { runAction });
    await screen.findAllByText('Night shift, Kitchen');

    fireEvent.click(await screen.findByRole('button', { name: 'Actions for Grace Hopper' }));
    const menu = screen.getByRole('menu', { name: 'Actions for Grace Hopper' });
    // Grace is in every group: nothing to add her to.
    expect(within(menu).queryByRole('menuitem', { name: /^Add to group/ })).toBeNull();
    fireEvent.click(within(menu).getByRole('menuitem', { name: 'Remove from group' }));
    const groups = screen.getByRole('menu', { name: 'Remove from group' });
    expect(within(groups).getAllByRole('menuitem').map((item) => item.textContent)).toEqual(['Kitchen', 'Night shift']);
    fireEvent.click(within(groups).getByRole('menuitem', { name: 'Kitchen' }));

    const notice = await screen.findByRole('status');
    await within(notice).findByText('Grace Hopper removed from Kitchen.');
    expect(within(notice).getByRole('button', { name: 'Undo' })).toBeTruthy();
    expect(runAction).toHaveBeenCalledWith({ action: 'remove-from-groups', groupIds: ['g2'] }, { userIds: ['u3'] });
  });

  it('never offers Activate to an expired user: not on the icon, not in the row menu, not in the bulk menu for them alone', async () => {
    const ed = makeUser({ id: 'u4', firstName: 'Ed', lastName: 'Expired', status: 'expired' });
    renderPage(async () => ({ items: [ed], nextCursor: null, total: 1, totalExact: true }));

    const icon = await screen.findByRole('img', { name: /^Expired: move the expiration date/ });
    expect(icon).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Activate Ed Expired' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Actions for Ed Expired' }));
    const rowMenu = screen.getByRole('menu', { name: 'Actions for Ed Expired' });
    expect(within(rowMenu).queryByRole('menuitem', { name: 'Activate' })).toBeNull();
    fireEvent.keyDown(rowMenu, { key: 'Escape' });

    fireEvent.click(screen.getByRole('checkbox', { name: 'Select Ed Expired' }));
    fireEvent.click(screen.getByRole('button', { name: 'Choose action' }));
    const bulk = screen.getByRole('menu', { name: 'Choose action' });
    expect(within(bulk).queryByRole('menuitem', { name: 'Activate' })).toBeNull();
    expect(within(bulk).getByRole('menuitem', { name: 'Deactivate' })).toBeTruthy();
  });

  it('shows each user\'s role and explains the marks', async () => {
    renderPage(twoUsers);
    const adaRow = await screen.findByRole('row', { name: /Ada Lovelace/ });
    expect(within(adaRow).getByText('Learner')).toBeTruthy();
    expect(screen.getByText('Approved')).toBeTruthy();
    expect(screen.getByText('Notified (invitation sent)')).toBeTruthy();
  });

  it('says a failed load once, in the table, with Try again: no empty-list text, no loading text', async () => {
    const { ApiError } = await import('../api/client');
    renderPage(async () => {
      throw new ApiError(500, 'internal', 'Something broke.');
    });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Users could not be loaded.');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeTruthy();
    expect(screen.queryByText('No users match these filters.')).toBeNull();
    expect(screen.queryByText(/Loading/)).toBeNull();
  });

  it('runs any action on the selection from "Choose action", and groups skipped users by reason', async () => {
    const runAction = vi.fn().mockResolvedValue({
      action: 'add-to-groups',
      total: 2,
      done: 1,
      skipped: 1,
      failed: 0,
      results: [
        { id: 'u1', outcome: 'skipped', reason: 'already in these groups' },
        { id: 'u2', outcome: 'done' },
      ],
    });
    renderPage(twoUsers, { runAction });
    await screen.findByText('2 users');
    await screen.findAllByText('Leeds');

    fireEvent.click(screen.getByLabelText('Select all users on this page'));
    fireEvent.click(screen.getByRole('button', { name: 'Choose action' }));
    fireEvent.click(screen.getByRole('menuitem', { name: 'Add to groups…' }));
    const dialog = screen.getByRole('dialog', { name: 'Add 2 users to groups' });
    fireEvent.click(within(dialog).getByLabelText('Night shift'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Continue' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Yes, add 2 users to Night shift' }));

    expect(await screen.findByText('1 user added to Night shift')).toBeTruthy();
    const skipped = screen.getByText('1 user skipped: already in these groups').closest('li')!;
    expect(within(skipped).getByText('Ada Lovelace')).toBeTruthy();
    expect(runAction).toHaveBeenCalledWith({ action: 'add-to-groups', groupIds: ['g1'] }, { userIds: ['u1', 'u2'] });
  });

  it('offers Change role to owners only', async () => {
    renderPage(twoUsers);
    await screen.findByText('2 users');
    fireEvent.click(screen.getByLabelText('Select Ada Lovelace'));
    fireEvent.click(screen.getByRole('button', { name: 'Choose action' }));
    expect(screen.getByRole('menuitem', { name: 'Change role…' })).toBeTruthy();
    cleanup();

    viewer.role = 'admin';
    try {
      renderPage(twoUsers);
      await screen.findByText('2 users');
      fireEvent.click(screen.getByLabelText('Select Ada Lovelace'));
      fireEvent.click(screen.getByRole('button', { name: 'Choose action' }));
      expect(screen.getByRole('menuitem', { name: 'Deactivate' })).toBeTruthy();
      expect(screen.queryByRole('menuitem', { name: 'Change role…' })).toBeNull();
      fireEvent.keyDown(screen.getByRole('menuitem', { name: 'Approve' }), { key: 'Escape' });
      fireEvent.click(screen.getByRole('button', { name: 'Actions for Ada Lovelace' }));
      expect(screen.queryByRole('menuitem', { name: 'Change role…' })).toBeNull();
    } finally {
      viewer.role = 'owner';
    }
  });

  it('warns when a user was added but the invitation could not be sent', async () => {
    const createUser = vi.fn().mockResolvedValue(makeUser({ id: 'new', status: 'activated', notifiedAt: null }));
    renderPage(twoUsers, { createUser });
    await screen.findByText('2 users');
    fireEvent.click(screen.getByRole('button', { name: 'Add user' }));
    const dialog = screen.getByRole('dialog', { name: 'Add user' });
    fireEvent.change(within(dialog).getByLabelText('First name'), { target: { value: 'Ada' } });
    fireEvent.change(within(dialog).getByLabelText('Last name'), { target: { value: 'Lovelace' } });
    fireEvent.change(within(dialog).getByLabelText('Email'), { target: { value: 'ada@example.com' } });
    fireEvent.click(within(dialog).getByLabelText('Approve now'));
    fireEvent.click(within(dialog).getByLabelText('Send invitation email'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add user' }));
    expect((await screen.findByText(/could not be sent/)).textContent).toBe(
      'Added Ada Lovelace, but the invitation could not be sent: use Notify to try again.',
    );
  });

  it("starts from the filters in the address, keeps them there, and links each name to the user's page", async () => {
    window.history.replaceState(null, '', '/users?group=g1&archived=include');
    const api = renderPage(twoUsers);
    await screen.findByText('2 users');
    expect(api.listUsers).toHaveBeenLastCalledWith({ group: 'g1', archived: 'include', limit: 50 }, expect.anything());
    expect((screen.getByLabelText('Show archived users') as HTMLInputElement).checked).toBe(true);
    expect(screen.getByRole('link', { name: 'Ada Lovelace' }).getAttribute('href')).toBe('/users/u1');

    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'active' } });
    await waitFor(() => expect(window.location.search).toBe('?group=g1&status=active&archived=include'));
  });
});
