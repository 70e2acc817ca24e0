import { describe, expect, it } from 'vitest';
import type { Status } from '../api/types';
import { makeUser } from '../test/fakeApi';
import type { MenuEntry } from '../ui/MenuButton';
import { passwordChoices, withPasswordEntries } from './passwordChoices';

const owner = { id: 'me', role: 'owner' as const };
const admin = { id: 'me', role: 'admin' as const };

describe('passwordChoices', () => {
  it('offers both to a user with access and an email, and only a one-time password without an email', () => {
    expect(passwordChoices(makeUser(), owner)).toEqual(['send-reset', 'one-time-password']);
    expect(passwordChoices(makeUser({ email: null, userId: 'ada-7' }), owner)).toEqual(['one-time-password']);
  });

  it.each<Status>(['pending', 'deactivated', 'expired', 'archived'])('offers nothing for a user who is %s', (status) => {
    expect(passwordChoices(makeUser({ status }), owner)).toEqual([]);
  });

  it('follows the manage rules, and leaves the viewer their own account menu', () => {
    expect(passwordChoices(makeUser({ role: 'admin' }), admin)).toEqual([]);
    expect(passwordChoices(makeUser({ role: 'admin' }), owner)).toEqual(['send-reset', 'one-time-password']);
    expect(passwordChoices(makeUser({ role: 'learner' }), admin)).toEqual(['send-reset', 'one-time-password']);
    expect(passwordChoices(makeUser({ id: 'me', role: 'owner' }), owner)).toEqual([]);
  });
});

describe('withPasswordEntries', () => {
  const entry = (key: string, groupStart = false): MenuEntry => ({ key, label: key, onSelect: () => {}, groupStart });
  const shape = (entries: MenuEntry[]) => entries.map((e) => `${e.groupStart ? '| ' : ''}${e.key}`);
  const password = [entry('send-reset'), entry('one-time-password')];

  it('puts the password entries as a group after the access actions', () => {
    const entries = [entry('notify'), entry('deactivate'), entry('add-to-groups', true), entry('archive', true)];
    expect(
      shape(withPasswordEntries(entries, ['notify', 'deactivate', 'add-to-groups', 'archive'], password)),
    ).toEqual(['notify', 'deactivate', '| send-reset', 'one-time-password', '| add-to-groups', '| archive']);
  });

  it('starts the menu with them when there is no access action', () => {
    const entries = [entry('add-to-groups'), entry('archive', true)];
    expect(shape(withPasswordEntries(entries, ['add-to-groups', 'archive'], password))).toEqual([
      'send-reset',
      'one-time-password',
      '| add-to-groups',
      '| archive',
    ]);
  });

  it('leaves the menu as it was without them', () => {
    const entries = [entry('notify'), entry('archive', true)];
    expect(shape(withPasswordEntries(entries, ['notify', 'archive'], []))).toEqual(['notify', '| archive']);
  });
});
