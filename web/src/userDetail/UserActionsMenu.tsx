import type { User } from '../api/types';
import { fullName } from '../lib/format';
import { withPasswordEntries } from '../passwordActions/passwordChoices';
import { usePasswordActions } from '../passwordActions/usePasswordActions';
import { MenuButton } from '../ui/MenuButton';
import { choiceLabel, rowChoices, rowEmptyText, type ActionChoice, type ChoiceContext, type Viewer } from '../users/actions';
import { choiceEntries } from '../users/choiceEntries';

interface UserActionsMenuProps {
  user: User;
  viewer: Viewer;
  context: ChoiceContext;
  onChoose: (choice: ActionChoice) => void;
}

/** The same actions as the user's row on the Users page, password actions included, on a labelled button. */
export function UserActionsMenu({ user, viewer, context, onChoose }: UserActionsMenuProps) {
  const password = usePasswordActions(user);
  const choices = rowChoices(user, viewer, context);
  const entries = choiceEntries(choices, (choice) => choiceLabel(choice, user), onChoose);
  return (
    <>
      <MenuButton
        label={`Actions for ${fullName(user)}`}
        className="button"
        entries={withPasswordEntries(entries, choices, password.entries)}
        emptyText={rowEmptyText(user, viewer)}
      >
        Actions <span className="caret" aria-hidden="true" />
      </MenuButton>
      {password.dialog}
    </>
  );
}
