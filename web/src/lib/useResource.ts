import { useCallback, useEffect, useState, type DependencyList } from 'react';
import { ApiError, asApiError } from '../api/client';

export interface Resource<T> {
  /** The latest data loaded; kept while a reload runs so the page does not flash. */
  data: T | undefined;
  error: ApiError | undefined;
  /** True from the very render in which the deps change until their data (or error) arrives. */
  loading: boolean;
  reload: () => void;
}

interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  /** The deps the data or error answers. */
  loadedFor: DependencyList | undefined;
}

function sameDeps(a: DependencyList, b: DependencyList): boolean {
  return a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
}

/**
 * Loads data when `deps` change, aborting the previous load, so a slow answer to
 * an old request never overwrites a newer one.
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Resource<T> {
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  const key = [...deps, generation];
  const [loaded, setLoaded] = useState<Loaded<T>>({ data: undefined, error: undefined, loadedFor: undefined });

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setLoaded({ data, error: undefined, loadedFor: key });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setLoaded((l) => ({ ...l, error: asApiError(error), loadedFor: key }));
      },
    );
    return () => controller.abort();
    // `load` and `key` are fresh on every render; the deps say when they mean something new.
  }, key);

  const loading = !loaded.loadedFor || !sameDeps(loaded.loadedFor, key);
  return { data: loaded.data, error: loaded.error, loading, reload };
}
