import { describe, expect, it } from 'vitest';
import { makeUser } from '../test/fakeApi';
import { draftChanges, editFieldOf, hasChanges, toDraft } from './editDraft';

describe('the edit form’s changes', () => {
  const user = makeUser({ locationId: 'l1', groupIds: ['g1', 'g2'], expiresAt: '2026-12-31T00:00:00Z', userId: 'A1' });

  it('is empty when nothing changed, whatever the order of the groups', () => {
    const draft = { ...toDraft(user), groupIds: ['g2', 'g1'], firstName: ' Ada ' };
    expect(hasChanges(draftChanges(user, draft))).toBe(false);
  });

  it('sends only what changed, trimmed, and null for what was cleared', () => {
    const draft = { ...toDraft(user), lastName: ' Byron ', userId: '', locationId: '', groupIds: ['g1'], expiresOn: '' };
    expect(draftChanges(user, draft)).toEqual({
      lastName: 'Byron',
      userId: null,
      locationId: null,
      groupIds: ['g1'],
      expiresAt: null,
    });
    expect(draftChanges(user, { ...toDraft(user), expiresOn: '2027-01-15' })).toEqual({ expiresAt: '2027-01-15' });
  });

  it('gives and takes the owner role like any other', () => {
    expect(draftChanges(user, { ...toDraft(user), role: 'owner' })).toEqual({ role: 'owner' });
    const owner = makeUser({ role: 'owner' });
    expect(draftChanges(owner, { ...toDraft(owner), role: 'learner' })).toEqual({ role: 'learner' });
  });

  it('maps the API’s field names to the form’s', () => {
    expect(editFieldOf('expiresAt')).toBe('expiresOn');
    expect(editFieldOf('email')).toBe('email');
    expect(editFieldOf('version')).toBeUndefined();
    expect(editFieldOf(undefined)).toBeUndefined();
  });
});
