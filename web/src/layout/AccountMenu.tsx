import { ROLE_LABELS, fullName, signInName } from '../lib/format';
import { useSession, useSignedInSession } from '../session/SessionContext';
import { MenuButton } from '../ui/MenuButton';

/** The signed-in person's menu: who they are, and Sign out. */
export function AccountMenu() {
  const { user, organization } = useSignedInSession();
  const { signOut } = useSession();
  return (
    <MenuButton
      label={`Account: ${fullName(user)}`}
      className="account-button"
      entries={[{ key: 'sign-out', label: 'Sign out', onSelect: () => void signOut() }]}
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
      <span className="avatar" aria-hidden="true">
        {user.firstName.charAt(0)}
        {user.lastName.charAt(0)}
      </span>
      <span className="visually-hidden">Account:</span> {fullName(user)}
    </MenuButton>
  );
}
