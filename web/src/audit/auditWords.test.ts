import { describe, expect, it } from 'vitest';
import { makeEntry } from '../test/fakeApi';
import { actorName, auditNames, changeWords, entryVerb, shownChanges, summaryWords, valueText } from './auditWords';

const names = auditNames({
  groups: [
    { id: 'g1', name: 'Night shift', createdAt: '', version: 1 },
    { id: 'g2', name: 'Kitchen', createdAt: '', version: 1 },
  ],
  locations: [{ id: 'l1', name: 'Leeds', createdAt: '', version: 1 }],
  loaded: true,
  courseName: (id) => ({ c1: 'Fire safety' })[id] ?? 'Unknown course',
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

  it('names what was done to a course, and leaves out the retirement date it tells', () => {
    expect(entryVerb(makeEntry({ action: 'course.created' }))).toBe('added the course');
    expect(entryVerb(makeEntry({ action: 'course.updated' }))).toBe('changed the course');
    const retired = makeEntry({ action: 'course.retired', changes: [{ field: 'retiredAt', from: '', to: '2026-03-03T14:02:00Z' }] });
    expect(entryVerb(retired)).toBe('retired the course');
    expect(shownChanges(retired)).toEqual([]);
    expect(changeWords({ field: 'seats', from: '10', to: '15' }, names)).toEqual({
      kind: 'value',
      label: 'Seats bought',
      from: '10',
      to: '15',
    });
  });

  it('leaves out the changes the verb already tells', () => {
    const archived = makeEntry({
      action: 'user.archived',
      changes: [{ field: 'archivedAt', from: '', to: '2026-03-03T14:02:00Z' }],
    });
    expect(shownChanges(archived)).toEqual([]);
  });
});

describe('sessions and one-time passwords', () => {
  const ada = { id: 'u1', name: 'Ada Lovelace' };
  const ended = { field: 'sessionsEndedAt', from: '', to: '2026-03-03T14:02:00Z' };
  const setOneTime = { field: 'passwordChangeRequired', from: '', to: 'true' };
  const clearOneTime = { field: 'passwordChangeRequired', from: 'true', to: '' };

  it('says the person signed out everywhere, or set a new password over a one-time one', () => {
    const own = (changes: { field: string; from: string; to: string }[]) =>
      summaryWords(makeEntry({ actor: ada, target: ada, changes }));
    expect(own([ended])).toEqual({ words: 'signed out everywhere', target: false });
    expect(own([ended, clearOneTime])).toEqual({ words: 'set a new password', target: false });
    expect(shownChanges(makeEntry({ actor: ada, target: ada, changes: [ended, clearOneTime] }))).toEqual([]);
  });

  it('says an admin set a one-time password for the user, or ended their sessions', () => {
    expect(summaryWords(makeEntry({ changes: [ended, setOneTime] }))).toEqual({
      words: 'set a one-time password for',
      target: true,
    });
    expect(summaryWords(makeEntry({ changes: [ended] }))).toEqual({ words: 'ended the sessions of', target: true });
    expect(shownChanges(makeEntry({ changes: [ended, setOneTime] }))).toEqual([]);
  });

  it('lists them as fields when the entry changed more', () => {
    const mixed = makeEntry({ changes: [{ field: 'lastName', from: 'A', to: 'B' }, ended, setOneTime] });
    expect(entryVerb(mixed)).toBe('changed');
    expect(shownChanges(mixed)).toHaveLength(3);
    expect(changeWords(setOneTime, names)).toEqual({ kind: 'value', label: 'Must change password', from: 'No', to: 'Yes' });
    expect(changeWords(clearOneTime, names)).toEqual({ kind: 'value', label: 'Must change password', from: 'Yes', to: 'No' });
    expect(changeWords(ended, names)).toEqual({ kind: 'value', label: 'Sessions ended', from: '', to: '3 Mar 2026 14:02' });
  });
});

describe('summaryWords', () => {
  it('names the target after the verb, but not for a change to one’s own account', () => {
    const ada = { id: 'u1', name: 'Ada Lovelace' };
    expect(summaryWords(makeEntry({ action: 'user.archived' }))).toEqual({ words: 'archived', target: true });
    expect(summaryWords(makeEntry({ action: 'user.created', actor: ada, target: ada }))).toEqual({
      words: 'registered',
      target: false,
    });
    expect(
      summaryWords(makeEntry({ actor: ada, target: ada, changes: [{ field: 'lastName', from: 'A', to: 'B' }] })),
    ).toEqual({ words: 'changed their own account', target: false });
    expect(summaryWords(makeEntry({ action: 'user.created', actor: null }))).toEqual({ words: 'added', target: true });
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

  it('tells the courses assigned and unassigned, and due dates by course', () => {
    expect(changeWords({ field: 'courseIds', from: 'c1,c9', to: 'c9' }, names)).toEqual({
      kind: 'courses',
      label: 'Courses',
      added: [],
      removed: ['Fire safety'],
    });
    expect(valueText('courseDueDates', 'c1=2026-12-01', names)).toBe('Fire safety by 1 Dec 2026');
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

  it('says which course a learner started or completed, in their own words', () => {
    const ada = { id: 'u1', name: 'Ada Lovelace' };
    const completed = makeEntry({ actor: ada, target: ada, changes: [{ field: 'courseCompleted', from: '', to: 'c1' }] });
    expect(summaryWords(completed)).toEqual({ words: 'completed a course', target: false });
    const started = makeEntry({
      actor: ada,
      target: ada,
      changes: [
        { field: 'state', from: 'activated', to: 'active' },
        { field: 'courseStarted', from: '', to: 'c1' },
      ],
    });
    expect(summaryWords(started)).toEqual({ words: 'started a course', target: false });
    expect(changeWords({ field: 'courseCompleted', from: '', to: 'c1' }, names)).toEqual({
      kind: 'value',
      label: 'Course completed',
      from: '',
      to: 'Fire safety',
    });
  });

  it('shows an ellipsis for ids until the names arrive', () => {
    const loading = auditNames({ groups: [], locations: [], loaded: false });
    expect(valueText('locationId', 'l1', loading)).toBe('…');
  });
});
