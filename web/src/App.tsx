import { Fragment, type ReactNode } from 'react';
import { AuditLogPage } from './audit/AuditLogPage';
import { CourseDetailPage } from './courses/CourseDetailPage';
import { CoursesPage } from './courses/CoursesPage';
import { AppLayout } from './layout/AppLayout';
import { GroupsPage, LocationsPage } from './named/NamedItemsPage';
import { AdminsOnlyPage } from './pages/AdminsOnlyPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { Redirect, useNavigationKey, usePath } from './router/router';
import { SessionProvider, useSession } from './session/SessionContext';
import { UserDetailPage } from './userDetail/UserDetailPage';
import { UsersPage } from './users/UsersPage';

/** The signed-in pages by path. */
const ROUTES: Record<string, () => ReactNode> = {
  '/': () => <Redirect to="/users" />,
  '/users': () => <UsersPage />,
  '/groups': () => <GroupsPage />,
  '/locations': () => <LocationsPage />,
  '/audit': () => <AuditLogPage />,
  '/courses': () => <CoursesPage />,
};

const USER_PATH = /^\/users\/([^/]+)$/;
const COURSE_PATH = /^\/courses\/([^/]+)$/;

/** The page at `path`: a listed one, a user's page (/users/{id}), or not found. */
export function pageAt(path: string): ReactNode {
  const listed = ROUTES[path];
  if (listed) return listed();
  const user = USER_PATH.exec(path);
  if (user) return <UserDetailPage id={decodeURIComponent(user[1]!)} />;
  const course = COURSE_PATH.exec(path);
  if (course) return <CourseDetailPage id={decodeURIComponent(course[1]!)} />;
  return <NotFoundPage />;
}

function SignedInPages() {
  const path = usePath();
  // Each navigation starts the page afresh, even on the same path with another query.
  const key = useNavigationKey();
  return (
    <AppLayout>
      <Fragment key={key}>{pageAt(path)}</Fragment>
    </AppLayout>
  );
}

function SessionGate() {
  const { session } = useSession();
  if (session === undefined) {
    return (
      <p className="app-loading" role="status">
        Loading…
      </p>
    );
  }
  if (!session) return <LoginPage />;
  return session.user.role === 'learner' ? <AdminsOnlyPage /> : <SignedInPages />;
}

export function App() {
  return (
    <SessionProvider>
      <SessionGate />
    </SessionProvider>
  );
}
