import type { ActionRequest, NamedItem, User } from '../api/types';
import { fullName } from '../lib/format';
import { withPasswordEntries } from '../passwordActions/passwordChoices';
import { usePasswordActions } from '../passwordActions/usePasswordActions';
import { MenuButton } from '../ui/MenuButton';
import { choiceLabel, type ActionChoice } from './actions';
import { choiceEntries } from './choiceEntries';
import { withGroupSubmenus } from './rowQuick';

interface RowActionsProps {
  user: User;
  /** The choices that make sense for this user (see rowChoices). */
  choices: readonly ActionChoice[];
  onChoose: (choice: ActionChoice) => void;
  /** The organization's groups, listed by Add to group and Remove from group. */
  groups: readonly Pick<NamedItem, 'id' | 'name'>[];
  /** Runs a request on this user at once (a group chosen from a submenu). */
  onRun: (request: ActionRequest) => void;
  /** Said in the menu when there is nothing this viewer can do to the user. */
  emptyText: string;
}

function MoreIcon() {
  return (
    <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false">
      <circle cx="4" cy="10" r="1.7" fill="currentColor" />
      <circle cx="10" cy="10" r="1.7" fill="currentColor" />
      <circle cx="16" cy="10" r="1.7" fill="currentColor" />
    </svg>
  );
}

/** The menu of actions at the end of a user's row, with the user's password actions. */
export function RowActions({ user, choices, onChoose, groups, onRun, emptyText }: RowActionsProps) {
  const password = usePasswordActions(user);
  const entries = withGroupSubmenus(
    choiceEntries(choices, (choice) => choiceLabel(choice, user), onChoose),
    user,
    groups,
    onRun,
  );
  return (
    <>
      <MenuButton
        label={`Actions for ${fullName(user)}`}
        className="icon-button"
        entries={withPasswordEntries(entries, choices, password.entries)}
        emptyText={emptyText}
      >
        <MoreIcon />
      </MenuButton>
      {password.dialog}
    </>
  );
}
