import type { User } from '../api/types';
import { fullName } from '../lib/format';
import { MenuButton } from '../ui/MenuButton';
import { choiceLabel, type ActionChoice } from './actions';
import { choiceEntries } from './choiceEntries';

interface RowActionsProps {
  user: User;
  /** The choices that make sense for this user (see rowChoices). */
  choices: readonly ActionChoice[];
  onChoose: (choice: ActionChoice) => void;
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

/** The menu of actions at the end of a user's row. */
export function RowActions({ user, choices, onChoose, emptyText }: RowActionsProps) {
  return (
    <MenuButton
      label={`Actions for ${fullName(user)}`}
      className="icon-button"
      entries={choiceEntries(choices, (choice) => choiceLabel(choice, user), onChoose)}
      emptyText={emptyText}
    >
      <MoreIcon />
    </MenuButton>
  );
}
