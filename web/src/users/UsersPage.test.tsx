import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/client';
import type { UserListQuery, UserPage } from '../api/types';
import { RosterCountProvider } from '../layout/RosterCountContext';
import { ApiProvider } from '../api/ApiContext';
import { fakeApi, makeUser } from '../test/fakeApi';
import { UsersPage } from './UsersPage';

const ada = makeUser({ id: 'u1', locationId: 'l1', groupIds: ['g1', 'g2'] });
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
  it('lists users with their location and group names, and the total', async () => {
    renderPage(twoUsers);
    expect(await screen.findByText('2 users')).toBeTruthy();
    const adaRow = screen.getByRole('row', { name: /Ada Lovelace/ });
    expect(within(adaRow).getByText('ada@example.com')).toBeTruthy();
    expect(await within(adaRow).findByText('Leeds')).toBeTruthy();
    expect(within(adaRow).getByText('Night shift, Kitchen')).toBeTruthy();
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
    await vi.waitFor(() =>
      expect(api.listUsers).toHaveBeenLastCalledWith({ archived: 'include', limit: 50 }, expect.anything()),
    );

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search' }), { target: { value: ' tur ' } });
    await vi.waitFor(() =>
      expect(api.listUsers).toHaveBeenLastCalledWith({ archived: 'include', q: 'tur', limit: 50 }, expect.anything()),
    );
  });

  it('pages forward with the next cursor and back without it', async () => {
    const firstPage = Array.from({ length: 50 }, (_, i) => makeUser({ id: `p1-${i}`, lastName: `Lovelace ${i}` }));
    const api = renderPage(async ({ cursor }) =>
      cursor ? { items: [alan], nextCursor: null, total: 51, totalExact: true } : { items: firstPage, nextCursor: "c2", total: 51, totalExact: true },
    );
    await screen.findByText('Showing 1–50 of 51');
    expect((screen.getByRole('button', { name: 'Previous' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByText('Showing 51–51 of 51')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Next' }) as HTMLButtonElement).disabled).toBe(true);
    expect(api.listUsers).toHaveBeenLastCalledWith({ archived: 'exclude', limit: 50, cursor: 'c2' }, expect.anything());

    fireEvent.click(screen.getByRole('button', { name: 'Previous' }));
    expect(await screen.findByText('Showing 1–50 of 51')).toBeTruthy();
    expect(api.listUsers).toHaveBeenLastCalledWith({ archived: 'exclude', limit: 50 }, expect.anything());
  });

  it('archives the selected rows after confirmation, then reloads the list', async () => {
    const runBulkAction = vi.fn().mockResolvedValue({
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
    const api = renderPage(twoUsers, { runBulkAction });
    await screen.findByText('2 users');

    fireEvent.click(screen.getByLabelText('Select Ada Lovelace'));
    expect(screen.getByRole('button', { name: 'Archive 1 user' })).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Select all users on this page'));
    fireEvent.click(screen.getByRole('button', { name: 'Archive 2 users' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, archive 2 users' }));

    expect(await screen.findByText('2 users archived')).toBeTruthy();
    expect(runBulkAction).toHaveBeenCalledWith('archive', { userIds: ['u1', 'u2'] });
    const loads = vi.mocked(api.listUsers).mock.calls.length;
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    await vi.waitFor(() => expect(vi.mocked(api.listUsers).mock.calls.length).toBe(loads + 1));
    expect(screen.getByText('Select users to archive or unarchive them.')).toBeTruthy();
  });

  it('offers every matching user once the whole page is ticked, and sends the filter with the count', async () => {
    const runBulkAction = vi
      .fn()
      .mockResolvedValue({ action: 'archive', total: 0, done: 0, skipped: 0, failed: 0, results: [] });
    renderPage(async () => ({ items: [ada, alan], nextCursor: "c2", total: 120, totalExact: true }), { runBulkAction });
    await screen.findByText('120 users');

    fireEvent.click(screen.getByLabelText('Select all users on this page'));
    fireEvent.click(screen.getByRole('button', { name: 'Select all 120 users that match' }));
    fireEvent.click(screen.getByRole('button', { name: 'Archive 120 users' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, archive 120 users' }));

    await vi.waitFor(() =>
      expect(runBulkAction).toHaveBeenCalledWith('archive', { filter: { archived: 'exclude' }, expectedCount: 120 }),
    );
  });
});
