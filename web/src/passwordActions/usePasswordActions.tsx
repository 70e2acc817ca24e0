import { useState, type ReactNode } from 'react';
import type { User } from '../api/types';
import { useSignedInSession } from '../session/SessionContext';
import type { MenuEntry } from '../ui/MenuButton';
import { PASSWORD_CHOICE_LABELS, passwordChoices, type PasswordChoice } from './passwordChoices';
import { PasswordDialog } from './PasswordDialog';

/** The password entries of a user's actions menu, and the dialog the chosen one opens. */
export function usePasswordActions(user: User): { entries: MenuEntry[]; dialog: ReactNode } {
  const { user: viewer } = useSignedInSession();
  const [chosen, setChosen] = useState<PasswordChoice>();
  const entries = passwordChoices(user, viewer).map((choice) => ({
    key: choice,
    label: PASSWORD_CHOICE_LABELS[choice],
    onSelect: () => setChosen(choice),
  }));
  const dialog = chosen && <PasswordDialog choice={chosen} user={user} onClose={() => setChosen(undefined)} />;
  return { entries, dialog };
}
