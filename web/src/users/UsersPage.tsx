import { useMemo, useRef, useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { BulkAction, User, UserFilter } from '../api/types';
import { FIRST_PAGE, currentCursor, pageIndex, popCursor, pushCursor } from '../lib/cursorStack';
import { fullName } from '../lib/format';
import { countLabel } from '../lib/plural';
import { useDebouncedValue } from '../lib/useDebouncedValue';
import { useResource } from '../lib/useResource';
import { useRosterCount } from '../layout/RosterCountContext';
import { errorText } from '../ui/errorText';
import { AddUserDialog } from './AddUserDialog';
import { BulkActionDialog } from './BulkActionDialog';
import { BulkBar } from './BulkBar';
import { Pager } from './Pager';
import { NO_FILTERS, UserFilters, type FilterValues } from './UserFilters';
import { UsersTable } from './UsersTable';
import {
  NO_SELECTION,
  bulkTarget,
  isSelected,
  pageSelectionState,
  selectedCount,
  togglePage,
  toggleRow,
  type Selection,
} from './selection';
import { useLookups } from './useLookups';

const PAGE_SIZE = 50;
const SEARCH_DEBOUNCE_MS = 300;

type OpenDialog = { kind: 'add' } | { kind: 'bulk'; action: BulkAction } | null;

function toUserFilter(values: FilterValues, q: string): UserFilter {
  return {
    location: values.location || undefined,
    group: values.group || undefined,
    status: values.status || undefined,
    role: values.role || undefined,
    q: q || undefined,
    archived: values.showArchived ? 'include' : 'exclude',
  };
}

export function UsersPage() {
  const api = useApi();
  const lookups = useLookups();
  const { refreshSoon } = useRosterCount();

  const [filterValues, setFilterValues] = useState<FilterValues>(NO_FILTERS);
  const [searchText, setSearchText] = useState('');
  const q = useDebouncedValue(searchText.trim(), SEARCH_DEBOUNCE_MS);
  const filter = useMemo(() => toUserFilter(filterValues, q), [filterValues, q]);
  const filterKey = JSON.stringify(filter);

  const [cursors, setCursors] = useState(FIRST_PAGE);
  const [selection, setSelection] = useState<Selection>(NO_SELECTION);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [notice, setNotice] = useState('');

  // A new filter starts again from the first page with nothing selected.
  const [listedFilterKey, setListedFilterKey] = useState(filterKey);
  if (listedFilterKey !== filterKey) {
    setListedFilterKey(filterKey);
    setCursors(FIRST_PAGE);
    setSelection(NO_SELECTION);
  }

  const cursor = currentCursor(cursors);
  const listing = useResource(
    (signal) => api.listUsers({ ...filter, limit: PAGE_SIZE, cursor }, { signal }),
    [api, filterKey, cursor],
  );
  const users = listing.data?.items ?? [];
  const total = listing.data?.total ?? 0;
  const totalExact = listing.data?.totalExact ?? true;
  const nextCursor = listing.data?.nextCursor ?? null;
  const pageIds = users.map((user) => user.id);
  const count = selectedCount(selection, total);

  const pageTop = useRef<HTMLElement>(null);
  function goToPage(next: typeof cursors) {
    setCursors(next);
    setSelection(NO_SELECTION);
    pageTop.current?.scrollIntoView({ block: 'start' });
  }

  function afterChange(message?: string) {
    setSelection(NO_SELECTION);
    listing.reload();
    refreshSoon();
    setNotice(message ?? '');
  }

  function userAdded(user: User) {
    setDialog(null);
    afterChange(`Added ${fullName(user)}.`);
  }

  function bulkDialogClosed(ran: boolean) {
    setDialog(null);
    if (ran) afterChange();
  }

  return (
    <section className="page" aria-labelledby="users-title" ref={pageTop}>
      <div className="page-header">
        <div>
          <h1 id="users-title">Enrolled Users</h1>
          <p className="total" aria-live="polite">
            {listing.data ? countLabel(total, totalExact, 'user') : 'Loading users…'}
          </p>
        </div>
        <button type="button" className="button button-primary" onClick={() => setDialog({ kind: 'add' })}>
          Add user
        </button>
      </div>

      {notice && (
        <p className="alert alert-success" role="status">
          {notice}
        </p>
      )}
      {lookups.error && (
        <p className="alert alert-error" role="alert">
          Groups and locations could not be loaded. {errorText(lookups.error)}
        </p>
      )}

      <UserFilters
        values={filterValues}
        onChange={(changes) => setFilterValues((values) => ({ ...values, ...changes }))}
        searchText={searchText}
        onSearchTextChange={setSearchText}
        groups={lookups.groups}
        locations={lookups.locations}
      />

      <BulkBar
        selection={selection}
        count={count}
        total={total}
        totalExact={totalExact}
        pageFullySelected={pageSelectionState(selection, pageIds) === 'all'}
        canUnarchive={filter.archived !== 'exclude' || filter.status === 'archived'}
        onSelectAllMatching={() => setSelection({ kind: 'allMatching' })}
        onClear={() => setSelection(NO_SELECTION)}
        onAction={(action) => setDialog({ kind: 'bulk', action })}
      />

      {listing.error && (
        <div className="alert alert-error" role="alert">
          <span>Users could not be loaded. {errorText(listing.error)}</span>
          <button type="button" className="button button-small" onClick={listing.reload}>
            Try again
          </button>
        </div>
      )}

      <UsersTable
        users={users}
        lookups={lookups}
        isSelected={(id) => isSelected(selection, id)}
        onToggleRow={(id) => setSelection(toggleRow(selection, id, pageIds))}
        pageSelection={pageSelectionState(selection, pageIds)}
        onTogglePage={() => setSelection(togglePage(selection, pageIds))}
        busy={listing.loading}
      />

      <Pager
        pageIndex={pageIndex(cursors)}
        pageSize={PAGE_SIZE}
        itemsOnPage={users.length}
        total={total}
        hasPrevious={pageIndex(cursors) > 0}
        hasNext={nextCursor !== null}
        onPrevious={() => goToPage(popCursor(cursors))}
        onNext={() => {
          if (nextCursor) goToPage(pushCursor(cursors, nextCursor));
        }}
      />

      {dialog?.kind === 'add' && (
        <AddUserDialog
          groups={lookups.groups}
          locations={lookups.locations}
          onAdded={userAdded}
          onCancel={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'bulk' && (
        <BulkActionDialog
          action={dialog.action}
          count={count}
          target={bulkTarget(selection, filter, total)}
          onClose={bulkDialogClosed}
        />
      )}
    </section>
  );
}
