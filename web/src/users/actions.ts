import type { ActionRequest, BulkAction, Role, User } from '../api/types';
import { STATUS_ACTIONS } from '../generated/statusActions';

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

/**
 * The choices that can change this user: only those the state machine would do
 * rather than skip in their status (STATUS_ACTIONS, generated from it; docs/states.md),
 * and that have something to change. Nobody locks themselves out, admins act on
 * learners only, and only owners change roles (an owner's too).
 */
export function rowChoices(user: User, viewer: Viewer, context: ChoiceContext): ActionChoice[] {
  if (!canManage(viewer, user)) return [];
  const self = user.id === viewer.id;
  const offered = new Set<BulkAction>(STATUS_ACTIONS[user.status]);
  const may = (action: BulkAction) => offered.has(action);

  const choices: ActionChoice[] = [];
  if (!self && may('approve')) {
    choices.push('approve');
    if (user.email) choices.push('approve-notify');
  }
  if (may('notify') && user.email) choices.push('notify');
  if (!self && may('deactivate')) choices.push('deactivate');
  if (!self && may('activate')) choices.push('activate');
  if (!self && may('set-expiration')) choices.push('set-expiration');
  if (may('add-to-groups') && user.groupIds.length < context.groupCount) choices.push('add-to-groups');
  if (may('remove-from-groups') && user.groupIds.length > 0) choices.push('remove-from-groups');
  if (may('set-location') && (context.hasLocations || user.locationId)) choices.push('set-location');
  if (may('set-role') && !self && viewer.role === 'owner') choices.push('set-role');
  if (may('assign-courses')) choices.push('assign-courses');
  if (user.courses.length > 0) {
    for (const action of ['unassign-courses', 'set-due-date', 'archive-activity'] as const) {
      if (may(action)) choices.push(action);
    }
  }
  if (!self && may('archive')) choices.push('archive');
  if (!self && may('unarchive')) choices.push('unarchive');
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
