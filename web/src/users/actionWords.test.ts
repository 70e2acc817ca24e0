import { describe, expect, it } from 'vitest';
import { actionWords, confirmLabel, todayUtc } from './actionWords';

const names = {
  groupName: (id: string) => ({ g1: 'Night shift', g2: 'Kitchen' })[id] ?? 'Unknown group',
  locationName: (id: string) => ({ l1: 'Leeds' })[id] ?? 'Unknown location',
  courseName: (id: string) => ({ c1: 'Fire safety', c2: 'First aid' })[id] ?? 'Unknown course',
};

describe('confirmLabel', () => {
  it('names the count and the effect', () => {
    expect(confirmLabel({ action: 'archive' }, 1, names)).toBe('Yes, archive 1 user');
    expect(confirmLabel({ action: 'unarchive' }, 3, names)).toBe('Yes, unarchive 3 users');
    expect(confirmLabel({ action: 'deactivate' }, 3, names)).toBe('Yes, deactivate 3 users');
    expect(confirmLabel({ action: 'activate' }, 2, names)).toBe('Yes, activate 2 users');
    expect(confirmLabel({ action: 'approve' }, 1, names)).toBe('Yes, approve 1 user');
    expect(confirmLabel({ action: 'approve', notify: true }, 1, names)).toBe('Yes, approve and notify 1 user');
    expect(confirmLabel({ action: 'notify' }, 1200, names)).toBe('Yes, notify 1,200 users');
  });

  it('names the parameters', () => {
    expect(confirmLabel({ action: 'add-to-groups', groupIds: ['g1'] }, 3, names)).toBe(
      'Yes, add 3 users to Night shift',
    );
    expect(confirmLabel({ action: 'remove-from-groups', groupIds: ['g1', 'g2'] }, 1, names)).toBe(
      'Yes, remove 1 user from Night shift and Kitchen',
    );
    expect(confirmLabel({ action: 'set-expiration', expiresAt: '2026-12-31' }, 2, names)).toBe(
      'Yes, set 2 users to expire on 31 Dec 2026',
    );
    expect(confirmLabel({ action: 'set-expiration', expiresAt: null }, 2, names)).toBe(
      'Yes, clear the expiration date of 2 users',
    );
    expect(confirmLabel({ action: 'set-location', locationId: 'l1' }, 4, names)).toBe('Yes, move 4 users to Leeds');
    expect(confirmLabel({ action: 'set-location', locationId: null }, 4, names)).toBe(
      'Yes, clear the location of 4 users',
    );
    expect(confirmLabel({ action: 'set-role', role: 'admin' }, 1, names)).toBe('Yes, give 1 user the Admin role');
    expect(
      confirmLabel(
        { action: 'assign-courses', courseIds: ['c1', 'c2'], dueAt: '2027-01-31T23:59:59Z', whenShort: 'fit' },
        5,
        names,
      ),
    ).toBe('Yes, assign Fire safety and First aid to 5 users, due 31 Jan 2027');
    expect(confirmLabel({ action: 'unassign-courses', courseIds: ['c1'] }, 1, names)).toBe(
      'Yes, unassign Fire safety from 1 user',
    );
  });
});

describe('actionWords', () => {
  it('warns what owners can do, and that the last owner stays one', () => {
    expect(actionWords({ action: 'set-role', role: 'owner' }, names).effect).toBe(
      'Owners can do everything: manage admins and other owners, change roles, and delete users for good.',
    );
    for (const role of ['admin', 'learner'] as const) {
      const { effect } = actionWords({ action: 'set-role', role }, names);
      expect(effect).toContain("The organization's last owner with access stays an owner");
      expect(effect).not.toContain('Owners keep their role');
    }
  });

  it('says what happened to the users it was done to', () => {
    expect(actionWords({ action: 'deactivate' }, names).done('3 users')).toBe('3 users deactivated');
    expect(actionWords({ action: 'set-location', locationId: null }, names).done('1 user')).toBe(
      'Location cleared for 1 user',
    );
  });

  it('warns that a date that has begun takes access away at once', () => {
    const past = actionWords({ action: 'set-expiration', expiresAt: '2020-01-01' }, names);
    expect(past.effect).toMatch(/lose access at once/);
    const future = actionWords({ action: 'set-expiration', expiresAt: '2999-01-01' }, names);
    expect(future.effect).toMatch(/^From 1 Jan 2999 \(UTC\)/);
  });

  it('counts days in UTC', () => {
    expect(todayUtc(new Date('2026-03-03T23:30:00-05:00'))).toBe('2026-03-04');
  });
});
