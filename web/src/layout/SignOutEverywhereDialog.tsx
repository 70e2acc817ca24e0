import { useState } from 'react';
import { asApiError, type ApiError } from '../api/client';
import { useSession } from '../session/SessionContext';
import { Dialog } from '../ui/Dialog';
import { errorText } from '../ui/errorText';

/** Confirms, then ends every session of the signed-in person, this one too. */
export function SignOutEverywhereDialog({ onClose }: { onClose: () => void }) {
  const { signOutEverywhere } = useSession();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  async function confirm() {
    setBusy(true);
    setError(undefined);
    try {
      // Success leaves the signed-in pages, this dialog with them.
      await signOutEverywhere();
    } catch (caught) {
      setError(asApiError(caught));
      setBusy(false);
    }
  }

  return (
    <Dialog title="Sign out everywhere?" onClose={() => !busy && onClose()}>
      <p>
        This signs you out on every device where you are signed in, this one too: use it when you signed in on a shared
        computer, or lost a phone.
      </p>
      {error && (
        <p className="alert alert-error" role="alert">
          Nobody was signed out. {errorText(error)}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose} disabled={busy}>
          Cancel
        </button>
        <button type="button" className="button button-primary" onClick={() => void confirm()} disabled={busy} autoFocus>
          {busy ? 'Signing out…' : 'Yes, sign out everywhere'}
        </button>
      </div>
    </Dialog>
  );
}
