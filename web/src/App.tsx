import { useEffect, type ComponentType } from 'react';
import { AppLayout } from './layout/AppLayout';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { navigate, usePath } from './router/router';
import { SessionProvider, useSession } from './session/SessionContext';
import { UsersPage } from './users/UsersPage';

const HOME = '/users';

/** The signed-in pages by path. */
const ROUTES: Record<string, ComponentType> = {
  '/users': UsersPage,
};

function SignedInPages() {
  const path = usePath();
  useEffect(() => {
    if (path === '/') navigate(HOME, { replace: true });
  }, [path]);
  const Page = ROUTES[path] ?? (path === '/' ? null : NotFoundPage);
  return <AppLayout>{Page && <Page />}</AppLayout>;
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
  return session ? <SignedInPages /> : <LoginPage />;
}

export function App() {
  return (
    <SessionProvider>
      <SessionGate />
    </SessionProvider>
  );
}
