import { useId, useState } from 'react';
import { useApi } from '../api/ApiContext';
import { asApiError, type ApiError } from '../api/client';
import type { Registration, RegistrationChange } from '../api/types';
import { useResource } from '../lib/useResource';
import { CopyButton } from '../ui/CopyButton';
import { Dialog } from '../ui/Dialog';
import { errorText } from '../ui/errorText';

/** A change that asks first, because the link people hold stops working. */
type Confirmable = 'renew' | 'turn-off';

const CONFIRMATIONS: Record<Confirmable, { title: string; text: string; button: string; change: RegistrationChange }> = {
  renew: {
    title: 'Renew the registration link?',
    text: 'The current link stops working at once: whoever opens it is told it is not valid. Share the new link with the people who should register.',
    button: 'Yes, renew the link',
    change: { enabled: true, renew: true },
  },
  'turn-off': {
    title: 'Turn registration off?',
    text: 'The link stops working at once. Turning registration on again makes a new link.',
    button: 'Yes, turn it off',
    change: { enabled: false },
  },
};

const DONE: Record<Confirmable | 'turn-on', string> = {
  'turn-on': 'Registration is on: share the link below.',
  renew: 'A new link is ready. The old one no longer works.',
  'turn-off': 'Registration is off. The link no longer works.',
};

/** The organization's registration link: on or off, its address to copy, and renewing it. */
export function RegistrationLinkCard() {
  const api = useApi();
  const read = useResource((signal) => api.getRegistration({ signal }), [api]);
  const [changed, setChanged] = useState<{ registration: Registration; done: string }>();
  const [confirming, setConfirming] = useState<Confirmable>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const linkId = useId();
  const registration = changed?.registration ?? read.data;

  function ask(kind: Confirmable | undefined) {
    setError(undefined);
    setConfirming(kind);
  }

  async function change(kind: Confirmable | 'turn-on') {
    setBusy(true);
    setError(undefined);
    try {
      const next = await api.setRegistration(kind === 'turn-on' ? { enabled: true } : CONFIRMATIONS[kind].change);
      setChanged({ registration: next, done: DONE[kind] });
      setConfirming(undefined);
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby={titleId}>
      <div className="card-header">
        <h2 id={titleId}>Registration link</h2>
        {registration && (
          <span className={registration.enabled ? 'badge badge-active' : 'badge badge-deactivated'}>
            {registration.enabled ? 'On' : 'Off'}
          </span>
        )}
      </div>
      <div className="card-body">
        <p className="muted">
          People who open the organization’s registration link can register themselves. Each registration waits as
          Pending until an administrator approves it; approving with an invitation lets them set their password.
        </p>
        {!registration && read.loading && (
          <p className="muted" role="status">
            Loading…
          </p>
        )}
        {!registration && read.error && (
          <div className="alert alert-error" role="alert">
            <span>The registration link could not be read. {errorText(read.error)}</span>
            <button type="button" className="button button-small" onClick={read.reload}>
              Try again
            </button>
          </div>
        )}
        {changed && (
          <p className="alert alert-success" role="status">
            {changed.done}
          </p>
        )}
        {error && !confirming && (
          <p className="alert alert-error" role="alert">
            Nothing changed. {errorText(error)}
          </p>
        )}
        {registration && !registration.enabled && (
          <>
            <p>Registration is off: people join only when an administrator adds them.</p>
            <div className="button-row">
              <button type="button" className="button button-primary" onClick={() => void change('turn-on')} disabled={busy}>
                {busy ? 'Turning on…' : 'Turn registration on'}
              </button>
            </div>
          </>
        )}
        {registration?.enabled && registration.url && (
          <>
            <div className="field">
              <label htmlFor={linkId}>Link to share</label>
              <div className="copy-row">
                <input
                  id={linkId}
                  className="copy-value"
                  readOnly
                  value={registration.url}
                  onFocus={(event) => event.currentTarget.select()}
                />
                <CopyButton text={registration.url} label="Copy link" />
              </div>
            </div>
            <div className="button-row">
              <button type="button" className="button" onClick={() => ask('renew')} disabled={busy}>
                Renew link…
              </button>
              <button
                type="button"
                className="button button-danger-quiet"
                onClick={() => ask('turn-off')}
                disabled={busy}
              >
                Turn registration off…
              </button>
            </div>
          </>
        )}
      </div>
      {confirming && (
        <Dialog title={CONFIRMATIONS[confirming].title} onClose={() => !busy && ask(undefined)}>
          <p>{CONFIRMATIONS[confirming].text}</p>
          {error && (
            <p className="alert alert-error" role="alert">
              Nothing changed. {errorText(error)}
            </p>
          )}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => ask(undefined)} disabled={busy}>
              Cancel
            </button>
            <button
              type="button"
              className={confirming === 'turn-off' ? 'button button-danger' : 'button button-primary'}
              onClick={() => void change(confirming)}
              disabled={busy}
              autoFocus
            >
              {busy ? 'Saving…' : CONFIRMATIONS[confirming].button}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
