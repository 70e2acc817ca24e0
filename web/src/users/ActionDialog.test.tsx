import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import type { BulkResult, BulkTarget } from '../api/types';
import { fakeApi, makeUser, withApi } from '../test/fakeApi';
import { ActionDialog } from './ActionDialog';
import type { ActionChoice } from './actions';

const named = (id: string, name: string) => ({ id, name, createdAt: '2025-01-01T00:00:00Z', version: 1 });
const groups = [named('g2', 'Kitchen'), named('g1', 'Night shift')];
const locations = [named('l1', 'Leeds'), named('l2', 'York')];
const lookups = {
  groups,
  locations,
  groupName: (id: string) => groups.find((g) => g.id === id)?.name ?? 'Unknown group',
  locationName: (id: string) => locations.find((l) => l.id === id)?.name ?? 'Unknown location',
  courses: [{ id: 'c1', name: 'Fire safety' }],
  courseName: (id: string) => ({ c1: 'Fire safety' })[id] ?? 'Unknown course',
};

function answer(results: BulkResult['results']): BulkResult {
  const count = (o: string) => results.filter((r) => r.outcome === o).length;
  return { action: 'x', total: results.length, done: count('done'), skipped: count('skipped'), failed: count('failed'), results } as unknown as BulkResult;
}

interface Setup {
  choice: ActionChoice;
  count?: number;
  target?: BulkTarget;
  user?: ReturnType<typeof makeUser>;
  result?: BulkResult;
  names?: Map<string, string>;
}

function open({ choice, count = 3, target = { userIds: ['u1', 'u2', 'u3'] }, user, result, names }: Setup) {
  const runAction = vi.fn().mockResolvedValue(result ?? answer([{ id: 'u1', outcome: 'done' }]));
  const onClose = vi.fn();
  render(
    <ActionDialog choice={choice} count={count} target={target} user={user} lookups={lookups} names={names} onClose={onClose} />,
    { wrapper: withApi(fakeApi({ runAction })) },
  );
  return { runAction, onClose };
}

const click = (name: string) => fireEvent.click(screen.getByRole('button', { name }));

