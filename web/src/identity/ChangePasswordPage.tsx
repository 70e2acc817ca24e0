import { useId, useState } from 'react';
import { useSession } from '../session/SessionContext';
import { ChangePasswordForm } from './ChangePasswordForm';
import { PublicCard } from './PublicCard';

/** The signed-in person's own password (/change-password, from the account menu). */
export function ChangePasswordPage() {
  const { adopt } = useSession();
  const [changed, setChanged] = useState(false);
  const titleId = useId();
  return (
    <section className="page" aria-labelledby={titleId}>
      <div>
        <h1 id={titleId}>Change password</h1>
        <p className="total">Changing it signs you out on your other devices; you stay signed in here.</p>
      </div>
      {changed && (
        <p className="alert alert-success" role="status">
          Your password is changed. You are signed out everywhere else.
        </p>
      )}
      <ChangePasswordForm
        currentLabel="Current password"
        submitLabel="Change password"
        onChanged={(session) => {
          adopt(session);
          setChanged(true);
        }}
        frame={(fields, onSubmit) => (
          <form className="card narrow-form" onSubmit={onSubmit} aria-labelledby={titleId} noValidate>
            {fields}
          </form>
        )}
      />
    </section>
  );
}

/**
 * What someone signed in with a one-time password sees, whatever the address,
 * until they choose their own: the server refuses everything else meanwhile.
 */
export function RequiredPasswordChangePage() {
  const { adopt, signOut } = useSession();
  return (
    <ChangePasswordForm
      currentLabel="One-time password"
      submitLabel="Save password and continue"
      onChanged={adopt}
      frame={(fields, onSubmit) => (
        <PublicCard title="Choose your own password" onSubmit={onSubmit}>
          <p>You signed in with a one-time password. Choose a password of your own to continue.</p>
          {fields}
          <button type="button" className="button button-quiet" onClick={() => void signOut()}>
            Sign out
          </button>
        </PublicCard>
      )}
    />
  );
}
