import { describe, expect, it } from 'vitest';
import { STATUSES, type BulkAction, type Status } from '../api/types';
import { STATUS_ACTIONS } from '../generated/statusActions';
import { makeUser } from '../test/fakeApi';
import { bulkChoices, choiceLabel, rowChoices, rowEmptyText, type Viewer } from './actions';

const owner: Viewer = { id: 'me', role: 'owner' };
const admin: Viewer = { id: 'me', role: 'admin' };
const everything = { groupCount: 2, hasLocations: true };

function choicesFor(status: Status, changes = {}, viewer = owner, context = everything) {
  return rowChoices(makeUser({ status, groupIds: ['g1'], ...changes }), viewer, context);
}

describe('rowChoices', () => {
  it('offers, in each status, only what the state machine would do', () => {
    const membership = ['add-to-groups', 'remove-from-groups', 'set-location', 'set-role', 'assign-courses'];
    expect(choicesFor('pending')).toEqual([
      'approve',
      'approve-notify',
      'deactivate',
      'set-expiration',
      ...membership,
      'archive',
    ]);
    expect(choicesFor('activated')).toEqual(['notify', 'deactivate', 'set-expiration', ...membership, 'archive']);
    expect(choicesFor('active')).toEqual(['notify', 'deactivate', 'set-expiration', ...membership, 'archive']);
    expect(choicesFor('deactivated')).toEqual(['activate', 'set-expiration', ...membership, 'archive']);
    // Activate is refused for an expired user: the way back is a later expiration date.
    expect(choicesFor('expired')).toEqual(['deactivate', 'set-expiration', ...membership, 'archive']);
    expect(choicesFor('archived')).toEqual(['unarchive']);
  });

  it('offers a user who has everything exactly what the state table does in their status', () => {
    const everyThing = { courses: [{ courseId: 'c1', dueAt: null }], locationId: 'l1' };
    for (const status of STATUSES) {
      const offered = choicesFor(status, everyThing).map((c): BulkAction => (c === 'approve-notify' ? 'approve' : c));
      expect([...new Set(offered)].sort(), status).toEqual([...STATUS_ACTIONS[status]].sort());
    }
  });

  it('emails only users with an email address', () => {
    expect(choicesFor('pending', { email: null, userId: 'AT-7' })).not.toContain('approve-notify');
    expect(choicesFor('pending', { email: null, userId: 'AT-7' })).toContain('approve');
    expect(choicesFor('active', { email: null, userId: 'AT-7' })).not.toContain('notify');
  });

  it('says Resend invitation once one was sent', () => {
    expect(choiceLabel('notify', makeUser({ notifiedAt: null }))).toBe('Notify');
    expect(choiceLabel('notify', makeUser({ notifiedAt: '2026-03-03T10:00:00Z' }))).toBe('Resend invitation');
    expect(choiceLabel('set-expiration')).toBe('Set expiration…');
  });

  it('leaves out groups and locations the organization does not have, and groups the user is not in', () => {
    const none = { groupCount: 0, hasLocations: false };
    expect(choicesFor('active', { groupIds: [] }, owner, none)).toEqual([
      'notify',
      'deactivate',
      'set-expiration',
      'set-role',
      'assign-courses',
      'archive',
    ]);
    expect(choicesFor('active', { groupIds: ['g1', 'g2'] })).not.toContain('add-to-groups');
    expect(choicesFor('active', { groupIds: [], locationId: 'l1' }, owner, none)).toContain('set-location');
  });

  it('lets admins act on learners only, and never change roles', () => {
    expect(choicesFor('active', {}, admin)).not.toContain('set-role');
    expect(choicesFor('active', { role: 'admin' }, admin)).toEqual([]);
    expect(rowEmptyText(makeUser({ role: 'admin' }), admin)).toBe(
      'Only an owner can change an administrator or an owner.',
    );
  });

  it('lets owners change the role of admins and other owners, but not their own', () => {
    expect(choicesFor('active', { role: 'owner' })).toContain('set-role');
    expect(choicesFor('active', { role: 'admin' })).toContain('set-role');
    expect(choicesFor('active', { id: 'me', role: 'owner' })).not.toContain('set-role');
  });

  it('never offers to lock yourself out', () => {
    expect(choicesFor('active', { id: 'me', role: 'owner' })).toEqual([
      'notify',
      'add-to-groups',
      'remove-from-groups',
      'set-location',
      'assign-courses',
    ]);
  });

  it('offers to unassign, set due dates and archive activity only to a user with courses', () => {
    expect(choicesFor('active')).not.toContain('unassign-courses');
    expect(choicesFor('active')).not.toContain('archive-activity');
    expect(choicesFor('active', { courses: [{ courseId: 'c1', dueAt: null }] })).toEqual(
      expect.arrayContaining(['unassign-courses', 'set-due-date', 'archive-activity']),
    );
    expect(choicesFor('archived', { courses: [{ courseId: 'c1', dueAt: null }] })).toEqual(['unarchive']);
  });
});

describe('bulkChoices', () => {
  it('offers every action, unarchive when archived users can be listed, and roles to owners', () => {
    expect(bulkChoices(owner, true)).toHaveLength(16);
    expect(bulkChoices(admin, true)).toContain('set-due-date');
    expect(bulkChoices(admin, true)).toContain('archive-activity');
    expect(bulkChoices(owner, false)).not.toContain('unarchive');
    expect(bulkChoices(admin, true)).not.toContain('set-role');
    expect(bulkChoices(admin, true)).toContain('approve-notify');
  });
});
