import { useCallback, useEffect, useImperativeHandle, type Ref } from 'react';
import { useApi } from '../api/ApiContext';
import { AuditTimeline } from '../audit/AuditTimeline';
import type { AuditNames } from '../audit/auditWords';
import { useAuditLog } from '../audit/useAuditLog';
import { useRefreshSoon } from '../lib/useRefreshSoon';

const PAGE_SIZE = 20;
/** The stream consumer writes the history a moment after a change. */
const REFRESH_DELAYS_MS = [1000, 2500, 5000];

/** Lets the page ask for the history to be read again once a change has reached it. */
export interface HistoryHandle {
  refreshSoon: () => void;
}

interface UserHistoryProps {
  userId: string;
  names: AuditNames;
  ref?: Ref<HistoryHandle>;
}

/** The user's history, newest first: who changed what and when. */
export function UserHistory({ userId, names, ref }: UserHistoryProps) {
  const api = useApi();
  const load = useCallback(
    (page: { limit: number; cursor?: string }, signal: AbortSignal) => api.userAudit(userId, page, { signal }),
    [api, userId],
  );
  const log = useAuditLog(load, userId, PAGE_SIZE);
  const refreshSoon = useRefreshSoon(log.refresh, REFRESH_DELAYS_MS);
  useImperativeHandle(ref, () => ({ refreshSoon }), [refreshSoon]);

  // Every user's history starts with their creation: none yet means it is still on its way.
  const empty = !log.loading && !log.error && log.entries.length === 0 && !log.hasOlder;
  useEffect(() => {
    if (empty) refreshSoon();
  }, [empty, refreshSoon]);

  return (
    <section className="card" aria-labelledby="history-title">
      <div className="card-header">
        <h2 id="history-title">History</h2>
        <button type="button" className="button button-small" onClick={log.refresh}>
          Refresh
        </button>
      </div>
      <AuditTimeline
        log={log}
        perspective="user"
        names={names}
        label="History"
        emptyText="No change to this user has been recorded yet."
      />
    </section>
  );
}
