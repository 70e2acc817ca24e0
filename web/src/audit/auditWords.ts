import {
  ROLES,
  STATUSES,
  type AuditAction,
  type AuditEntry,
  type FieldChange,
  type NamedItem,
  type Role,
  type Status,
} from '../api/types';
import { ROLE_LABELS, STATUS_LABELS, formatDateTime, formatDay, joinList } from '../lib/format';

/** Names of the organization's groups and locations by id; undefined for one that no longer exists. */
export interface AuditNames {
  groupName: (id: string) => string | undefined;
  locationName: (id: string) => string | undefined;
  /** Names a course a learner started or completed; undefined until the courses arrive. */
  courseName?: (id: string) => string | undefined;
}

/**
 * Names from the organization's lists. Until they arrive an id reads as an
 * ellipsis; once they have, an id not among them belongs to something deleted.
 */
export function auditNames(lists: {
  groups: NamedItem[];
  locations: NamedItem[];
  loaded: boolean;
  courseName?: (id: string) => string;
}): AuditNames {
  const groups = new Map(lists.groups.map((g) => [g.id, g.name]));
  const locations = new Map(lists.locations.map((l) => [l.id, l.name]));
  const pending = lists.loaded ? undefined : '…';
  return {
    groupName: (id) => groups.get(id) ?? pending,
    locationName: (id) => locations.get(id) ?? pending,
    courseName: (id) => (lists.loaded ? lists.courseName?.(id) : pending),
  };
}

/** What a field of an audit entry is called, by its name in the API. */
export const FIELD_LABELS: Record<string, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  email: 'Email',
  userId: 'User ID',
  role: 'Role',
  state: 'Status',
  locationId: 'Location',
  groupIds: 'Groups',
  courseIds: 'Courses',
  courseDueDates: 'Due dates',
  expiresAt: 'Expiration',
  approvedAt: 'Approved',
  notifiedAt: 'Invitation sent',
  archivedAt: 'Archived',
  sessionsEndedAt: 'Sessions ended',
  passwordChangeRequired: 'Must change password',
  name: 'Name',
  retakeMonths: 'Retake every (months)',
  seats: 'Seats bought',
  retiredAt: 'Retired',
  courseStarted: 'Course started',
  courseCompleted: 'Course completed',
};

/** The actions as a person names them, for the filter and the entries. */
export const ACTION_LABELS: Record<AuditAction, string> = {
  'user.created': 'Added',
  'user.updated': 'Changed',
  'user.archived': 'Archived',
  'user.unarchived': 'Unarchived',
  'user.deleted': 'Deleted',
  'course.created': 'Course added',
  'course.updated': 'Course changed',
  'course.retired': 'Course retired',
  'course.restored': 'Course restored',
};

const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
const isStatus = (value: string): value is Status => (STATUSES as readonly string[]).includes(value);

function find(changes: readonly FieldChange[], field: string): FieldChange | undefined {
  return changes.find((change) => change.field === field);
}

/** Fields whose change the verb already tells ("approved", "archived"): listing them again says nothing. */
const TOLD_BY_VERB: Record<string, readonly string[]> = {
  approved: ['approvedAt'],
  'approved and notified': ['approvedAt', 'notifiedAt'],
  notified: ['notifiedAt'],
  archived: ['archivedAt'],
  unarchived: ['archivedAt'],
  'signed out everywhere': ['sessionsEndedAt'],
  'ended the sessions of': ['sessionsEndedAt'],
  'set a new password': ['sessionsEndedAt', 'passwordChangeRequired'],
  'set a one-time password for': ['sessionsEndedAt', 'passwordChangeRequired'],
  'retired the course': ['retiredAt'],
  'restored the course': ['retiredAt'],
};

type VerbEntry = Pick<AuditEntry, 'action' | 'changes' | 'actor' | 'target'>;

/** The verb of an update that only ended sessions or set a password; undefined for any other. */
function sessionVerb(changes: readonly FieldChange[], own: boolean): string | undefined {
  const ended = find(changes, 'sessionsEndedAt');
  const mustChange = find(changes, 'passwordChangeRequired');
  if (!ended?.to || changes.length !== (mustChange ? 2 : 1)) return undefined;
  if (mustChange?.to) return 'set a one-time password for';
  // Replacing a one-time password is the only own write that clears it.
  if (mustChange) return own ? 'set a new password' : 'ended the sessions of';
  return own ? 'signed out everywhere' : 'ended the sessions of';
}

