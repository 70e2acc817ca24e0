import { useState } from 'react';
import { ROLE_LABELS, fullName, signInName } from '../lib/format';
import { navigate } from '../router/router';
import { useSession, useSignedInSession } from '../session/SessionContext';
import { MenuButton, type MenuEntry } from '../ui/MenuButton';
import { SignOutEverywhereDialog } from './SignOutEverywhereDialog';

/** The signed-in person's menu: who they are, their password, and signing out here or everywhere. */
export function AccountMenu() {
  const { user, organization } = useSignedInSession();
  const { signOut } = useSession();
  const [confirming, setConfirming] = useState(false);
  const entries: MenuEntry[] = [
    ...(user.role === 'learner'
      ? []
      : [{ key: 'my-training', label: 'My training', onSelect: () => navigate('/my-training') }]),
    { key: 'change-password', label: 'Change password', onSelect: () => navigate('/change-password') },
    { key: 'sign-out-everywhere', label: 'Sign out everywhere…', onSelect: () => setConfirming(true), groupStart: true },
    { key: 'sign-out', label: 'Sign out', onSelect: () => void signOut() },
  ];
  return (
    <>
      <MenuButton
        label={`Account: ${fullName(user)}`}
        className="account-button"
        entries={entries}
        header={
          <>
            <strong>{fullName(user)}</strong>
            <span>{signInName(user)}</span>
            <span className="muted">
              {ROLE_LABELS[user.role]} · {organization.name}
            </span>
          </>
        }
      >
        {/* The initials are drawn by CSS: text in the button would not match its name (axe: label-content-name-mismatch). */}
        <span className="avatar" aria-hidden="true" data-initials={`${user.firstName.charAt(0)}${user.lastName.charAt(0)}`} />
        <span className="visually-hidden">Account:</span> {fullName(user)}
      </MenuButton>
      {confirming && <SignOutEverywhereDialog onClose={() => setConfirming(false)} />}
    </>
  );
}
