import type { ActionRequest, Role, User } from '../api/types';

/**
 * What an administrator can pick from an actions menu. Each becomes one request to
 * an action's route; "approve-notify" is approve with `notify`.
 */
export const ACTION_CHOICES = [
  'approve',
  'approve-notify',
  'notify',
  'deactivate',
  'activate',
  'set-expiration',
  'add-to-groups',
  'remove-from-groups',
  'set-location',
  'set-role',
  'assign-courses',
  'unassign-courses',
  'set-due-date',
  'archive-activity',
  'archive',
  'unarchive',
] as const;
export type ActionChoice = (typeof ACTION_CHOICES)[number];

/** The choices that ask for a parameter (a date, groups, a location, a role) before the confirmation. */
export type ParameterChoice =
  | 'set-expiration'
  | 'add-to-groups'
  | 'remove-from-groups'
  | 'set-location'
  | 'set-role'
  | 'assign-courses'
  | 'unassign-courses'
  | 'set-due-date'
  | 'archive-activity';
export type SimpleChoice = Exclude<ActionChoice, ParameterChoice>;

export function takesParameter(choice: ActionChoice): choice is ParameterChoice {
  return (
    choice === 'set-expiration' ||
    choice === 'add-to-groups' ||
    choice === 'remove-from-groups' ||
    choice === 'set-location' ||
    choice === 'set-role' ||
    choice === 'assign-courses' ||
    choice === 'unassign-courses' ||
    choice === 'set-due-date' ||
    choice === 'archive-activity'
  );
}

/** The request of a choice that needs nothing more. */
export function simpleRequest(choice: SimpleChoice): ActionRequest {
  return choice === 'approve-notify' ? { action: 'approve', notify: true } : { action: choice };
}

export const CHOICE_LABELS: Record<ActionChoice, string> = {
  approve: 'Approve',
  'approve-notify': 'Approve and notify',
  notify: 'Notify',
  deactivate: 'Deactivate',
  activate: 'Activate',
  'set-expiration': 'Set expiration…',
  'add-to-groups': 'Add to groups…',
  'remove-from-groups': 'Remove from groups…',
  'set-location': 'Set location…',
  'set-role': 'Change role…',
  'assign-courses': 'Assign courses…',
  'unassign-courses': 'Unassign courses…',
  'set-due-date': 'Set due date…',
  'archive-activity': 'Archive course activity…',
  archive: 'Archive',
  unarchive: 'Unarchive',
};

/** The menu label of a choice for one user: Notify says "Resend invitation" once one was sent. */
export function choiceLabel(choice: ActionChoice, user?: Pick<User, 'notifiedAt'>): string {
  return choice === 'notify' && user?.notifiedAt ? 'Resend invitation' : CHOICE_LABELS[choice];
}

/** The group a choice is listed in: access, then membership, then the roster. */
export function choiceGroup(choice: ActionChoice): 'access' | 'membership' | 'training' | 'roster' {
  if (choice === 'archive' || choice === 'unarchive') return 'roster';
  if (choice === 'assign-courses' || choice === 'unassign-courses' || choice === 'set-due-date' || choice === 'archive-activity') {
    return 'training';
  }
  if (choice === 'add-to-groups' || choice === 'remove-from-groups' || choice === 'set-location' || choice === 'set-role') {
    return 'membership';
  }
  return 'access';
}

/** Who is acting: the signed-in administrator. */
export interface Viewer {
  id: string;
  role: Role;
}

/** Admins manage learners; owners manage everyone. */
export function canManage(viewer: Viewer, user: Pick<User, 'role'>): boolean {
  return viewer.role === 'owner' || user.role === 'learner';
}

/** What the organization has, which decides whether some choices make sense at all. */
export interface ChoiceContext {
  groupCount: number;
  hasLocations: boolean;
}

const HAS_ACCESS = new Set<User['status']>(['activated', 'active']);
const CAN_DEACTIVATE = new Set<User['status']>(['pending', 'activated', 'active', 'expired']);

/**
 * The choices that can change this user, by their status (docs/states.md): only
 * those the state machine would do rather than skip. Nobody locks themselves out,
 * admins act on learners only, and only owners change roles (an owner's too).
 */
export function rowChoices(user: User, viewer: Viewer, context: ChoiceContext): ActionChoice[] {
  if (!canManage(viewer, user)) return [];
  const self = user.id === viewer.id;
  if (user.status === 'archived') return self ? [] : ['unarchive'];

  const choices: ActionChoice[] = [];
  if (!self && user.status === 'pending') {
    choices.push('approve');
    if (user.email) choices.push('approve-notify');
  }
  if (HAS_ACCESS.has(user.status) && user.email) choices.push('notify');
  if (!self && CAN_DEACTIVATE.has(user.status)) choices.push('deactivate');
  if (!self && user.status === 'deactivated') choices.push('activate');
  if (!self) choices.push('set-expiration');
  if (user.groupIds.length < context.groupCount) choices.push('add-to-groups');
  if (user.groupIds.length > 0) choices.push('remove-from-groups');
  if (context.hasLocations || user.locationId) choices.push('set-location');
  if (!self && viewer.role === 'owner') choices.push('set-role');
  choices.push('assign-courses');
  if (user.courses.length > 0) choices.push('unassign-courses', 'set-due-date', 'archive-activity');
  if (!self) choices.push('archive');
  return choices;
}

/**
 * Every choice for a selection of users, whatever their statuses: each user is
 * done or skipped with the reason. Only owners change roles, and only a listing
 * that can show archived users offers to unarchive.
 */
export function bulkChoices(viewer: Viewer, canUnarchive: boolean): ActionChoice[] {
  return ACTION_CHOICES.filter(
    (choice) => (choice !== 'set-role' || viewer.role === 'owner') && (choice !== 'unarchive' || canUnarchive),
  );
}

/** What an empty row menu says: why this viewer can do nothing to the user. */
export function rowEmptyText(user: User, viewer: Viewer): string {
  if (!canManage(viewer, user)) return 'Only an owner can change an administrator or an owner.';
  return user.id === viewer.id ? 'You cannot change your own access here.' : 'No action applies to this user.';
}
