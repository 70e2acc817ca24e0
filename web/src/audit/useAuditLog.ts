import { useCallback, useEffect, useRef, useState } from 'react';
import { asApiError, type ApiError } from '../api/client';
import type { AuditEntry, AuditPage } from '../api/types';

/** Reads one page of a log: at most `limit` entries from `cursor` (undefined for the newest). */
export type LoadAudit = (page: { limit: number; cursor?: string }, signal: AbortSignal) => Promise<AuditPage>;

/** A page of a cursor-paged listing whose pages may come back short. */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A filtered page may hold fewer entries than asked and still have a next
 * cursor, or none at all: reading goes on, a few pages at most, until it has
 * a page's worth or the log ends.
 */
export const MAX_READS_PER_PAGE = 4;

export async function collect<T>(
  load: (page: { limit: number; cursor?: string }, signal: AbortSignal) => Promise<CursorPage<T>>,
  cursor: string | undefined,
  want: number,
  signal: AbortSignal,
): Promise<CursorPage<T>> {
  const items: T[] = [];
  let next = cursor;
  for (let reads = 0; reads < MAX_READS_PER_PAGE; reads++) {
    const page = await load({ limit: want - items.length, cursor: next }, signal);
    items.push(...page.items);
    next = page.nextCursor ?? undefined;
    if (!next || items.length >= want) break;
  }
  return { items, nextCursor: next ?? null };
}

function withoutRepeats(entries: AuditEntry[]): AuditEntry[] {
  const seen = new Set<string>();
  return entries.filter((entry) => !seen.has(entry.id) && seen.add(entry.id));
}

interface LogState {
  entries: AuditEntry[];
  nextCursor: string | null;
  /** Whether older pages were added to the newest one. */
  extended: boolean;
  loaded: boolean;
  error: ApiError | undefined;
  older: 'idle' | 'loading' | 'failed';
  olderError: ApiError | undefined;
  /** The last reading back found nothing, though the log goes on. */
  lastStretchEmpty: boolean;
}

const INITIAL: LogState = {
  entries: [],
  nextCursor: null,
  extended: false,
  loaded: false,
  error: undefined,
  older: 'idle',
  olderError: undefined,
  lastStretchEmpty: false,
};

export interface AuditLog {
  entries: AuditEntry[];
  /** True until the newest entries for these filters arrive (or fail). */
  loading: boolean;
  error: ApiError | undefined;
  hasOlder: boolean;
  loadingOlder: boolean;
  olderError: ApiError | undefined;
  lastStretchEmpty: boolean;
  showOlder: () => void;
  /** Reads the newest entries again, keeping the older ones already shown. */
  refresh: () => void;
}

/**
 * A log read newest first, a page at a time with "Show older". `queryKey`
 * names the filters: when it changes the log starts again from the newest.
 */
export function useAuditLog(load: LoadAudit, queryKey: string, pageSize: number): AuditLog {
  const [state, setState] = useState<LogState>(INITIAL);
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  const olderController = useRef<AbortController | null>(null);

  useEffect(() => {
    loadRef.current = load;
  });

  // New filters: nothing shown belongs to them.
  const [shownKey, setShownKey] = useState(queryKey);
  if (shownKey !== queryKey) {
    setShownKey(queryKey);
    setState(INITIAL);
  }

  useEffect(() => {
    const controller = new AbortController();
    collect(loadRef.current, undefined, pageSize, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        setState((s) =>
          s.extended
            ? { ...s, entries: withoutRepeats([...page.items, ...s.entries]), loaded: true, error: undefined }
            : {
                ...s,
                entries: page.items,
                nextCursor: page.nextCursor,
                loaded: true,
                error: undefined,
                lastStretchEmpty: page.items.length === 0 && page.nextCursor !== null,
              },
        );
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState((s) => ({ ...s, loaded: true, error: asApiError(error) }));
      },
    );
    return () => controller.abort();
  }, [queryKey, generation, pageSize]);

  useEffect(
    () => () => {
      olderController.current?.abort();
      olderController.current = null;
    },
    [queryKey],
  );

  const { nextCursor, older } = state;
  const showOlder = useCallback(() => {
    if (!nextCursor || older === 'loading') return;
    const controller = new AbortController();
    olderController.current = controller;
    setState((s) => ({ ...s, older: 'loading', olderError: undefined }));
    collect(loadRef.current, nextCursor, pageSize, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        setState((s) => ({
          ...s,
          entries: withoutRepeats([...s.entries, ...page.items]),
          nextCursor: page.nextCursor,
          extended: true,
          older: 'idle',
          lastStretchEmpty: page.items.length === 0 && page.nextCursor !== null,
        }));
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState((s) => ({ ...s, older: 'failed', olderError: asApiError(error) }));
      },
    );
  }, [nextCursor, older, pageSize]);

  const refresh = useCallback(() => setGeneration((n) => n + 1), []);

  return {
    entries: state.entries,
    loading: !state.loaded,
    error: state.error,
    hasOlder: state.nextCursor !== null,
    loadingOlder: state.older === 'loading',
    olderError: state.olderError,
    lastStretchEmpty: state.lastStretchEmpty,
    showOlder,
    refresh,
  };
}
