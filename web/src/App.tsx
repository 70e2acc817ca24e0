import { Fragment, type ReactNode } from 'react';
import { AuditLogPage } from './audit/AuditLogPage';
import { ImportPage } from './imports/ImportPage';
import { CourseDetailPage } from './courses/CourseDetailPage';
import { CoursesPage } from './courses/CoursesPage';
import { ChangePasswordPage, RequiredPasswordChangePage } from './identity/ChangePasswordPage';
import { ForgotPasswordPage } from './identity/ForgotPasswordPage';
import { LinkPasswordPage } from './identity/LinkPasswordPage';
import { RegisterPage } from './identity/RegisterPage';
import { AppLayout, LearnerLayout } from './layout/AppLayout';
import { GroupsPage, LocationsPage } from './named/NamedItemsPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { TrainingRecordsPage } from './records/TrainingRecordsPage';
import { Redirect, useNavigationKey, usePath } from './router/router';
import { landingPath } from './session/landing';
import { SessionProvider, useSession, useSignedInSession } from './session/SessionContext';
import { SettingsPage } from './settings/SettingsPage';
import { MyTrainingPage } from './training/MyTrainingPage';
import { UserDetailPage } from './userDetail/UserDetailPage';
import { UsersPage } from './users/UsersPage';

type Routes = Record<string, () => ReactNode>;

/**
 * The pages emailed links lead to, shown whatever the session: the link, not
 * the session, says whom they are for.
 */
const LINK_PAGES: Routes = {
  '/invitation': () => <LinkPasswordPage purpose="invitation" />,
  '/reset-password': () => <LinkPasswordPage purpose="password-reset" />,
  '/register': () => <RegisterPage />,
};

/** The pages of the signed-out: signing in, and asking for a reset link. */
const SIGNED_OUT_PAGES: Routes = {
  '/forgot-password': () => <ForgotPasswordPage />,
};

/** Every signed-in person's pages. */
const ACCOUNT_PAGES: Routes = {
  '/my-training': () => <MyTrainingPage />,
  '/change-password': () => <ChangePasswordPage />,
};

/** An administrator's pages, besides their account's. */
const ADMIN_PAGES: Routes = {
  '/users': () => <UsersPage />,
  '/groups': () => <GroupsPage />,
  '/locations': () => <LocationsPage />,
  '/audit': () => <AuditLogPage />,
  '/import': () => <ImportPage />,
  '/courses': () => <CoursesPage />,
  '/records': () => <TrainingRecordsPage />,
  '/settings': () => <SettingsPage />,
};

/** Where signing in starts from: once signed in, these lead to the landing page. */
const ENTRY_PATHS = new Set(['/', '/login', ...Object.keys(SIGNED_OUT_PAGES)]);

const USER_PATH = /^\/users\/([^/]+)$/;
const COURSE_PATH = /^\/courses\/([^/]+)$/;

/** An administrator's pages of one record: a user's (/users/{id}), a course's (/courses/{id}). */
function isRecordPath(path: string): boolean {
  return USER_PATH.test(path) || COURSE_PATH.test(path);
}

/** The page at `path` for an administrator: a listed one, a user's or course's page, or not found. */
export function pageAt(path: string): ReactNode {
  const listed = ADMIN_PAGES[path] ?? ACCOUNT_PAGES[path];
  if (listed) return listed();
  const user = USER_PATH.exec(path);
  if (user) return <UserDetailPage id={decodeURIComponent(user[1]!)} />;
  const course = COURSE_PATH.exec(path);
  if (course) return <CourseDetailPage id={decodeURIComponent(course[1]!)} />;
  return <NotFoundPage home="/users" homeName="Enrolled Users" />;
}

/** The page at `path` for a learner, who never sees the administrators' pages. */
function learnerPageAt(path: string): ReactNode {
  const listed = ACCOUNT_PAGES[path];
  if (listed) return listed();
  if (path in ADMIN_PAGES || isRecordPath(path)) return <Redirect to="/my-training" />;
  return <NotFoundPage home="/my-training" homeName="My training" />;
}

function SignedInPages() {
  const session = useSignedInSession();
  const path = usePath();
  // Each navigation starts the page afresh, even on the same path with another query.
  const key = useNavigationKey();
  if (ENTRY_PATHS.has(path)) return <Redirect to={landingPath(session)} />;
  if (session.user.role === 'learner') {
    return (
      <LearnerLayout>
        <Fragment key={key}>{learnerPageAt(path)}</Fragment>
      </LearnerLayout>
    );
  }
  return (
    <AppLayout>
      <Fragment key={key}>{pageAt(path)}</Fragment>
    </AppLayout>
  );
}

function SessionGate() {
  const { session } = useSession();
  const path = usePath();
  const linkPage = LINK_PAGES[path];
  if (linkPage) return linkPage();
  if (session === undefined) {
    return (
      <p className="app-loading" role="status">
        Loading…
      </p>
    );
  }
  if (!session) return SIGNED_OUT_PAGES[path]?.() ?? <LoginPage />;
  if (session.passwordChangeRequired) return <RequiredPasswordChangePage />;
  return <SignedInPages />;
}

export function App() {
  return (
    <SessionProvider>
      <SessionGate />
    </SessionProvider>
  );
}
