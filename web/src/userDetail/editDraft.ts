import type { Role, User, UserChanges } from '../api/types';
import { toDay } from '../lib/format';

/** The edit form's values, as its controls hold them. */
export interface EditDraft {
  firstName: string;
  lastName: string;
  email: string;
  userId: string;
  role: Role;
  /** '' for no location. */
  locationId: string;
  groupIds: string[];
  /** A day (2026-12-31), '' for no expiration. */
  expiresOn: string;
}

export type EditField = keyof EditDraft;

/** Labels by the API's field names (expiresOn's is expiresAt's), which name the form's controls too. */
export const EDIT_LABELS: Record<EditField, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  email: 'Email',
  userId: 'User ID',
  role: 'Role',
  locationId: 'Location',
  groupIds: 'Groups',
  expiresOn: 'Expiration date',
};

/** The form field an API error names: the API says expiresAt where the form says expiresOn. */
export function editFieldOf(apiField: string | undefined): EditField | undefined {
  if (apiField === 'expiresAt') return 'expiresOn';
  return apiField !== undefined && apiField in EDIT_LABELS ? (apiField as EditField) : undefined;
}

export function toDraft(user: User): EditDraft {
  return {
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email ?? '',
    userId: user.userId ?? '',
    role: user.role,
    locationId: user.locationId ?? '',
    groupIds: user.groupIds,
    expiresOn: toDay(user.expiresAt),
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}

/** What the draft changes, without the version: empty when nothing does. Cleared values are sent as null. */
export function draftChanges(user: User, draft: EditDraft): Omit<UserChanges, 'version'> {
  const changes: Omit<UserChanges, 'version'> = {};
  const before = toDraft(user);
  const firstName = draft.firstName.trim();
  const lastName = draft.lastName.trim();
  const email = draft.email.trim();
  const userId = draft.userId.trim();
  if (firstName !== before.firstName) changes.firstName = firstName;
  if (lastName !== before.lastName) changes.lastName = lastName;
  if (email !== before.email) changes.email = email || null;
  if (userId !== before.userId) changes.userId = userId || null;
  if (draft.role !== before.role) changes.role = draft.role;
  if (draft.locationId !== before.locationId) changes.locationId = draft.locationId || null;
  if (!sameSet(draft.groupIds, before.groupIds)) changes.groupIds = draft.groupIds;
  if (draft.expiresOn !== before.expiresOn) changes.expiresAt = draft.expiresOn || null;
  return changes;
}

export function hasChanges(changes: object): boolean {
  return Object.keys(changes).length > 0;
}
