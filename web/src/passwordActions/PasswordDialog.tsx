import { useId, useState } from 'react';
import { useApi } from '../api/ApiContext';
import { asApiError, type ApiError } from '../api/client';
import type { User } from '../api/types';
import { fullName, signInName } from '../lib/format';
import { useSignedInSession } from '../session/SessionContext';
import { CopyButton } from '../ui/CopyButton';
import { Dialog } from '../ui/Dialog';
import { errorText } from '../ui/errorText';
import type { PasswordChoice } from './passwordChoices';

type Phase =
  | { name: 'confirm'; error?: ApiError }
  | { name: 'running' }
  /** Done: for a one-time password, the password, shown this once. */
  | { name: 'done'; password?: string };

interface PasswordDialogProps {
  choice: PasswordChoice;
  user: User;
  onClose: () => void;
}

/** Confirms a password action on one user, runs it, and shows its outcome: the email sent, or the one-time password. */
export function PasswordDialog({ choice, user, onClose }: PasswordDialogProps) {
  const api = useApi();
  const [phase, setPhase] = useState<Phase>({ name: 'confirm' });
  const name = fullName(user);
  const reset = choice === 'send-reset';

  async function run() {
    setPhase({ name: 'running' });
    try {
      if (reset) {
        await api.sendPasswordReset(user.id);
        setPhase({ name: 'done' });
      } else {
        const { password } = await api.setOneTimePassword(user.id);
        setPhase({ name: 'done', password });
      }
    } catch (caught) {
      setPhase({ name: 'confirm', error: asApiError(caught) });
    }
  }

  const title = reset
    ? `Send ${name} a password reset email?`
    : phase.name === 'done'
      ? `One-time password for ${name}`
      : `Set a one-time password for ${name}?`;
  const close = () => {
    if (phase.name !== 'running') onClose();
  };

  if (phase.name === 'done') {
    return (
      <Dialog title={reset ? 'Password reset email sent' : title} onClose={close}>
        {phase.password === undefined ? (
          <p className="alert alert-success" role="status">
            Sent {user.firstName} a link to choose a new password, at {user.email}. It works once, for an hour.
          </p>
        ) : (
          <OneTimePasswordShown user={user} password={phase.password} />
        )}
        <div className="dialog-actions">
          <button type="button" className="button button-primary" onClick={close} autoFocus>
            {phase.password === undefined ? 'Close' : 'Done'}
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title={title} onClose={close}>
      {reset ? (
        <p>
          An email to <strong>{user.email}</strong> brings {user.firstName} a link to choose a new password. It works
          once, for an hour. Their current password keeps working until they choose a new one.
        </p>
      ) : (
        <p>
          {user.firstName}’s current password stops working and every session of theirs ends. You see the new password
          once, to hand to them yourself; they must change it when they sign in.
        </p>
      )}
      {phase.name === 'confirm' && phase.error && (
        <p className="alert alert-error" role="alert">
          {errorText(phase.error)}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={close} disabled={phase.name === 'running'}>
          Cancel
        </button>
        <button
          type="button"
          className="button button-primary"
          onClick={() => void run()}
          disabled={phase.name === 'running'}
          autoFocus
        >
          {phase.name === 'running'
            ? reset
              ? 'Sending…'
              : 'Setting…'
            : reset
              ? 'Yes, send the email'
              : 'Yes, set a one-time password'}
        </button>
      </div>
    </Dialog>
  );
}

/** The one-time password, with a copy button and the warning that it is shown only once. */
function OneTimePasswordShown({ user, password }: { user: User; password: string }) {
  const { organization } = useSignedInSession();
  const id = useId();
  return (
    <>
      <p className="alert alert-warning" role="alert">
        Copy it now: it is shown only this once. Nobody can see it again once you close this window.
      </p>
      <div className="field">
        <label htmlFor={id}>One-time password</label>
        <div className="copy-row">
          <input
            id={id}
            className="copy-value secret-value"
            readOnly
            value={password}
            onFocus={(event) => event.currentTarget.select()}
          />
          <CopyButton text={password} />
        </div>
      </div>
      <p>
        Give it to {user.firstName} yourself, in person or by phone. They sign in at organization{' '}
        <strong>{organization.slug}</strong> as <strong>{signInName(user)}</strong> with it, then choose a password of
        their own. Their other sessions have ended.
      </p>
    </>
  );
}
