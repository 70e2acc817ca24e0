import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiClient } from '../api/client';
import type { UserListQuery } from '../api/types';
import { fakeApi, named, withApi } from '../test/fakeApi';
import { GroupsPage, LocationsPage } from './NamedItemsPage';

/** A listing that answers the member count of each group or location. */
function counting(counts: Record<string, number>) {
  return vi.fn(async (query: UserListQuery) => ({
    items: [],
    nextCursor: null,
    total: counts[query.group ?? query.location ?? ''] ?? 0,
    totalExact: true,
  }));
}

function renderGroups(overrides: Partial<ApiClient> = {}) {
  const api = fakeApi({
    listGroups: vi.fn().mockResolvedValue({ items: [named('g2', 'Night shift', 3), named('g1', 'Day shift')] }),
    listUsers: counting({ g1: 0, g2: 12 }),
    ...overrides,
  });
  render(<GroupsPage />, { wrapper: withApi(api) });
  return api;
}

const row = (name: string) => screen.getByRole('row', { name: new RegExp(`^${name}`) });

describe('GroupsPage', () => {
  it('lists the groups by name with their member counts, linking to the members on the Users page', async () => {
    const api = renderGroups();
    expect(await screen.findByText('2 groups')).toBeTruthy();
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['Day shift', 'Night shift']);
    const members = await within(row('Night shift')).findByRole('link', { name: '12 members of Night shift' });
    expect(members.getAttribute('href')).toBe('/users?group=g2&archived=include');
    expect(within(row('Day shift')).getByText('No members')).toBeTruthy();
    expect(api.listUsers).toHaveBeenCalledWith({ group: 'g2', archived: 'include', limit: 1 }, expect.anything());
  });

  it('adds a group, and says when the name is taken', async () => {
    const createGroup = vi
      .fn()
      .mockRejectedValueOnce(new ApiError(409, 'conflict', 'a group with this name exists', 'name'))
      .mockResolvedValue(named('g3', 'Kitchen'));
    const api = renderGroups({ createGroup });
    await screen.findByText('2 groups');
    const input = screen.getByLabelText('New group');

    fireEvent.change(input, { target: { value: 'night shift' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add group' }));
    expect(await screen.findByText('Name a group with this name exists')).toBeTruthy();

    fireEvent.change(input, { target: { value: ' Kitchen ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add group' }));
    expect(await screen.findByText('Added Kitchen.')).toBeTruthy();
    expect(createGroup).toHaveBeenLastCalledWith('Kitchen');
    expect((input as HTMLInputElement).value).toBe('');
    expect(api.listGroups).toHaveBeenCalledTimes(2);
  });

  it('renames in place with the version read, and offers to reload when someone else changed it', async () => {
    const renameGroup = vi
      .fn()
      .mockRejectedValueOnce(new ApiError(409, 'conflict', 'this group was changed by someone else', 'version'))
      .mockResolvedValue(named('g2', 'Late shift', 4));
    const api = renderGroups({ renameGroup });
    await screen.findByText('2 groups');

    fireEvent.click(screen.getByRole('button', { name: 'Rename Night shift' }));
    const input = screen.getByLabelText('New name for Night shift');
    fireEvent.change(input, { target: { value: 'Late shift' } });
    fireEvent.submit(input.closest('form')!);
    const stale = await screen.findByRole('alert');
    expect(stale.textContent).toMatch(/^Night shift was changed by someone else since this list was read/);
    expect(renameGroup).toHaveBeenCalledWith('g2', { version: 3, name: 'Late shift' });

    fireEvent.submit(input.closest('form')!);
    expect(await screen.findByText('Renamed Night shift to Late shift.')).toBeTruthy();
    expect(row('Late shift')).toBeTruthy();
    expect(api.listGroups).toHaveBeenCalledTimes(2);
  });

  it('confirms a deletion naming the member count and what becomes of them', async () => {
    const deleteGroup = vi.fn().mockResolvedValue({ membersTakenOut: 12 });
    renderGroups({ deleteGroup });
    await screen.findByText('2 groups');

    fireEvent.click(screen.getByRole('button', { name: 'Delete Night shift' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete Night shift?' });
    expect((await within(dialog).findByText(/^Night shift has/)).textContent).toBe(
      'Night shift has 12 members. They will be taken out of it; their accounts stay.',
    );
    fireEvent.click(within(dialog).getByRole('button', { name: 'Yes, delete Night shift' }));

    expect(await screen.findByText('Deleted Night shift: 12 members taken out of it.')).toBeTruthy();
    expect(deleteGroup).toHaveBeenCalledWith('g2', { version: 3, expectedMembers: 12 });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('asks again with the new count when the members changed meanwhile', async () => {
    const counts = { g2: 12 };
    const deleteGroup = vi.fn(async (_id: string, { expectedMembers }: { expectedMembers: number }) => {
      if (expectedMembers !== 13) {
        throw new ApiError(409, 'conflict', 'there are now 13 members, not 12: review and confirm again', 'expectedMembers');
      }
      return { membersTakenOut: 13 };
    });
    renderGroups({ deleteGroup, listUsers: counting(counts) });
    await screen.findByText('2 groups');

    fireEvent.click(screen.getByRole('button', { name: 'Delete Night shift' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete Night shift?' });
    await within(dialog).findByText(/Night shift has 12 members/);
    counts.g2 = 13;
    fireEvent.click(within(dialog).getByRole('button', { name: 'Yes, delete Night shift' }));

    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'The members changed while you were deciding: Night shift had 12 members, it now has 13 members. Nothing was deleted; confirm again.',
    );
    expect(within(dialog).getByText(/^Night shift has/).textContent).toBe(
      'Night shift has 13 members. They will be taken out of it; their accounts stay.',
    );
    fireEvent.click(within(dialog).getByRole('button', { name: 'Yes, delete Night shift' }));
    expect(await screen.findByText('Deleted Night shift: 13 members taken out of it.')).toBeTruthy();
    expect(deleteGroup.mock.calls.map(([, d]) => d.expectedMembers)).toEqual([12, 13]);
  });

  it('says when someone else changed the group before the deletion, and reloads', async () => {
    const deleteGroup = vi
      .fn()
      .mockRejectedValue(new ApiError(409, 'conflict', 'this group was changed by someone else', 'version'));
    const api = renderGroups({ deleteGroup });
    await screen.findByText('2 groups');
    fireEvent.click(screen.getByRole('button', { name: 'Delete Night shift' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete Night shift?' });
    fireEvent.click(await within(dialog).findByRole('button', { name: 'Yes, delete Night shift' }));
    expect((await within(dialog).findByRole('alert')).textContent).toMatch(/changed by someone else/);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reload groups' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(api.listGroups).toHaveBeenCalledTimes(2));
  });
});

describe('LocationsPage', () => {
  it('says members are left without a location, counting one member in the singular', async () => {
    const deleteLocation = vi.fn().mockResolvedValue({ membersTakenOut: 1 });
    render(<LocationsPage />, {
      wrapper: withApi(
        fakeApi({
          listLocations: vi.fn().mockResolvedValue({ items: [named('l1', 'Leeds')] }),
          listUsers: counting({ l1: 1 }),
          deleteLocation,
        }),
      ),
    });
    expect(await screen.findByRole('heading', { name: 'Locations' })).toBeTruthy();
    const link = await screen.findByRole('link', { name: '1 member of Leeds' });
    expect(link.getAttribute('href')).toBe('/users?location=l1&archived=include');

    fireEvent.click(screen.getByRole('button', { name: 'Delete Leeds' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete Leeds?' });
    expect((await within(dialog).findByText(/^Leeds has/)).textContent).toBe(
      'Leeds has 1 member. They will be left without a location; their account stays.',
    );
    fireEvent.click(within(dialog).getByRole('button', { name: 'Yes, delete Leeds' }));
    expect(await screen.findByText('Deleted Leeds: 1 member left without a location.')).toBeTruthy();
    expect(deleteLocation).toHaveBeenCalledWith('l1', { version: 1, expectedMembers: 1 });
  });
});
