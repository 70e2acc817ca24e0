import { useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { BulkTarget, ExportTarget, User, UserFilter } from '../api/types';
import { FIRST_PAGE, currentCursor, pageIndex, popCursor, pushCursor } from '../lib/cursorStack';
import { fullName } from '../lib/format';
import { countLabel, pluralize } from '../lib/plural';
import { useDebouncedValue } from '../lib/useDebouncedValue';
import { useResource } from '../lib/useResource';
import { useRosterCount } from '../layout/RosterCountContext';
import { replaceQuery } from '../router/router';
import { useSignedInSession } from '../session/SessionContext';
import { errorText } from '../ui/errorText';
import { ExportPanel } from '../exports/ExportPanel';
import { Dialog } from '../ui/Dialog';
import { ActionDialog } from './ActionDialog';
import { AddUserDialog, type AddedUser } from './AddUserDialog';
import { BulkBar } from './BulkBar';
import { bulkChoices, rowChoices, rowEmptyText, type ActionChoice } from './actions';
import { Pager } from './Pager';
import { UserFilters, type FilterValues } from './UserFilters';
import { filtersFromSearch, filtersToSearch } from './filtersInAddress';
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

type OpenDialog =
  | { kind: 'add' }
  | { kind: 'export' }
  /** An action on the selection (`user` unset) or on one user from their row. */
  | { kind: 'action'; choice: ActionChoice; count: number; target: BulkTarget; user?: User }
  | null;

interface Notice {
  tone: 'success' | 'warning';
  text: string;
}

function toUserFilter(values: FilterValues, q: string): UserFilter {
  return {
    location: values.location || undefined,
    group: values.group || undefined,
    course: values.course || undefined,
    status: values.status || undefined,
    role: values.role || undefined,
    q: q || undefined,
    archived: values.showArchived ? 'include' : 'exclude',
  };
}

/** What an export of the roster holds: the selection when there is one, else the filters in effect. */
export function exportScope(
  selection: Selection,
  filter: UserFilter,
  count: number,
  total: number,
  totalExact: boolean,
): { describe: string; target: ExportTarget } {
  if (selection.kind === 'rows' && count > 0) {
    return { describe: `the ${pluralize(count, 'selected user')}`, target: { userIds: [...selection.ids] } };
  }
  return { describe: `the ${countLabel(total, totalExact, 'user')} that match the filters`, target: { filter } };
}

export function UsersPage() {
  const api = useApi();
  const lookups = useLookups();
  const { refreshSoon } = useRosterCount();
  const { user: viewer } = useSignedInSession();

  // The filters start from the address (a group's "12 members" link, or coming back to the page).
  const [fromAddress] = useState(() => filtersFromSearch(window.location.search));
  const [filterValues, setFilterValues] = useState<FilterValues>(fromAddress.values);
  const [searchText, setSearchText] = useState(fromAddress.searchText);
  const q = useDebouncedValue(searchText.trim(), SEARCH_DEBOUNCE_MS);
  const filter = useMemo(() => toUserFilter(filterValues, q), [filterValues, q]);
  const filterKey = JSON.stringify(filter);
  useEffect(() => replaceQuery(filtersToSearch(filterValues, q)), [filterValues, q]);

  const [cursors, setCursors] = useState(FIRST_PAGE);
  const [selection, setSelection] = useState<Selection>(NO_SELECTION);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [notice, setNotice] = useState<Notice>();

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

  function afterChange(notice?: Notice) {
    listing.reload();
    refreshSoon();
    setNotice(notice);
  }

  function userAdded({ user, invitation }: AddedUser) {
    setDialog(null);
    const name = fullName(user);
    if (invitation === 'failed') {
      afterChange({ tone: 'warning', text: `Added ${name}, but the invitation could not be sent: use Notify to try again.` });
    } else {
      afterChange({ tone: 'success', text: invitation === 'sent' ? `Added ${name} and sent the invitation.` : `Added ${name}.` });
    }
  }

  function actionClosed(ran: boolean, onSelection: boolean) {
    setDialog(null);
    if (!ran) return;
    // The selection was acted on: it is done with. A row's action leaves the selection alone.
    if (onSelection) setSelection(NO_SELECTION);
    afterChange();
  }

  const context = { groupCount: lookups.groups.length, hasLocations: lookups.locations.length > 0 };
  const names = new Map(users.map((user) => [user.id, fullName(user)]));

  return (
    <section className="page" aria-labelledby="users-title" ref={pageTop}>
      <div className="page-header">
        <div>
          <h1 id="users-title">Enrolled Users</h1>
          <p className="total" aria-live="polite">
            {listing.data ? countLabel(total, totalExact, 'user') : 'Loading users…'}
          </p>
        </div>
        <div className="button-row">
          <button type="button" className="button" onClick={() => setDialog({ kind: 'export' })}>
            Export
          </button>
          <button type="button" className="button button-primary" onClick={() => setDialog({ kind: 'add' })}>
            Add user
          </button>
        </div>
      </div>

      {notice && (
        <p className={`alert alert-${notice.tone}`} role="status">
          {notice.text}
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
        courses={lookups.filterCourses}
      />

      <BulkBar
        selection={selection}
        count={count}
        total={total}
        totalExact={totalExact}
        pageFullySelected={pageSelectionState(selection, pageIds) === 'all'}
        choices={bulkChoices(viewer, filter.archived !== 'exclude' || filter.status === 'archived')}
        onSelectAllMatching={() => setSelection({ kind: 'allMatching' })}
        onClear={() => setSelection(NO_SELECTION)}
        onChoose={(choice) =>
          setDialog({ kind: 'action', choice, count, target: bulkTarget(selection, filter, total) })
        }
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
        menus={{
          choicesFor: (user) => rowChoices(user, viewer, context),
          emptyTextFor: (user) => rowEmptyText(user, viewer),
          onChoose: (user, choice) =>
            setDialog({ kind: 'action', choice, count: 1, target: { userIds: [user.id] }, user }),
        }}
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
          canChooseRole={viewer.role === 'owner'}
          onAdded={userAdded}
          onCancel={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'export' && (
        <Dialog title="Export users" onClose={() => setDialog(null)}>
          <ExportPanel {...exportScope(selection, filter, count, total, totalExact)} />
          <div className="button-row">
            <button type="button" className="button" onClick={() => setDialog(null)}>
              Close
            </button>
          </div>
        </Dialog>
      )}
      {dialog?.kind === 'action' && (
        <ActionDialog
          choice={dialog.choice}
          count={dialog.count}
          target={dialog.target}
          user={dialog.user}
          lookups={lookups}
          names={names}
          onClose={(ran) => actionClosed(ran, !dialog.user)}
        />
      )}
    </section>
  );
}
