import type { ComponentType } from 'react';
import { AppLayout } from './layout/AppLayout';
import { AdminsOnlyPage } from './pages/AdminsOnlyPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { Redirect, usePath } from './router/router';
import { SessionProvider, useSession } from './session/SessionContext';
import { UsersPage } from './users/UsersPage';

/** The signed-in pages by path. */
const ROUTES: Record<string, ComponentType> = {
  '/': () => <Redirect to="/users" />,
  '/users': UsersPage,
};

function SignedInPages() {
  const Page = ROUTES[usePath()] ?? NotFoundPage;
  return (
    <AppLayout>
      <Page />
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
