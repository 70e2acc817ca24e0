import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Link, usePath } from '../router/router';
import { useSignedInSession } from '../session/SessionContext';
import { AccountMenu } from './AccountMenu';
import { ActiveRosterCount } from './ActiveRosterCount';
import { MailboxLink } from './MailboxLink';
import { RosterCountProvider } from './RosterCountContext';

function MenuIcon({ open }: { open: boolean }) {
  return (
    <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
      {open ? (
        <path d="M5 5l10 10M15 5L5 15" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      ) : (
        <path d="M3 5.5h14M3 10h14M3 14.5h14" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      )}
    </svg>
  );
}

/** The link that lets a keyboard skip the header, first on every signed-in page. */
export function SkipLink() {
  return (
    <a className="skip-link" href="#main">
      Skip to content
    </a>
  );
}

/**
 * The header of every signed-in page: brand and organization, the navigation, then `end` and the account menu.
 * On a narrow screen the navigation and the rest fold behind a Menu button (a disclosure): opening it moves
 * focus to the first link, Escape closes it and gives focus back to the button, and so does going to a page.
 */
function AppHeader({ nav, end }: { nav: ReactNode; end?: ReactNode }) {
  const { organization } = useSignedInSession();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const path = usePath();

  // Going to another page folds the menu again.
  useEffect(() => setOpen(false), [path]);

  function toggle() {
    const next = !open;
    setOpen(next);
    if (next) requestAnimationFrame(() => panelRef.current?.querySelector<HTMLElement>('a, button')?.focus());
  }

  function onKeyDown(event: KeyboardEvent) {
    // A menu inside the panel (the account menu) closes itself first.
    if (event.key !== 'Escape' || !open || event.defaultPrevented) return;
    event.preventDefault();
    setOpen(false);
    buttonRef.current?.focus();
  }

  return (
    <header className="app-header" onKeyDown={onKeyDown}>
      <div className="app-header-inner">
        <div className="brand-block">
          <span className="brand">Roster</span>
          <span className="org-name">{organization.name}</span>
        </div>
        <button
          ref={buttonRef}
          type="button"
          className="menu-toggle"
          aria-expanded={open}
          aria-controls={panelId}
          onClick={toggle}
        >
          <MenuIcon open={open} />
          Menu
        </button>
        <div id={panelId} ref={panelRef} className={open ? 'header-panel header-panel-open' : 'header-panel'}>
          <nav aria-label="Main" className="main-nav">
            {nav}
          </nav>
          <div className="header-end">
            {end}
            <AccountMenu />
          </div>
        </div>
      </div>
    </header>
  );
}

/** The frame of an administrator's pages: the roster's navigation, the active roster count and the account menu. */
export function AppLayout({ children }: { children: ReactNode }) {
  return (
    <RosterCountProvider>
      <SkipLink />
      <AppHeader
        nav={
          <>
            <Link to="/users" section className="nav-link">
              Users
            </Link>
            <Link to="/groups" className="nav-link">
              Groups
            </Link>
            <Link to="/locations" className="nav-link">
              Locations
            </Link>
            <Link to="/courses" section className="nav-link">
              Courses
            </Link>
            <Link to="/records" className="nav-link">
              Training records
            </Link>
            <Link to="/import" className="nav-link">
              Import
            </Link>
            <Link to="/audit" className="nav-link">
              Audit log
            </Link>
            <Link to="/settings" className="nav-link">
              Settings
            </Link>
          </>
        }
        end={
          <>
            <MailboxLink />
            <ActiveRosterCount />
          </>
        }
      />
      <main className="app-main" id="main" tabIndex={-1}>
        {children}
      </main>
    </RosterCountProvider>
  );
}

/** The frame of a learner's pages: their training and the account menu, nothing of the roster. */
export function LearnerLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <SkipLink />
      <AppHeader
        nav={
          <Link to="/my-training" className="nav-link">
            My training
          </Link>
        }
      />
      <main className="app-main" id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
