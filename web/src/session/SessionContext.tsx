import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiProvider } from '../api/ApiContext';
import { createApiClient } from '../api/client';
import type { Credentials, Session } from '../api/types';
import { errorText } from '../ui/errorText';

interface SessionState {
  /** Undefined while the session is being checked, null when signed out. */
  session: Session | null | undefined;
  /** Why a session ended without the person signing out, to tell them on the sign-in page. */
  endedBecause?: string;
}

interface SessionControls extends SessionState {
  signIn: (credentials: Credentials) => Promise<void>;
  /** Takes a session the server answered some other way (a link redeemed, a password changed). */
  adopt: (session: Session) => void;
  signOut: () => Promise<void>;
  /** Ends every session of the user, this one too; fails, changing nothing here, when the server could not be told. */
  signOutEverywhere: () => Promise<void>;
}

/** What the sign-in page says after "Sign out everywhere". */
export const SIGNED_OUT_EVERYWHERE = 'You are signed out on every device.';

const SessionContext = createContext<SessionControls | null>(null);

/**
 * Owns the API client and the signed-in session: checks it on load, and drops it
 * when any request finds the session gone (expired, or access removed).
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ session: undefined });
  const [api] = useState(() =>
    createApiClient({
      onUnauthorized: (error) =>
        setState((s) => (s.session ? { session: null, endedBecause: errorText(error) } : { session: null })),
    }),
  );

  useEffect(() => {
    const controller = new AbortController();
    api.me({ signal: controller.signal }).then(
      (session) => setState({ session }),
      () => {
        if (!controller.signal.aborted) setState({ session: null });
      },
    );
    return () => controller.abort();
  }, [api]);

  const signIn = useCallback(
    async (credentials: Credentials) => setState({ session: await api.login(credentials) }),
    [api],
  );

  const adopt = useCallback((session: Session) => setState({ session }), []);

  const signOut = useCallback(async () => {
    // The person asked to leave: show the sign-in page even if the server could not be told.
    await api.logout().catch(() => undefined);
    setState({ session: null });
  }, [api]);

  const signOutEverywhere = useCallback(async () => {
    await api.logoutEverywhere();
    setState({ session: null, endedBecause: SIGNED_OUT_EVERYWHERE });
  }, [api]);

  const controls = useMemo(
    () => ({ ...state, signIn, adopt, signOut, signOutEverywhere }),
    [state, signIn, adopt, signOut, signOutEverywhere],
  );
  return (
    <ApiProvider value={api}>
      <SessionContext.Provider value={controls}>{children}</SessionContext.Provider>
    </ApiProvider>
  );
}

export function useSession(): SessionControls {
  const controls = useContext(SessionContext);
  if (!controls) throw new Error('useSession must be used inside a SessionProvider');
  return controls;
}

/** The signed-in session, for components that only render once there is one. */
export function useSignedInSession(): Session {
  const { session } = useSession();
  if (!session) throw new Error('useSignedInSession needs a signed-in session');
  return session;
}
