import type { ActionRequest, Role } from '../api/types';
import { OWNER_WARNING, ROLE_LABELS, formatDay, joinList } from '../lib/format';
import { pluralize } from '../lib/plural';
import type { ParameterChoice } from './actions';

/** Names of the organization's groups, locations and courses, by id. */
export interface Names {
  groupName: (id: string) => string;
  locationName: (id: string) => string;
  courseName: (id: string) => string;
}

/** How the dialogs word one action with its parameters. */
export interface ActionWords {
  /** The action's name: "Approve and notify", "Add to groups". */
  name: string;
  /** The action on some users: "add 3 users to Night shift", "add Ada Lovelace to Night shift". */
  phrase: (users: string) => string;
  /** What happened to the users it was done to: "3 users added to Night shift". */
  done: (users: string) => string;
  /** On the confirm button while the action runs. */
  running: string;
  /** What the action does, told before it runs. */
  effect: string;
}

const LAST_OWNER_STAYS = "The organization's last owner with access stays an owner: make another owner first.";

const ROLE_EFFECTS: Record<Role, string> = {
  admin: `Admins manage learners: they can add, change, invite and archive them, but not admins or owners. ${LAST_OWNER_STAYS}`,
  learner: `Learners only see their own training: they can no longer manage the roster. ${LAST_OWNER_STAYS}`,
  owner: OWNER_WARNING,
};

/** Today as the server's days count it (UTC), e.g. 2026-11-21. */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

function expirationWords(expiresAt: string | null): ActionWords {
  if (expiresAt === null) {
    return {
      name: 'Clear expiration',
      phrase: (users) => `clear the expiration date of ${users}`,
      done: (users) => `Expiration date cleared for ${users}`,
      running: 'Clearing…',
      effect: 'These users will no longer expire. Users who had expired get their access back.',
    };
  }
  const day = formatDay(expiresAt);
  return {
    name: 'Set expiration',
    phrase: (users) => `set ${users} to expire on ${day}`,
    done: (users) => `${users} set to expire on ${day}`,
    running: 'Saving…',
    effect:
      expiresAt <= todayUtc()
        ? `${day} has already begun: these users lose access at once and show as Expired, until the date is moved to the future.`
        : `From ${day} (UTC) these users have no access and show as Expired. Moving the date to the future restores it.`,
  };
}

