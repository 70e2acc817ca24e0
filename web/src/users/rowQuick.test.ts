import { describe, expect, it } from 'vitest';
import type { BulkResult } from '../api/types';
import { actionWords } from './actionWords';
import type { MenuEntry } from '../ui/MenuButton';
import { isQuick, offersActivate, rowGroupChoices, rowNotice, statusControl, undoOf, withGroupSubmenus } from './rowQuick';

const names = { groupName: (id: string) => (id === 'g1' ? 'Night shift' : id), locationName: (id: string) => id, courseName: (id: string) => id };
const owner = { id: 'me', role: 'owner' as const };
const admin = { id: 'me', role: 'admin' as const };

describe('row actions', () => {
  it('runs the actions that need nothing more at once, and asks for the others', () => {
    expect(isQuick('deactivate')).toBe(true);
    expect(isQuick('archive')).toBe(true);
    expect(isQuick('add-to-groups')).toBe(false);
    expect(isQuick('set-role')).toBe(false);
  });

  it('undoes deactivate with activate, archive with unarchive, adding to groups by removing from them', () => {
    expect(undoOf({ action: 'deactivate' })).toEqual({ action: 'activate' });
    expect(undoOf({ action: 'activate' })).toEqual({ action: 'deactivate' });
    expect(undoOf({ action: 'archive' })).toEqual({ action: 'unarchive' });
    expect(undoOf({ action: 'unarchive' })).toEqual({ action: 'archive' });
    expect(undoOf({ action: 'add-to-groups', groupIds: ['g1'] })).toEqual({ action: 'remove-from-groups', groupIds: ['g1'] });
    expect(undoOf({ action: 'remove-from-groups', groupIds: ['g1'] })).toEqual({ action: 'add-to-groups', groupIds: ['g1'] });
    expect(undoOf({ action: 'notify' })).toBeNull();
    expect(undoOf({ action: 'approve' })).toBeNull();
  });

  it('says what happened to the user, or why nothing did', () => {
    const done: BulkResult = { action: 'deactivate', total: 1, done: 1, skipped: 0, failed: 0, results: [{ id: 'u1', outcome: 'done' }] };
    expect(rowNotice(actionWords({ action: 'deactivate' }, names), 'Ada Lovelace', done)).toEqual({
      tone: 'success',
      text: 'Ada Lovelace deactivated.',
      done: true,
    });
    expect(rowNotice(actionWords({ action: 'add-to-groups', groupIds: ['g1'] }, names), 'Ada Lovelace', { ...done, action: 'add-to-groups' }).text).toBe(
      'Ada Lovelace added to Night shift.',
    );
    const skipped: BulkResult = { action: 'activate', total: 1, done: 0, skipped: 1, failed: 0, results: [{ id: 'u1', outcome: 'skipped', reason: 'expired' }] };
    expect(rowNotice(actionWords({ action: 'activate' }, names), 'Ada Lovelace', skipped)).toEqual({
      tone: 'warning',
      text: 'Ada Lovelace was not changed: expired',
      done: false,
    });
  });
});

describe('statusControl', () => {
  const user = (status: 'pending' | 'activated' | 'active' | 'deactivated' | 'expired' | 'archived', role: 'learner' | 'admin' = 'learner') => ({
    id: 'u1',
    status,
    role,
  });

  it('is green with access and deactivates; gray without and activates', () => {
    expect(statusControl(user('active'), owner)).toMatchObject({ tone: 'on', action: 'deactivate' });
    expect(statusControl(user('activated'), owner)).toMatchObject({ tone: 'on', action: 'deactivate' });
    expect(statusControl(user('deactivated'), owner)).toMatchObject({ tone: 'off', action: 'activate' });
  });

  it('never offers Activate to an expired user, and only shows pending and archived users', () => {
    expect(statusControl(user('expired'), owner)).toMatchObject({ tone: 'expired', action: null });
    expect(statusControl(user('expired'), owner).state).toMatch(/expiration date/);
    expect(statusControl(user('pending'), owner).action).toBeNull();
    expect(statusControl(user('archived'), owner).action).toBeNull();
  });

  it('offers nothing on oneself, nor to an admin on another admin', () => {
    expect(statusControl({ ...user('active'), id: 'me' }, owner).action).toBeNull();
    expect(statusControl(user('active', 'admin'), admin).action).toBeNull();
    expect(statusControl(user('active', 'admin'), owner).action).toBe('deactivate');
  });
});

describe('offersActivate', () => {
  it('hides Activate for a selection of expired users only, or a filter on Expired', () => {
    expect(offersActivate(['expired', 'expired'], undefined)).toBe(false);
    expect(offersActivate(['expired', 'deactivated'], undefined)).toBe(true);
    expect(offersActivate(null, undefined)).toBe(true);
    expect(offersActivate(null, 'expired')).toBe(false);
  });
});

describe('the row menu\'s group submenus', () => {
  const groups = [
    { id: 'g1', name: 'Night shift' },
    { id: 'g2', name: 'kitchen' },
    { id: 'g3', name: 'Drivers' },
  ];

  it('lists the groups the user is not in to add, by name, each with its one-group request', () => {
    expect(rowGroupChoices('add-to-groups', { groupIds: ['g1'] }, groups)).toEqual([
      { id: 'g3', name: 'Drivers', request: { action: 'add-to-groups', groupIds: ['g3'] } },
      { id: 'g2', name: 'kitchen', request: { action: 'add-to-groups', groupIds: ['g2'] } },
    ]);
  });

  it('lists the groups the user is in to remove, an unknown one by its id', () => {
    expect(rowGroupChoices('remove-from-groups', { groupIds: ['g1', 'gx'] }, groups)).toEqual([
      { id: 'gx', name: 'gx', request: { action: 'remove-from-groups', groupIds: ['gx'] } },
      { id: 'g1', name: 'Night shift', request: { action: 'remove-from-groups', groupIds: ['g1'] } },
    ]);
    expect(rowGroupChoices('remove-from-groups', { groupIds: [] }, groups)).toEqual([]);
  });

  it('whose request Undo takes back with the opposite one', () => {
    const [first] = rowGroupChoices('add-to-groups', { groupIds: [] }, groups);
    expect(undoOf(first!.request)).toEqual({ action: 'remove-from-groups', groupIds: ['g3'] });
  });

  it('turns Add to groups… and Remove from groups… into submenus whose entries run at once', () => {
    const ran: unknown[] = [];
    const entry = (key: string, label: string): MenuEntry => ({ key, label, onSelect: () => ran.push(key) });
    const entries = withGroupSubmenus(
      [entry('deactivate', 'Deactivate'), entry('add-to-groups', 'Add to groups…'), entry('remove-from-groups', 'Remove from groups…')],
      { groupIds: ['g2'] },
      groups,
      (request) => ran.push(request),
    );
    expect(entries.map((e) => [e.label, e.submenu?.map((s) => s.label)])).toEqual([
      ['Deactivate', undefined],
      ['Add to group', ['Drivers', 'Night shift']],
      ['Remove from group', ['kitchen']],
    ]);
    entries[1]!.submenu![1]!.onSelect();
    expect(ran).toEqual([{ action: 'add-to-groups', groupIds: ['g1'] }]);
  });

  it('leaves the entry as it was (a window) when there is no group to list', () => {
    const entries = withGroupSubmenus([{ key: 'add-to-groups', label: 'Add to groups…', onSelect: () => {} }], { groupIds: [] }, [], () => {});
    expect(entries[0]).toMatchObject({ label: 'Add to groups…' });
    expect(entries[0]!.submenu).toBeUndefined();
  });
});