describe('ActionDialog', () => {
  it('confirms naming the count and the effect, runs once confirmed and reports each outcome', async () => {
    const { runAction, onClose } = open({
      choice: 'deactivate',
      result: answer([
        { id: 'u1', outcome: 'done' },
        { id: 'u2', outcome: 'skipped', reason: 'already deactivated' },
        { id: 'u3', outcome: 'skipped', reason: 'you cannot deactivate yourself' },
      ]),
      names: new Map([['u2', 'Alan Turing']]),
    });
    const dialog = screen.getByRole('dialog', { name: 'Deactivate 3 users?' });
    expect(within(dialog).getByText(/lose access at once/)).toBeTruthy();
    click('Yes, deactivate 3 users');

    expect(await screen.findByRole('dialog', { name: 'Deactivate finished' })).toBeTruthy();
    expect(screen.getByText('1 user deactivated')).toBeTruthy();
    const already = screen.getByText('1 user skipped: already deactivated').closest('li')!;
    expect(within(already).getByText('Alan Turing')).toBeTruthy();
    expect(screen.getByText('1 user skipped: you cannot deactivate yourself')).toBeTruthy();
    expect(runAction).toHaveBeenCalledWith({ action: 'deactivate' }, { userIds: ['u1', 'u2', 'u3'] });

    click('Close');
    expect(onClose).toHaveBeenCalledWith(true);
  });

  it('names one user from their row in the title, and the count on the button', () => {
    open({ choice: 'approve-notify', count: 1, target: { userIds: ['u1'] }, user: makeUser({ status: 'pending' }) });
    expect(screen.getByRole('dialog', { name: 'Approve and notify Ada Lovelace?' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Yes, approve and notify 1 user' })).toBeTruthy();
  });

  it('reports failed users with their reason', async () => {
    open({
      choice: 'notify',
      result: answer([
        { id: 'u1', outcome: 'failed', reason: 'the email could not be sent: try again' },
        { id: 'u2', outcome: 'skipped', reason: 'deactivated: users without access are never emailed' },
        { id: 'u3', outcome: 'skipped', reason: 'deactivated: users without access are never emailed' },
      ]),
    });
    click('Yes, notify 3 users');
    expect(await screen.findByText('2 users skipped: deactivated: users without access are never emailed')).toBeTruthy();
    expect(screen.getByText('1 user failed: the email could not be sent: try again')).toBeTruthy();
    expect(screen.getByText('Users who failed can be tried again.')).toBeTruthy();
  });

  it('says when users were approved but their invitation could not be sent', async () => {
    open({
      choice: 'approve-notify',
      count: 2,
      target: { userIds: ['u1', 'u2'] },
      result: answer([
        { id: 'u1', outcome: 'done' },
        { id: 'u2', outcome: 'done', reason: 'approved, but not notified: the email could not be sent: try again' },
      ]),
    });
    click('Yes, approve and notify 2 users');
    expect(await screen.findByText('1 user approved and notified')).toBeTruthy();
    expect(
      screen.getByText('1 user approved, but not notified: the email could not be sent: try again'),
    ).toBeTruthy();
  });

  it('closes without running when cancelled', () => {
    const { runAction, onClose } = open({ choice: 'unarchive', count: 1 });
    click('Cancel');
    expect(onClose).toHaveBeenCalledWith(false);
    expect(runAction).not.toHaveBeenCalled();
  });

  it('shows why the action was refused', async () => {
    const runAction = vi
      .fn()
      .mockRejectedValue(new ApiError(409, 'conflict', 'the filter now matches 12 users, not 10: review the selection and try again'));
    render(
      <ActionDialog choice="archive" count={10} target={{ filter: { archived: 'exclude' }, expectedCount: 10 }} lookups={lookups} onClose={vi.fn()} />,
      { wrapper: withApi(fakeApi({ runAction })) },
    );
    expect(screen.getByText(/every user that matches the current filters/)).toBeTruthy();
    click('Yes, archive 10 users');
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The filter now matches 12 users, not 10: review the selection and try again',
    );
  });

  describe('the expiration step', () => {
    it('takes a date, and confirms with it', async () => {
      const { runAction } = open({ choice: 'set-expiration' });
      expect(screen.getByRole('dialog', { name: 'Set the expiration date of 3 users' })).toBeTruthy();
      click('Continue');
      expect(screen.getByText('Choose a date, or No expiration.')).toBeTruthy();
      expect(runAction).not.toHaveBeenCalled();

      fireEvent.change(screen.getByLabelText('Expiration date'), { target: { value: '2020-01-01' } });
      click('Continue');
      expect(screen.getByRole('dialog', { name: 'Set 3 users to expire on 1 Jan 2020?' })).toBeTruthy();
      expect(screen.getByText(/lose access at once/)).toBeTruthy();
      click('Yes, set 3 users to expire on 1 Jan 2020');
      // The fake server did it to one of the three.
      await screen.findByText('1 user set to expire on 1 Jan 2020');
      expect(runAction).toHaveBeenCalledWith({ action: 'set-expiration', expiresAt: '2020-01-01' }, expect.anything());
    });

    it('offers No expiration, and goes back to the step keeping the choice', async () => {
      const { runAction } = open({ choice: 'set-expiration', count: 1, user: makeUser({ expiresAt: '2026-12-31T00:00:00Z' }) });
      expect((screen.getByLabelText('Expiration date') as HTMLInputElement).value).toBe('2026-12-31');
      fireEvent.click(screen.getByLabelText('No expiration'));
      expect((screen.getByLabelText('Expiration date') as HTMLInputElement).disabled).toBe(true);
      click('Continue');
      expect(screen.getByRole('dialog', { name: 'Clear the expiration date of Ada Lovelace?' })).toBeTruthy();

      click('Back');
      expect((screen.getByLabelText('No expiration') as HTMLInputElement).checked).toBe(true);
      click('Continue');
      click('Yes, clear the expiration date of 1 user');
      await waitFor(() =>
        expect(runAction).toHaveBeenCalledWith({ action: 'set-expiration', expiresAt: null }, expect.anything()),
      );
    });
  });

  describe('the groups step', () => {
    it('needs at least one group, and names the chosen ones in list order', async () => {
      const { runAction } = open({ choice: 'add-to-groups' });
      const dialog = screen.getByRole('dialog', { name: 'Add 3 users to groups' });
      click('Continue');
      expect(within(dialog).getByText('Choose at least one group.')).toBeTruthy();
      fireEvent.click(within(dialog).getByLabelText('Night shift'));
      fireEvent.click(within(dialog).getByLabelText('Kitchen'));
      click('Continue');
      click('Yes, add 3 users to Kitchen and Night shift');
      await waitFor(() =>
        expect(runAction).toHaveBeenCalledWith({ action: 'add-to-groups', groupIds: ['g2', 'g1'] }, expect.anything()),
      );
    });

    it("offers one user's own groups to remove them from", () => {
      open({ choice: 'remove-from-groups', count: 1, user: makeUser({ groupIds: ['g1'] }) });
      const dialog = screen.getByRole('dialog', { name: 'Remove Ada Lovelace from groups' });
      expect(within(dialog).getAllByRole('checkbox').map((box) => box.closest('label')?.textContent)).toEqual([
        'Night shift',
      ]);
      fireEvent.click(within(dialog).getByLabelText('Night shift'));
      click('Continue');
      expect(screen.getByRole('button', { name: 'Yes, remove 1 user from Night shift' })).toBeTruthy();
    });

    it('says when there is no group to choose', () => {
      open({ choice: 'add-to-groups', count: 1, user: makeUser({ groupIds: ['g1', 'g2'] }) });
      expect(screen.getByText('Ada Lovelace is in every group already.')).toBeTruthy();
      expect((screen.getByRole('button', { name: 'Continue' }) as HTMLButtonElement).disabled).toBe(true);
    });
  });

  describe('the location step', () => {
    it("starts from the user's location and offers No location", async () => {
      const { runAction } = open({ choice: 'set-location', count: 1, user: makeUser({ locationId: 'l1' }) });
      const select = screen.getByLabelText('Location') as HTMLSelectElement;
      expect(select.value).toBe('l1');
      expect([...select.options].map((o) => o.text)).toEqual(['No location', 'Leeds', 'York']);
      fireEvent.change(select, { target: { value: 'l2' } });
      click('Continue');
      click('Yes, move 1 user to York');
      await waitFor(() =>
        expect(runAction).toHaveBeenCalledWith({ action: 'set-location', locationId: 'l2' }, { userIds: ['u1', 'u2', 'u3'] }),
      );
    });

    it('clears the location with No location', async () => {
      const { runAction } = open({ choice: 'set-location' });
      click('Continue');
      click('Yes, clear the location of 3 users');
      await waitFor(() =>
        expect(runAction).toHaveBeenCalledWith({ action: 'set-location', locationId: null }, expect.anything()),
      );
    });
  });

  describe('the role step', () => {
    it('gives learner, admin or owner, starting from the other role of one user', async () => {
      const { runAction } = open({ choice: 'set-role', count: 1, user: makeUser({ role: 'learner' }) });
      const select = screen.getByLabelText('Role') as HTMLSelectElement;
      expect([...select.options].map((o) => o.text)).toEqual(['Learner', 'Admin', 'Owner']);
      expect(select.value).toBe('admin');
      expect(screen.queryByText(/Owners can do everything/)).toBeNull();
      click('Continue');
      expect(screen.getByRole('dialog', { name: 'Give Ada Lovelace the Admin role?' })).toBeTruthy();
      click('Yes, give 1 user the Admin role');
      expect(await screen.findByText('1 user given the Admin role')).toBeTruthy();
      expect(runAction).toHaveBeenCalledWith({ action: 'set-role', role: 'admin' }, expect.anything());
    });

    it('warns what owners can do before making one, and takes an owner down to admin', async () => {
      const { runAction } = open({ choice: 'set-role', count: 1, user: makeUser({ role: 'owner' }) });
      const select = screen.getByLabelText('Role') as HTMLSelectElement;
      expect(select.value).toBe('admin');
      fireEvent.change(select, { target: { value: 'owner' } });
      const warning = screen.getByText(/Owners can do everything/);
      expect(select.getAttribute('aria-describedby')).toBe(warning.id);
      click('Continue');
      click('Yes, give 1 user the Owner role');
      expect(await screen.findByText('1 user given the Owner role')).toBeTruthy();
      expect(runAction).toHaveBeenCalledWith({ action: 'set-role', role: 'owner' }, expect.anything());
    });
  });

  it('sets a due date for the selection: courses and date, then the confirmation naming them', async () => {
    const { runAction } = open({ choice: 'set-due-date' });
    screen.getByRole('dialog', { name: 'Set the due date of 3 users' });
    fireEvent.click(screen.getByLabelText('Fire safety'));
    fireEvent.change(screen.getByLabelText('New due date'), { target: { value: '2027-05-31' } });
    click('Continue');
    click('Yes, set Fire safety due 31 May 2027 for 3 users');
    await screen.findByRole('dialog', { name: 'Set due date finished' });
    expect(runAction).toHaveBeenCalledWith(
      { action: 'set-due-date', courseIds: ['c1'], dueAt: '2027-05-31T23:59:59Z' },
      { userIds: ['u1', 'u2', 'u3'] },
    );
  });

  it('archives the course activity of the selection after saying what is kept', async () => {
    const { runAction } = open({ choice: 'archive-activity' });
    fireEvent.click(screen.getByLabelText('Fire safety'));
    click('Continue');
    const dialog = screen.getByRole('dialog', { name: 'Archive the Fire safety activity of 3 users?' });
    expect(within(dialog).getByText(/kept in training records, marked archived/)).toBeTruthy();
    click('Yes, archive the Fire safety activity of 3 users');
    await screen.findByRole('dialog', { name: 'Archive course activity finished' });
    expect(runAction).toHaveBeenCalledWith({ action: 'archive-activity', courseIds: ['c1'] }, { userIds: ['u1', 'u2', 'u3'] });
  });
});
