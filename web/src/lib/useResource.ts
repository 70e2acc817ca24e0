import { useCallback, useEffect, useState, type DependencyList } from 'react';
import { ApiError, asApiError } from '../api/client';

export interface Resource<T> {
  /** The latest data loaded; kept while a reload runs so the page does not flash. */
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

interface State<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
}

/**
 * Loads data when `deps` change, aborting the previous load, so a slow answer to
 * an old request never overwrites a newer one.
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Resource<T> {
  const [state, setState] = useState<State<T>>({ data: undefined, error: undefined, loading: true });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState((s) => ({ ...s, error: asApiError(error), loading: false }));
      },
    );
    return () => controller.abort();
    // `load` is a fresh closure on every render; `deps` say when it means something new.
  }, [...deps, generation]);

  return { ...state, reload };
}