/** The words for an action with its parameters; group and location names come from `names`. */
export function actionWords(request: ActionRequest, names: Names): ActionWords {
  switch (request.action) {
    case 'approve':
      return request.notify
        ? {
            name: 'Approve and notify',
            phrase: (users) => `approve and notify ${users}`,
            done: (users) => `${users} approved and notified`,
            running: 'Approving and sending…',
            effect:
              'Approved users get access to their training, and each is sent the invitation email with a link to ' +
              'set a password. Users who are already approved are skipped. If an email cannot be sent, the ' +
              'approval stands and Notify can send it again.',
          }
        : {
            name: 'Approve',
            phrase: (users) => `approve ${users}`,
            done: (users) => `${users} approved`,
            running: 'Approving…',
            effect:
              'Approved users get access to their training. No email is sent: use Notify to send the invitation. ' +
              'Users who are already approved are skipped.',
          };
    case 'notify':
      return {
        name: 'Notify',
        phrase: (users) => `notify ${users}`,
        done: (users) => `${users} notified`,
        running: 'Sending…',
        effect:
          'Each user is sent the invitation email with a link to set a password. Users without access, or ' +
          'without an email address, are skipped: nobody without access is ever emailed.',
      };
    case 'deactivate':
      return {
        name: 'Deactivate',
        phrase: (users) => `deactivate ${users}`,
        done: (users) => `${users} deactivated`,
        running: 'Deactivating…',
        effect:
          'Deactivated users lose access at once and are signed out, but stay on the roster: their enrollments, ' +
          'completions and history are kept. Activate them to restore access.',
      };
    case 'activate':
      return {
        name: 'Activate',
        phrase: (users) => `activate ${users}`,
        done: (users) => `${users} activated`,
        running: 'Activating…',
        effect:
          'Deactivated users get their access back. Users whose expiration date has passed stay expired until ' +
          'the date is moved to the future.',
      };
    case 'set-expiration':
      return expirationWords(request.expiresAt);
    case 'add-to-groups': {
      const groups = joinList(request.groupIds.map(names.groupName));
      return {
        name: 'Add to groups',
        phrase: (users) => `add ${users} to ${groups}`,
        done: (users) => `${users} added to ${groups}`,
        running: 'Adding…',
        effect: 'Users keep the groups they are in. Users who are already in these groups are skipped.',
      };
    }
    case 'remove-from-groups': {
      const groups = joinList(request.groupIds.map(names.groupName));
      return {
        name: 'Remove from groups',
        phrase: (users) => `remove ${users} from ${groups}`,
        done: (users) => `${users} removed from ${groups}`,
        running: 'Removing…',
        effect: 'Users stay in their other groups. Users who are not in these groups are skipped.',
      };
    }
    case 'set-location': {
      if (request.locationId === null) {
        return {
          name: 'Clear location',
          phrase: (users) => `clear the location of ${users}`,
          done: (users) => `Location cleared for ${users}`,
          running: 'Saving…',
          effect: 'These users will have no location.',
        };
      }
      const location = names.locationName(request.locationId);
      return {
        name: 'Set location',
        phrase: (users) => `move ${users} to ${location}`,
        done: (users) => `${users} moved to ${location}`,
        running: 'Moving…',
        effect: 'A user has one location at most: this replaces the location they have.',
      };
    }
    case 'set-role': {
      const role = ROLE_LABELS[request.role];
      return {
        name: 'Change role',
        phrase: (users) => `give ${users} the ${role} role`,
        done: (users) => `${users} given the ${role} role`,
        running: 'Saving…',
        effect: ROLE_EFFECTS[request.role],
      };
    }
    case 'assign-courses': {
      const courses = joinList(request.courseIds.map(names.courseName));
      const due = request.dueAt ? `, due ${formatDay(request.dueAt)}` : '';
      return {
        name: 'Assign courses',
        phrase: (users) => `assign ${courses} to ${users}${due}`,
        done: (users) => `${courses} assigned to ${users}`,
        running: 'Assigning…',
        effect:
          'Each assignment takes a seat from the course\'s pool until the learner starts it. ' +
          (request.whenShort === 'fit'
            ? 'If seats run short, as many users as fit are assigned and the others are skipped.'
            : 'If seats run short, nobody is assigned and you are told how many seats are needed.') +
          ' Users who already have these courses, and archived users, are skipped.',
      };
    }
    case 'unassign-courses': {
      const courses = joinList(request.courseIds.map(names.courseName));
      return {
        name: 'Unassign courses',
        phrase: (users) => `unassign ${courses} from ${users}`,
        done: (users) => `${courses} unassigned from ${users}`,
        running: 'Unassigning…',
        effect:
          'Seats of courses not started go back to the pool; a seat already used stays used. ' +
          'Users who do not have these courses are skipped.',
      };
    }
    case 'set-due-date': {
      const courses = joinList(request.courseIds.map(names.courseName));
      const due = request.dueAt ? `due ${formatDay(request.dueAt)}` : 'with no due date';
      return {
        name: 'Set due date',
        phrase: (users) => `set ${courses} ${due} for ${users}`,
        done: (users) => `${courses} set ${due} for ${users}`,
        running: 'Saving…',
        effect: 'The assignment and its seat stay as they are. Users who do not have these courses are skipped.',
      };
    }
    case 'archive-activity': {
      const courses = joinList(request.courseIds.map(names.courseName));
      return {
        name: 'Archive course activity',
        phrase: (users) => `archive the ${courses} activity of ${users}`,
        done: (users) => `${courses} activity archived for ${users}`,
        running: 'Archiving…',
        effect:
          'The assignment and its progress are kept in training records, marked archived, and the course can be ' +
          'assigned again. A seat not yet used goes back to the pool. Users who do not have these courses are skipped.',
      };
    }
    case 'archive':
      return {
        name: 'Archive',
        phrase: (users) => `archive ${users}`,
        done: (users) => `${users} archived`,
        running: 'Archiving…',
        effect:
          'Archived users leave the active roster and lose access to training. Reminders stop, licenses they have ' +
          'not started go back to the pool, and their training records are kept. You can unarchive them at any time.',
      };
    case 'unarchive':
      return {
        name: 'Unarchive',
        phrase: (users) => `unarchive ${users}`,
        done: (users) => `${users} unarchived`,
        running: 'Unarchiving…',
        effect: 'Unarchived users return to the active roster, exactly as they were before.',
      };
  }
}

/** The exact words of the confirm button, naming the count: "Yes, add 3 users to Night shift". */
export function confirmLabel(request: ActionRequest, count: number, names: Names): string {
  return `Yes, ${actionWords(request, names).phrase(pluralize(count, 'user'))}`;
}

/** The title of the step that asks for a parameter: "Add 3 users to groups". */
export function parameterTitle(choice: ParameterChoice, users: string): string {
  switch (choice) {
    case 'set-expiration':
      return `Set the expiration date of ${users}`;
    case 'add-to-groups':
      return `Add ${users} to groups`;
    case 'remove-from-groups':
      return `Remove ${users} from groups`;
    case 'set-location':
      return `Set the location of ${users}`;
    case 'set-role':
      return `Change the role of ${users}`;
    case 'assign-courses':
      return `Assign courses to ${users}`;
    case 'unassign-courses':
      return `Unassign courses from ${users}`;
    case 'set-due-date':
      return `Set the due date of ${users}`;
    case 'archive-activity':
      return `Archive the course activity of ${users}`;
  }
}

/** The first letter in capitals, for a phrase that starts a title. */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
