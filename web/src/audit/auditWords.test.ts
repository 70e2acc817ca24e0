import { describe, expect, it } from 'vitest';
import { makeEntry } from '../test/fakeApi';
import { actorName, auditNames, changeWords, entryVerb, shownChanges, valueText } from './auditWords';

const names = auditNames({
  groups: [
    { id: 'g1', name: 'Night shift', createdAt: '', version: 1 },
    { id: 'g2', name: 'Kitchen', createdAt: '', version: 1 },
  ],
  locations: [{ id: 'l1', name: 'Leeds', createdAt: '', version: 1 }],
  loaded: true,
});

describe('entryVerb', () => {
  it('names the action, and reads what an update did from its changes', () => {
    expect(entryVerb(makeEntry({ action: 'user.created' }))).toBe('added');
    expect(entryVerb(makeEntry({ action: 'user.archived' }))).toBe('archived');
    expect(entryVerb(makeEntry({ action: 'user.deleted' }))).toBe('permanently deleted');
    const update = (changes: { field: string; from: string; to: string }[]) => entryVerb(makeEntry({ changes }));
    expect(update([{ field: 'state', from: 'pending', to: 'activated' }, { field: 'approvedAt', from: '', to: 't' }])).toBe(
      'approved',
    );
    expect(
      update([
        { field: 'approvedAt', from: '', to: 't' },
        { field: 'notifiedAt', from: '', to: 't' },
      ]),
    ).toBe('approved and notified');
    expect(update([{ field: 'state', from: 'active', to: 'deactivated' }])).toBe('deactivated');
    expect(update([{ field: 'state', from: 'deactivated', to: 'active' }])).toBe('activated');
    expect(update([{ field: 'notifiedAt', from: '', to: 't' }])).toBe('notified');
    expect(update([{ field: 'lastName', from: 'A', to: 'B' }])).toBe('changed');
  });

  it('leaves out the changes the verb already tells', () => {
    const archived = makeEntry({
      action: 'user.archived',
      changes: [{ field: 'archivedAt', from: '', to: '2026-03-03T14:02:00Z' }],
    });
    expect(shownChanges(archived)).toEqual([]);
  });
});

describe('actorName', () => {
  it('says who, the system, or a deleted user', () => {
    expect(actorName(makeEntry())).toBe('Olive Owner');
    expect(actorName(makeEntry({ actor: null }))).toBe('The system');
    expect(actorName(makeEntry({ actor: { id: 'x', name: null } }))).toBe('A deleted user');
  });
});

describe('changes in words', () => {
  it('shows roles, statuses, locations, days and times as a person reads them', () => {
    expect(valueText('role', 'admin', names)).toBe('Admin');
    expect(valueText('state', 'deactivated', names)).toBe('Deactivated');
    expect(valueText('locationId', 'l1', names)).toBe('Leeds');
    expect(valueText('locationId', 'gone', names)).toBe('a deleted location');
    expect(valueText('expiresAt', '2026-12-31T00:00:00Z', names)).toBe('31 Dec 2026');
    expect(valueText('approvedAt', '2026-03-03T14:02:00Z', names)).toBe('3 Mar 2026 14:02');
    expect(valueText('groupIds', 'g1,g2', names)).toBe('Night shift and Kitchen');
    expect(valueText('email', '', names)).toBe('');
  });

  it('tells the groups joined and left rather than both lists', () => {
    expect(changeWords({ field: 'groupIds', from: 'g1,gone', to: 'g1,g2' }, names)).toEqual({
      kind: 'groups',
      label: 'Groups',
      added: ['Kitchen'],
      removed: ['a deleted group'],
    });
    expect(changeWords({ field: 'lastName', from: 'Johnson', to: 'Hopper' }, names)).toEqual({
      kind: 'value',
      label: 'Last name',
      from: 'Johnson',
      to: 'Hopper',
    });
  });

  it('shows an ellipsis for ids until the names arrive', () => {
    const loading = auditNames({ groups: [], locations: [], loaded: false });
    expect(valueText('locationId', 'l1', loading)).toBe('…');
  });
});
