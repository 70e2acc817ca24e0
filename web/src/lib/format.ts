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

/** What giving the owner role hands over, told wherever an owner can give it. */
export const OWNER_WARNING =
  'Owners can do everything: manage admins and other owners, change roles, and delete users for good.';

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "4 Mar 2025"; the empty string when there is no date or it cannot be read. */
export function formatDate(timestamp: string | null): string {
  if (!timestamp) return '';
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? '' : dateFormat.format(date);
}

/** "3 Mar 2026 14:02", in the browser's time zone; '' when there is no time or it cannot be read. */
export function formatDateTime(timestamp: string | null): string {
  if (!timestamp) return '';
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? '' : `${dateFormat.format(date)} ${timeFormat.format(date)}`;
}

export function fullName(user: Pick<User, 'firstName' | 'lastName'>): string {
  return `${user.firstName} ${user.lastName}`.trim();
}

/** What the user signs in with: the email, else the user ID. */
export function signInName(user: Pick<User, 'email' | 'userId'>): string {
  return user.email ?? user.userId ?? '';
}

const dayFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/**
 * "31 Dec 2026" for a day as the API takes it (2026-12-31) or a timestamp at its
 * start: days are UTC on the server, so they are shown in UTC, whatever the browser's zone.
 */
export function formatDay(day: string | null): string {
  if (!day) return '';
  const date = new Date(day.length === 10 ? `${day}T00:00:00Z` : day);
  return Number.isNaN(date.getTime()) ? '' : dayFormat.format(date);
}

/** The day part (2026-12-31) of a timestamp, in UTC, for a date input; '' when there is none. */
export function toDay(timestamp: string | null): string {
  if (!timestamp) return '';
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10);
}

const listFormat = new Intl.ListFormat('en-GB', { style: 'long', type: 'conjunction' });

/** "Leeds", "Leeds and York", "Leeds, York and Hull". */
export function joinList(items: readonly string[]): string {
  return listFormat.format(items);
}
