import type { ActionRequest, BulkResult, NamedItem, Status, User } from '../api/types';
import type { MenuEntry } from '../ui/MenuButton';
import { canManage, type ActionChoice, type Viewer } from './actions';
import type { ActionWords } from './actionWords';

/** The row menu's choices that run at once on choosing them: nothing to ask, and a notice with Undo after. */
export const QUICK_CHOICES = ['approve', 'approve-notify', 'notify', 'deactivate', 'activate', 'archive', 'unarchive'] as const;
export type QuickChoice = (typeof QUICK_CHOICES)[number];

export function isQuick(choice: ActionChoice): choice is QuickChoice {
  return (QUICK_CHOICES as readonly string[]).includes(choice);
}

/**
 * The request that undoes one already done to a user: deactivate ↔ activate,
 * archive ↔ unarchive, add to groups ↔ remove from them. Null when there is none
 * (an email sent, an approval, a date: not taken back with one click).
 */
export function undoOf(request: ActionRequest): ActionRequest | null {
  switch (request.action) {
    case 'deactivate':
      return { action: 'activate' };
    case 'activate':
      return { action: 'deactivate' };
    case 'archive':
      return { action: 'unarchive' };
    case 'unarchive':
      return { action: 'archive' };
    case 'add-to-groups':
      return { action: 'remove-from-groups', groupIds: request.groupIds };
    case 'remove-from-groups':
      return { action: 'add-to-groups', groupIds: request.groupIds };
    default:
      return null;
  }
}

/** The short notice after an action on one user: what happened, or why nothing did. */
export function rowNotice(words: ActionWords, name: string, result: BulkResult): { tone: 'success' | 'warning'; text: string; done: boolean } {
  if (result.done > 0) return { tone: 'success', text: `${words.done(name)}.`, done: true };
  const reason = result.results[0]?.reason;
  const what = result.failed > 0 ? 'could not be changed' : 'was not changed';
  return { tone: 'warning', text: `${name} ${what}${reason ? `: ${reason}` : '.'}`, done: false };
}

/**
 * The status control of a row, "the green status icon next to the learner's name":
 * green with access (Activated, Active), gray without (Deactivated); one click
 * (and a short confirmation) deactivates or activates. Expired users are never
 * offered Activate: access comes back by moving the expiration date.
 */
export interface StatusControl {
  tone: 'on' | 'off' | 'expired' | 'pending' | 'archived';
  /** What a click does, or null when the icon only shows the state. */
  action: 'deactivate' | 'activate' | null;
  /** The state in words, for the icon's name and tooltip. */
  state: string;
}

const STATE_WORDS: Record<Status, string> = {
  pending: 'Pending: waiting for approval, no access yet',
  activated: 'Has access',
  active: 'Has access',
  deactivated: 'Deactivated: no access',
  expired: 'Expired: move the expiration date to the future to restore access',
  archived: 'Archived: not on the active roster',
};

export function statusControl(user: Pick<User, 'id' | 'status' | 'role'>, viewer: Viewer): StatusControl {
  const tone: StatusControl['tone'] =
    user.status === 'activated' || user.status === 'active'
      ? 'on'
      : user.status === 'deactivated'
        ? 'off'
        : user.status;
  const mayAct = canManage(viewer, user) && user.id !== viewer.id;
  const action = !mayAct ? null : tone === 'on' ? 'deactivate' : tone === 'off' ? 'activate' : null;
  return { tone, action, state: STATE_WORDS[user.status] };
}

/**
 * Whether the bulk menu offers Activate for a selection: not when every selected
 * user is known to be Expired (or the filter shows only Expired users), since the
 * API would skip each of them.
 */
export function offersActivate(selectedStatuses: readonly Status[] | null, filterStatus: Status | undefined): boolean {
  if (filterStatus === 'expired') return false;
  if (!selectedStatuses || selectedStatuses.length === 0) return true;
  return selectedStatuses.some((status) => status !== 'expired');
}

/** The row menu's words for the group choices, which open a list of groups rather than a window. */
export const GROUP_SUBMENU_LABELS = {
  'add-to-groups': 'Add to group',
  'remove-from-groups': 'Remove from group',
} as const;
export type GroupChoice = keyof typeof GROUP_SUBMENU_LABELS;

/**
 * The groups a row's "Add to group" or "Remove from group" lists, by name, each with
 * the request that choosing it runs: the groups the user is not in, or is in.
 * A group the look-ups do not know yet is listed by its id.
 */
export function rowGroupChoices(
  choice: GroupChoice,
  user: Pick<User, 'groupIds'>,
  groups: readonly Pick<NamedItem, 'id' | 'name'>[],
): { id: string; name: string; request: ActionRequest }[] {
  const member = new Set(user.groupIds);
  const named = new Map(groups.map((group) => [group.id, group.name]));
  const listed =
    choice === 'add-to-groups'
      ? groups.filter((group) => !member.has(group.id)).map(({ id, name }) => ({ id, name }))
      : user.groupIds.map((id) => ({ id, name: named.get(id) ?? id }));
  return listed
    .sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }))
    .map((group) => ({ ...group, request: { action: choice, groupIds: [group.id] } }));
}

/**
 * A row menu's entries with Add to groups and Remove from groups turned into
 * submenus of the groups: choosing one runs it at once (two clicks in all, then a
 * notice with Undo). Left as they were (a window) when there is no group to list.
 */
export function withGroupSubmenus(
  entries: readonly MenuEntry[],
  user: Pick<User, 'groupIds'>,
  groups: readonly Pick<NamedItem, 'id' | 'name'>[],
  run: (request: ActionRequest) => void,
): MenuEntry[] {
  return entries.map((entry) => {
    if (entry.key !== 'add-to-groups' && entry.key !== 'remove-from-groups') return entry;
    const listed = rowGroupChoices(entry.key, user, groups);
    if (listed.length === 0) return entry;
    return {
      ...entry,
      label: GROUP_SUBMENU_LABELS[entry.key],
      submenu: listed.map((group) => ({ key: group.id, label: group.name, onSelect: () => run(group.request) })),
    };
  });
}
