import type { User } from '../api/types';
import type { MenuEntry } from '../ui/MenuButton';
import { canManage, choiceGroup, type ActionChoice, type Viewer } from '../users/actions';

/** What an administrator can do about a user's password. */
export type PasswordChoice = 'send-reset' | 'one-time-password';

export const PASSWORD_CHOICE_LABELS: Record<PasswordChoice, string> = {
  'send-reset': 'Send password reset…',
  'one-time-password': 'Set one-time password…',
};

const HAS_ACCESS = new Set<User['status']>(['activated', 'active']);

/**
 * The password choices for a user: only for someone with access whom the viewer
 * manages, never for the viewer (who changes their own from the account menu);
 * a reset link needs an email address, a one-time password does not.
 */
export function passwordChoices(user: User, viewer: Viewer): PasswordChoice[] {
  if (user.id === viewer.id || !canManage(viewer, user) || !HAS_ACCESS.has(user.status)) return [];
  return user.email ? ['send-reset', 'one-time-password'] : ['one-time-password'];
}

/**
 * The entries of an actions menu with the password entries as their own group,
 * after the access actions (approve, notify, deactivate, expiration) and before the rest.
 */
export function withPasswordEntries(
  actionEntries: readonly MenuEntry[],
  actionChoices: readonly ActionChoice[],
  passwordEntries: readonly MenuEntry[],
): MenuEntry[] {
  if (passwordEntries.length === 0) return [...actionEntries];
  const at = actionChoices.filter((choice) => choiceGroup(choice) === 'access').length;
  const after = actionEntries.slice(at);
  return [
    ...actionEntries.slice(0, at),
    ...passwordEntries.map((entry, i) => ({ ...entry, groupStart: i === 0 && at > 0 })),
    ...after.map((entry, i) => (i === 0 ? { ...entry, groupStart: true } : entry)),
  ];
}
