import { useEffect, useId, useRef, useState } from 'react';
import type { User } from '../api/types';
import { fullName } from '../lib/format';
import type { StatusControl } from './rowQuick';

function PowerIcon() {
  return (
    <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true" focusable="false">
      <path d="M10 2.5v7" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
      <path d="M6.1 5.2a6.2 6.2 0 1 0 7.8 0" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
    </svg>
  );
}

interface StatusToggleProps {
  user: User;
  control: StatusControl;
  /** Runs the control's action; resolves once it has been done (the row then shows the new state). */
  onConfirm: (action: 'deactivate' | 'activate') => Promise<void>;
}

/**
 * The status icon next to a user's name: green with access, gray without. A click asks once, in a small
 * box beside it ("Deactivate Ada Lovelace?"), and the confirm button has the focus, so Enter does it.
 * Expired, pending and archived users get the icon without the action.
 */
export function StatusToggle({ user, control, onConfirm }: StatusToggleProps) {
  const [open, setOpen] = useState(false);
  const [running, setRunning] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const name = fullName(user);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!boxRef.current?.contains(event.target as Node) && !buttonRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  if (!control.action) {
    return (
      <span className={`status-toggle status-toggle-${control.tone}`} role="img" aria-label={control.state} title={control.state}>
        <PowerIcon />
      </span>
    );
  }
  const action = control.action;
  const verb = action === 'deactivate' ? 'Deactivate' : 'Activate';

  function close() {
    setOpen(false);
    buttonRef.current?.focus();
  }

  async function confirm() {
    setRunning(true);
    try {
      await onConfirm(action);
    } finally {
      setRunning(false);
      close();
    }
  }

  return (
    <span className="status-toggle-wrap">
      <button
        ref={buttonRef}
        type="button"
        className={`status-toggle status-toggle-${control.tone}`}
        aria-label={`${verb} ${name}`}
        aria-expanded={open}
        title={`${control.state}. Click to ${verb.toLowerCase()}.`}
        onClick={() => setOpen((o) => !o)}
      >
        <PowerIcon />
      </button>
      {open && (
        <div
          ref={boxRef}
          className="confirm-pop"
          role="dialog"
          aria-labelledby={titleId}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault();
              event.stopPropagation();
              close();
            }
          }}
        >
          <p id={titleId}>
            <strong>
              {verb} {name}?
            </strong>
          </p>
          <p className="muted">
            {action === 'deactivate' ? 'They lose access at once; their training records stay.' : 'They get their access back.'}
          </p>
          <div className="button-row">
            <button type="button" className="button button-small" onClick={close} disabled={running}>
              Cancel
            </button>
            <button
              type="button"
              className={action === 'deactivate' ? 'button button-small button-danger' : 'button button-small button-primary'}
              onClick={() => void confirm()}
              disabled={running}
              autoFocus
            >
              {running ? `${verb.replace(/e$/, '')}ing…` : verb}
            </button>
          </div>
        </div>
      )}
    </span>
  );
}
