import { useEffect, useId, useRef, useState } from 'react';
import { ROLE_LABELS, fullName, signInName } from '../lib/format';
import { useSession, useSignedInSession } from '../session/SessionContext';

export function AccountMenu() {
  const { user, organization } = useSignedInSession();
  const { signOut } = useSession();
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const firstItemRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    firstItemRef.current?.focus();
    const closeOnOutsideClick = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', closeOnOutsideClick);
    return () => document.removeEventListener('pointerdown', closeOnOutsideClick);
  }, [open]);

  function closeAndRefocus() {
    setOpen(false);
    buttonRef.current?.focus();
  }

  return (
    <div
      className="account-menu"
      ref={rootRef}
      onBlur={(event) => {
        // Focus tabbing away closes the menu; clicks elsewhere are handled above.
        if (event.relatedTarget && !rootRef.current?.contains(event.relatedTarget)) setOpen(false);
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        className="account-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="avatar" aria-hidden="true">
          {user.firstName.charAt(0)}
          {user.lastName.charAt(0)}
        </span>
        <span className="visually-hidden">Account:</span> {fullName(user)}
      </button>
      {open && (
        <div
          className="menu"
          onKeyDown={(event) => {
            if (event.key === 'Escape') closeAndRefocus();
          }}
        >
          <div className="menu-header">
            <strong>{fullName(user)}</strong>
            <span>{signInName(user)}</span>
            <span className="muted">
              {ROLE_LABELS[user.role]} · {organization.name}
            </span>
          </div>
          <div id={menuId} role="menu" aria-label="Account">
            <button
              ref={firstItemRef}
              type="button"
              role="menuitem"
              className="menu-item"
              onClick={() => void signOut()}
            >
              Sign out
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
