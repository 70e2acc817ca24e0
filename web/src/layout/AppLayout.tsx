import type { ReactNode } from 'react';
import { Link } from '../router/router';
import { useSignedInSession } from '../session/SessionContext';
import { AccountMenu } from './AccountMenu';
import { ActiveRosterCount } from './ActiveRosterCount';
import { MailboxLink } from './MailboxLink';
import { RosterCountProvider } from './RosterCountContext';

/** The header of every signed-in page: brand and organization, the navigation, then `end` and the account menu. */
function AppHeader({ nav, end }: { nav: ReactNode; end?: ReactNode }) {
  const { organization } = useSignedInSession();
  return (
    <header className="app-header">
      <div className="app-header-inner">
        <div className="brand-block">
          <span className="brand">Roster</span>
          <span className="org-name">{organization.name}</span>
        </div>
        <nav aria-label="Main" className="main-nav">
          {nav}
        </nav>
        <div className="header-end">
          {end}
          <AccountMenu />
        </div>
      </div>
    </header>
  );
}

/** The frame of an administrator's pages: the roster's navigation, the active roster count and the account menu. */
export function AppLayout({ children }: { children: ReactNode }) {
  return (
    <RosterCountProvider>
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
      <main className="app-main">{children}</main>
    </RosterCountProvider>
  );
}

/** The frame of a learner's pages: their training and the account menu, nothing of the roster. */
export function LearnerLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <AppHeader
        nav={
          <Link to="/my-training" className="nav-link">
            My training
          </Link>
        }
      />
      <main className="app-main">{children}</main>
    </>
  );
}
