import type { Role, Status, User } from '../api/types';

export const STATUS_LABELS: Record<Status, string> = {
  pending: 'Pending',
  activated: 'Activated',
  active: 'Active',
  deactivated: 'Deactivated',
  expired: 'Expired',
  archived: 'Archived',
};

export const ROLE_LABELS: Record<Role, string> = {
  learner: 'Learner',
  admin: 'Admin',
  owner: 'Owner',
};

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

/** "4 Mar 2025"; the empty string when there is no date or it cannot be read. */
export function formatDate(timestamp: string | null): string {
  if (!timestamp) return '';
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? '' : dateFormat.format(date);
}

export function fullName(user: Pick<User, 'firstName' | 'lastName'>): string {
  return `${user.firstName} ${user.lastName}`.trim();
}

/** What the user signs in with: the email, else the user ID. */
export function signInName(user: Pick<User, 'email' | 'userId'>): string {
  return user.email ?? user.userId ?? '';
}
