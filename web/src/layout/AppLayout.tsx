import type { ReactNode } from 'react';
import { Link } from '../router/router';
import { useSignedInSession } from '../session/SessionContext';
import { AccountMenu } from './AccountMenu';
import { ActiveRosterCount } from './ActiveRosterCount';
import { MailboxLink } from './MailboxLink';
import { RosterCountProvider } from './RosterCountContext';

/** The frame of every signed-in page: header with navigation, roster count and account menu. */
export function AppLayout({ children }: { children: ReactNode }) {
  const { organization } = useSignedInSession();
  return (
    <RosterCountProvider>
      <header className="app-header">
        <div className="app-header-inner">
          <div className="brand-block">
            <span className="brand">Roster</span>
            <span className="org-name">{organization.name}</span>
          </div>
          <nav aria-label="Main" className="main-nav">
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
            <Link to="/audit" className="nav-link">
              Audit log
            </Link>
          </nav>
          <div className="header-end">
            <MailboxLink />
            <ActiveRosterCount />
            <AccountMenu />
          </div>
        </div>
      </header>
      <main className="app-main">{children}</main>
    </RosterCountProvider>
  );
}
