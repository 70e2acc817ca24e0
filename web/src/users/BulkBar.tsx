import { pluralize } from '../lib/plural';
import { MenuButton } from '../ui/MenuButton';
import { CHOICE_LABELS, type ActionChoice } from './actions';
import { choiceEntries } from './choiceEntries';
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
  /** The actions on offer for a selection (see bulkChoices). */
  choices: readonly ActionChoice[];
  onSelectAllMatching: () => void;
  onClear: () => void;
  onChoose: (choice: ActionChoice) => void;
}

/** The bar over the table: how many users are selected, and every action for them. */
export function BulkBar({
  selection,
  count,
  total,
  totalExact,
  pageFullySelected,
  choices,
  onSelectAllMatching,
  onClear,
  onChoose,
}: BulkBarProps) {
  if (count === 0) {
    return (
      <div className="bulk-bar bulk-bar-idle">
        <p className="muted">Select users to approve, notify, deactivate, archive them and more.</p>
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
        <MenuButton
          label="Choose action"
          className="button button-primary"
          align="end"
          entries={choiceEntries(choices, (choice) => CHOICE_LABELS[choice], onChoose)}
        >
          Choose action <span aria-hidden="true" className="caret" />
        </MenuButton>
        <button type="button" className="button" onClick={() => onChoose('archive')}>
          Archive {users}
        </button>
        {choices.includes('unarchive') && (
          <button type="button" className="button" onClick={() => onChoose('unarchive')}>
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
