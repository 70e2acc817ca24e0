import { createContext, useCallback, useContext, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useApi } from '../api/ApiContext';
import type { Organization } from '../api/types';
import { useResource, type Resource } from '../lib/useResource';

/**
 * The stream consumer updates the organization's counts a moment after a change,
 * so after an action the figures are fetched again a little later, twice.
 */
const REFRESH_DELAYS_MS = [1000, 3000];

interface RosterCount {
  organization: Resource<Organization>;
  /** Call after changing users: the counts follow shortly. */
  refreshSoon: () => void;
}

const RosterCountContext = createContext<RosterCount | null>(null);

export function RosterCountProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const organization = useResource((signal) => api.organization({ signal }), [api]);
  const { reload } = organization;
  const timers = useRef<number[]>([]);

  const refreshSoon = useCallback(() => {
    timers.current.forEach((timer) => window.clearTimeout(timer));
    timers.current = REFRESH_DELAYS_MS.map((delay) => window.setTimeout(reload, delay));
  }, [reload]);

  useEffect(() => () => timers.current.forEach((timer) => window.clearTimeout(timer)), []);

  const value = useMemo(() => ({ organization, refreshSoon }), [organization, refreshSoon]);
  return <RosterCountContext.Provider value={value}>{children}</RosterCountContext.Provider>;
}

export function useRosterCount(): RosterCount {
  const value = useContext(RosterCountContext);
  if (!value) throw new Error('useRosterCount must be used inside a RosterCountProvider');
  return value;
}
