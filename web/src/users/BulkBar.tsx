import type { BulkAction } from '../api/types';
import { pluralize } from '../lib/plural';
import type { Selection } from './selection';

interface BulkBarProps {
  selection: Selection;
  /** How many users the selection covers. */
  count: number;
  /** How many users the filter matches. */
  total: number;
  /** False when more than `total` match: too many to select them all. */
  totalExact: boolean;
  pageFullySelected: boolean;
  /** Only a listing that shows archived users offers to unarchive. */
  canUnarchive: boolean;
  onSelectAllMatching: () => void;
  onClear: () => void;
  onAction: (action: BulkAction) => void;
}

export function BulkBar({
  selection,
  count,
  total,
  totalExact,
  pageFullySelected,
  canUnarchive,
  onSelectAllMatching,
  onClear,
  onAction,
}: BulkBarProps) {
  if (count === 0) {
    return (
      <div className="bulk-bar bulk-bar-idle">
        <p className="muted">Select users to archive or unarchive them.</p>
      </div>
    );
  }
  const users = pluralize(count, 'user');
  return (
    <div className="bulk-bar" role="region" aria-label="Selected users">
      <p>
        <strong>{users} selected</strong>
        {selection.kind === 'allMatching' && ' (every user that matches the filters)'}
      </p>
      {selection.kind === 'rows' && pageFullySelected && total > count && totalExact && (
        <button type="button" className="button-link" onClick={onSelectAllMatching}>
          Select all {pluralize(total, 'user')} that match
        </button>
      )}
      {selection.kind === 'rows' && pageFullySelected && !totalExact && (
        <p className="muted">More than {pluralize(total, 'user')} match: narrow the filters to act on all of them.</p>
      )}
      <div className="button-row bulk-actions">
        <button type="button" className="button" onClick={() => onAction('archive')}>
          Archive {users}
        </button>
        {canUnarchive && (
          <button type="button" className="button" onClick={() => onAction('unarchive')}>
            Unarchive {users}
          </button>
        )}
        <button type="button" className="button button-quiet" onClick={onClear}>
          Clear selection
        </button>
      </div>
    </div>
  );
}