/** The verb of an entry: what was done, read from the changes when the action is a plain update. */
export function entryVerb(entry: VerbEntry): string {
  switch (entry.action) {
    case 'user.created':
      return 'added';
    case 'user.archived':
      return 'archived';
    case 'user.unarchived':
      return 'unarchived';
    case 'user.deleted':
      return 'permanently deleted';
    case 'course.created':
      return 'added the course';
    case 'course.updated':
      return 'changed the course';
    case 'course.retired':
      return 'retired the course';
    case 'course.restored':
      return 'restored the course';
    case 'user.updated':
      break;
  }
  const { changes } = entry;
  const sessions = sessionVerb(changes, isOwnChange(entry));
  if (sessions) return sessions;
  const approved = find(changes, 'approvedAt');
  const notified = find(changes, 'notifiedAt');
  const state = find(changes, 'state');
  if (approved && !approved.from && approved.to) return notified?.to ? 'approved and notified' : 'approved';
  if (state?.to === 'deactivated') return 'deactivated';
  if (state?.from === 'deactivated' && state.to) return 'activated';
  if (notified?.to && changes.length === 1) return 'notified';
  if (find(changes, 'courseCompleted')) return 'completed a course';
  if (find(changes, 'courseStarted')) return 'started a course';
  return 'changed';
}

/** The changes worth listing under an entry: those its verb does not already tell. */
export function shownChanges(entry: VerbEntry): FieldChange[] {
  const told = TOLD_BY_VERB[entryVerb(entry)] ?? [];
  return entry.changes.filter((change) => !told.includes(change.field));
}

/** Who did it: their name, "The system", or "A deleted user" once they no longer exist. */
export function actorName(entry: Pick<AuditEntry, 'actor'>): string {
  if (!entry.actor) return 'The system';
  return entry.actor.name ?? 'A deleted user';
}

/** Whether the person changed their own account (self-registration, for one). */
export function isOwnChange(entry: Pick<AuditEntry, 'actor' | 'target'>): boolean {
  return entry.actor !== null && entry.actor.id === entry.target.id;
}

/** Verbs that tell a change to one's own account whole: no "their own account" after them. */
const OWN_VERBS: readonly string[] = ['signed out everywhere', 'set a new password', 'started a course', 'completed a course'];

/**
 * What follows the actor in an entry's summary: the verb, and whether the
 * target comes after it. A person's own change names no target: "registered",
 * "signed out everywhere", "changed their own account".
 */
export function summaryWords(entry: VerbEntry): { words: string; target: boolean } {
  if (!isOwnChange(entry)) return { words: entryVerb(entry), target: true };
  if (entry.action === 'user.created') return { words: 'registered', target: false };
  const verb = entryVerb(entry);
  return { words: OWN_VERBS.includes(verb) ? verb : `${verb} their own account`, target: false };
}

function splitIds(value: string): string[] {
  return value ? value.split(',').filter(Boolean) : [];
}

/** One value of a field in words; '' when there is none. */
export function valueText(field: string, value: string, names: AuditNames): string {
  if (field === 'passwordChangeRequired') return value ? 'Yes' : 'No';
  if (!value) return '';
  switch (field) {
    case 'role':
      return isRole(value) ? ROLE_LABELS[value] : value;
    case 'state':
      return isStatus(value) ? STATUS_LABELS[value] : value;
    case 'locationId':
      return names.locationName(value) ?? 'a deleted location';
    case 'groupIds':
      return joinList(splitIds(value).map((id) => names.groupName(id) ?? 'a deleted group'));
    case 'courseStarted':
    case 'courseCompleted':
      return names.courseName?.(value) ?? value;
    case 'courseIds':
      return joinList(splitIds(value).map((id) => names.courseName?.(id) ?? id));
    case 'courseDueDates':
      return splitIds(value)
        .map((pair) => {
          const [id, day] = pair.split('=');
          return `${names.courseName?.(id) ?? id} by ${formatDay(day) || day}`;
        })
        .join('; ');
    case 'expiresAt':
      return formatDay(value) || value;
    case 'approvedAt':
    case 'notifiedAt':
    case 'archivedAt':
    case 'retiredAt':
    case 'sessionsEndedAt':
      return formatDateTime(value) || value;
    default:
      return value;
  }
}

/** A change in words: the field, and its value before and after, or the groups joined and left. */
export type ChangeWords =
  | { kind: 'value'; label: string; from: string; to: string }
  | { kind: 'groups' | 'courses'; label: string; added: string[]; removed: string[] };

export function changeWords(change: FieldChange, names: AuditNames): ChangeWords {
  const label = FIELD_LABELS[change.field] ?? change.field;
  if (change.field === 'groupIds' && change.from) {
    const before = splitIds(change.from);
    const after = splitIds(change.to);
    const name = (id: string) => names.groupName(id) ?? 'a deleted group';
    return {
      kind: 'groups',
      label,
      added: after.filter((id) => !before.includes(id)).map(name),
      removed: before.filter((id) => !after.includes(id)).map(name),
    };
  }
  if (change.field === 'courseIds') {
    const before = splitIds(change.from);
    const after = splitIds(change.to);
    const name = (id: string) => names.courseName?.(id) ?? id;
    return {
      kind: 'courses',
      label,
      added: after.filter((id) => !before.includes(id)).map(name),
      removed: before.filter((id) => !after.includes(id)).map(name),
    };
  }
  return {
    kind: 'value',
    label,
    from: valueText(change.field, change.from, names),
    to: valueText(change.field, change.to, names),
  };
}
