import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/client';
import type { AuditPage, OrgAuditQuery, UserPage } from '../api/types';
import { fakeApi, makeEntry, makeUser, named, withApi } from '../test/fakeApi';
import { AuditLogPage } from './AuditLogPage';

const archived = makeEntry({
  id: 'e2',
  action: 'user.archived',
  changes: [{ field: 'archivedAt', from: '', to: '2026-03-03T14:02:00Z' }],
});
const moved = makeEntry({
  id: 'e1',
  at: '2026-03-01T09:00:00Z',
  actor: { id: 'u9', name: 'Alan Turing' },
  target: { id: 'u2', name: 'Grace Hopper' },
  requestId: 'req-42',
  changes: [{ field: 'locationId', from: 'l1', to: 'l2' }],
});

function renderPage(listAudit: (query: OrgAuditQuery) => Promise<AuditPage>, overrides: Partial<ApiClient> = {}) {
  const api = fakeApi({
    listAudit: vi.fn(listAudit),
    listCourses: vi.fn().mockResolvedValue({ items: [{ id: 'c1', name: 'Fire safety', retakeMonths: null, seats: 3, reserved: 0, used: 0, free: 3, retiredAt: null, createdAt: '2025-01-01T00:00:00Z', version: 1 }] }),
    listGroups: vi.fn().mockResolvedValue({ items: [] }),
    listLocations: vi.fn().mockResolvedValue({ items: [named('l1', 'Leeds'), named('l2', 'York')] }),
    ...overrides,
  });
  render(<AuditLogPage />, { wrapper: withApi(api) });
  return api;
}

const lastQuery = (api: ApiClient) => vi.mocked(api.listAudit).mock.lastCall![0];

describe('AuditLogPage', () => {
  it('lists who did what to whom and when, each entry linking to the user', async () => {
    renderPage(async () => ({ items: [archived, moved], nextCursor: null }));
    const list = await screen.findByRole('list', { name: 'Audit entries' });
    const [first, second] = within(list).getAllByRole('listitem');
    expect(first!.querySelector('.audit-summary')!.textContent).toBe('Olive Owner archived Ada Lovelace · 3 Mar 2026 14:02');
    expect(within(first!).getByRole('link', { name: 'Ada Lovelace' }).getAttribute('href')).toBe('/users/u1');
    expect(second!.querySelector('.audit-summary')!.textContent).toBe('Alan Turing changed Grace Hopper · 1 Mar 2026 09:00');
    const from = await within(second!).findByText('Leeds');
    expect(within(from.parentElement!).getByRole('img', { name: 'changed to' })).toBeTruthy();
    expect(within(second!).getByText('York')).toBeTruthy();
    expect(within(second!).getByText('Request ID req-42')).toBeTruthy();
  });

  it('filters by action and by days, and keeps the filters in the address', async () => {
    const api = renderPage(async () => ({ items: [archived], nextCursor: null }));
    await screen.findByRole('list', { name: 'Audit entries' });
    expect(lastQuery(api)).toEqual({ limit: 50, cursor: undefined });

    fireEvent.change(screen.getByLabelText('Action'), { target: { value: 'user.archived' } });
    await waitFor(() => expect(lastQuery(api)).toMatchObject({ action: 'user.archived' }));

    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-03-01' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-03-03' } });
    await waitFor(() =>
      expect(lastQuery(api)).toEqual({
        action: 'user.archived',
        from: '2026-03-01T00:00:00.000Z',
        to: '2026-03-04T00:00:00.000Z',
        limit: 50,
        cursor: undefined,
      }),
    );
    expect(window.location.search).toBe('?action=user.archived&from=2026-03-01&to=2026-03-03');

    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-02-01' } });
    expect(screen.getByText('The end date is before the start date.')).toBeTruthy();
    await waitFor(() => expect(lastQuery(api)).toEqual({ action: 'user.archived', limit: 50, cursor: undefined }));

    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(lastQuery(api)).toEqual({ limit: 50, cursor: undefined }));
    expect(window.location.search).toBe('');
  });

  it('narrows the log to a person found with the user search', async () => {
    const grace = makeUser({ id: 'u2', firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com' });
    const listUsers = vi.fn(async (): Promise<UserPage> => ({ items: [grace], nextCursor: null, total: 1, totalExact: true }));
    const api = renderPage(async () => ({ items: [moved], nextCursor: null }), { listUsers });
    await screen.findByRole('list', { name: 'Audit entries' });

    const box = screen.getByRole('combobox', { name: 'User' });
    fireEvent.focus(box);
    // The search waits 250 ms after the last keystroke: the test moves the clock itself.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      fireEvent.change(box, { target: { value: 'hop' } });
      await act(() => vi.advanceTimersByTimeAsync(249));
      expect(listUsers).not.toHaveBeenCalled();
      await act(() => vi.advanceTimersByTimeAsync(1));
    } finally {
      vi.useRealTimers();
    }
    expect(listUsers).toHaveBeenCalledWith({ q: 'hop', archived: 'include', limit: 8 }, expect.anything());
    const option = await screen.findByRole('option', { name: /Grace Hopper/ });
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(option.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(box, { key: 'Enter' });

    expect((box as HTMLInputElement).value).toBe('Grace Hopper');
    await waitFor(() => expect(lastQuery(api)).toEqual({ user: 'u2', limit: 50, cursor: undefined }));
    expect(window.location.search).toBe('?user=u2');

    fireEvent.click(screen.getByRole('button', { name: 'Clear User' }));
    await waitFor(() => expect(lastQuery(api)).toEqual({ limit: 50, cursor: undefined }));
  });

  it('names the people an address carries by id', async () => {
    window.history.replaceState(null, '', '/audit?actor=u9');
    const getUser = vi.fn().mockResolvedValue(makeUser({ id: 'u9', firstName: 'Alan', lastName: 'Turing' }));
    const api = renderPage(async () => ({ items: [moved], nextCursor: null }), { getUser });
    expect(await screen.findByDisplayValue('Alan Turing')).toBeTruthy();
    expect(lastQuery(api)).toMatchObject({ actor: 'u9' });
  });

  it('keeps looking back when filters leave a stretch of the log empty', async () => {
    const listAudit = vi.fn(async ({ cursor }: OrgAuditQuery) =>
      cursor === 'c9' ? { items: [moved], nextCursor: null } : { items: [], nextCursor: cursor ? `c${Number(cursor.slice(1)) + 1}` : 'c1' },
    );
    renderPage(listAudit);
    expect(await screen.findByText(/No matching entries in the stretch just searched/)).toBeTruthy();
    expect(screen.queryByText('No entry matches these filters.')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Keep looking' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Keep looking' }));
    expect(await screen.findByText('Grace Hopper')).toBeTruthy();
    expect(screen.getByText('No older entries.')).toBeTruthy();
  });
});
