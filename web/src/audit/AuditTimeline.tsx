import { errorText } from '../ui/errorText';
import { AuditEntryItem, type Perspective } from './AuditEntryItem';
import type { AuditNames } from './auditWords';
import type { AuditLog } from './useAuditLog';

interface AuditTimelineProps {
  log: AuditLog;
  perspective: Perspective;
  names: AuditNames;
  /** The accessible name of the list. */
  label: string;
  /** Said when there is no entry at all. */
  emptyText: string;
}

/** Entries newest first, with "Show older" while the log goes on. */
export function AuditTimeline({ log, perspective, names, label, emptyText }: AuditTimelineProps) {
  if (log.loading) {
    return (
      <p className="muted" role="status">
        Loading entries…
      </p>
    );
  }
  if (log.error && log.entries.length === 0) {
    return (
      <div className="alert alert-error" role="alert">
        <span>The entries could not be loaded. {errorText(log.error)}</span>
        <button type="button" className="button button-small" onClick={log.refresh}>
          Try again
        </button>
      </div>
    );
  }
  return (
    <>
      {log.entries.length > 0 ? (
        <ol className="timeline" aria-label={label}>
          {log.entries.map((entry) => (
            <AuditEntryItem key={entry.id} entry={entry} perspective={perspective} names={names} />
          ))}
        </ol>
      ) : (
        !log.hasOlder && <p className="empty-note">{emptyText}</p>
      )}
      <OlderControls log={log} />
    </>
  );
}

function OlderControls({ log }: { log: AuditLog }) {
  if (!log.hasOlder) {
    return log.entries.length > 0 ? <p className="timeline-end muted">No older entries.</p> : null;
  }
  return (
    <div className="timeline-more">
      {log.lastStretchEmpty && (
        <p className="muted" role="status">
          No matching entries in the stretch just searched; older ones may match.
        </p>
      )}
      {log.olderError && (
        <p className="field-error" role="alert">
          Older entries could not be loaded. {errorText(log.olderError)}
        </p>
      )}
      <button type="button" className="button" onClick={log.showOlder} disabled={log.loadingOlder}>
        {log.loadingOlder ? 'Loading…' : log.lastStretchEmpty ? 'Keep looking' : 'Show older'}
      </button>
    </div>
  );
}
