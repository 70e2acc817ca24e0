import { useCallback, useEffect, useRef } from 'react';

/**
 * The stream consumer writes counts and history a moment after a change, so
 * after one the data is fetched again a little later, a few times.
 * Returns a function that (re)starts those delayed reloads; pass `delaysMs` as a constant.
 */
export function useRefreshSoon(reload: () => void, delaysMs: readonly number[]): () => void {
  const timers = useRef<number[]>([]);
  const clear = () => timers.current.forEach((timer) => window.clearTimeout(timer));

  const refreshSoon = useCallback(() => {
    clear();
    timers.current = delaysMs.map((delay) => window.setTimeout(reload, delay));
  }, [reload, delaysMs]);

  useEffect(() => clear, []);
  return refreshSoon;
}
