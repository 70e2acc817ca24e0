import type { User } from '../api/types';
import { fullName } from '../lib/format';
import { MenuButton } from '../ui/MenuButton';
import { choiceLabel, rowChoices, rowEmptyText, type ActionChoice, type ChoiceContext, type Viewer } from '../users/actions';
import { choiceEntries } from '../users/choiceEntries';

interface UserActionsMenuProps {
  user: User;
  viewer: Viewer;
  context: ChoiceContext;
  onChoose: (choice: ActionChoice) => void;
}

/** The same actions as the user's row on the Users page, on a labelled button. */
export function UserActionsMenu({ user, viewer, context, onChoose }: UserActionsMenuProps) {
  return (
    <MenuButton
      label={`Actions for ${fullName(user)}`}
      className="button"
      entries={choiceEntries(rowChoices(user, viewer, context), (choice) => choiceLabel(choice, user), onChoose)}
      emptyText={rowEmptyText(user, viewer)}
    >
      Actions <span className="caret" aria-hidden="true" />
    </MenuButton>
  );
}
