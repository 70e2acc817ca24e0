import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '../api/ApiContext';
import { asApiError } from '../api/client';
import type { ActionRequest, BulkTarget, ExportTarget, User, UserFilter } from '../api/types';
import { isJobStarted } from '../jobs/jobResult';
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
import { Toast, type ToastNotice } from '../ui/Toast';
import { actionWords } from './actionWords';
import { MarksLegend } from './StatusMarks';
import { isQuick, offersActivate, rowNotice, statusControl, undoOf } from './rowQuick';
import { ActionDialog } from './ActionDialog';
import { AddUserDialog, type AddedUser } from './AddUserDialog';
import { BulkBar } from './BulkBar';
import { bulkChoices, rowChoices, rowEmptyText, simpleRequest, type ActionChoice } from './actions';
import { Pager } from './Pager';
import { UserFilters, type FilterValues } from './UserFilters';
import { PAGE_SIZES, filtersFromSearch, filtersToSearch, hasFilters } from './filtersInAddress';
import { NO_FILTERS } from './UserFilters';
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

const SEARCH_DEBOUNCE_MS = 300;

type OpenDialog =
  | { kind: 'add' }
  | { kind: 'export' }
  /** An action on the selection (`user` unset) or on one user from their row. */
  | { kind: 'action'; choice: ActionChoice; count: number; target: BulkTarget; user?: User }
  | null;

type Notice = ToastNotice;

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
  const [cursors, setCursors] = useState(fromAddress.pages);
  const [pageSize, setPageSize] = useState(fromAddress.pageSize);
  useEffect(() => replaceQuery(filtersToSearch(filterValues, q, { pages: cursors, pageSize })), [filterValues, q, cursors, pageSize]);

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
    (signal) => api.listUsers({ ...filter, limit: pageSize, cursor }, { signal }),
    [api, filterKey, cursor, pageSize],
  );
  const users = listing.data?.items ?? [];
  const total = listing.data?.total ?? 0;
  const totalExact = listing.data?.totalExact ?? true;
  const nextCursor = listing.data?.nextCursor ?? null;
  const pageIds = users.map((user) => user.id);
  const count = selectedCount(selection, total);
  // The statuses of the selected users, when every one of them is on this page (else unknown: null).
  const selectedStatuses =
    selection.kind === 'rows' && [...selection.ids].every((id) => pageIds.includes(id))
      ? users.filter((user) => selection.ids.has(user.id)).map((user) => user.status)
      : null;

  const pageTop = useRef<HTMLElement>(null);
  // The table's header sticks just under the bulk bar, however tall the bar is.
  const barRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const bar = barRef.current;
    if (!bar || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => pageTop.current?.style.setProperty('--bulk-bar-height', `${bar.offsetHeight}px`));
    observer.observe(bar);
    return () => observer.disconnect();
  }, []);
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
  const dismissNotice = useCallback(() => setNotice(undefined), []);

  /** One action on one user from their row: done at once, then a short notice, with Undo when it can be taken back. */
  async function runOnUser(user: User, request: ActionRequest, undoing = false): Promise<void> {
    const name = fullName(user);
    try {
      const answer = await api.runAction(request, { userIds: [user.id] });
      if (isJobStarted(answer)) {
        afterChange({ tone: 'success', text: `${actionWords(request, lookups).name}: started for ${name}.` });
        return;
      }
      const told = rowNotice(actionWords(request, lookups), name, answer);
      const undo = told.done && !undoing ? undoOf(request) : null;
      afterChange({
        tone: told.tone,
        text: undoing && told.done ? `Undone: ${told.text}` : told.text,
        undo: undo ? () => void runOnUser(user, undo, true) : undefined,
      });
    } catch (error) {
      afterChange({ tone: 'error', text: `${name}: ${errorText(asApiError(error))}` });
    }
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
            {listing.data ? countLabel(total, totalExact, 'user') : listing.error ? '' : 'Loading users…'}
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

      {notice && <Toast notice={notice} onDismiss={dismissNotice} />}
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
        onClear={
          hasFilters(filterValues, searchText)
            ? () => {
                setFilterValues(NO_FILTERS);
                setSearchText('');
              }
            : undefined
        }
      />

      <div className="bulk-bar-sticky" ref={barRef}>
      <BulkBar
        selection={selection}
        count={count}
        total={total}
        totalExact={totalExact}
        pageFullySelected={pageSelectionState(selection, pageIds) === 'all'}
        choices={bulkChoices(viewer, filter.archived !== 'exclude' || filter.status === 'archived').filter(
          (choice) => choice !== 'activate' || offersActivate(selectedStatuses, filter.status),
        )}
        onSelectAllMatching={() => setSelection({ kind: 'allMatching' })}
        onClear={() => setSelection(NO_SELECTION)}
        onChoose={(choice) =>
          setDialog({ kind: 'action', choice, count, target: bulkTarget(selection, filter, total) })
        }
      />
      </div>

      <MarksLegend />

      <UsersTable
        users={users}
        lookups={lookups}
        isSelected={(id) => isSelected(selection, id)}
        onToggleRow={(id) => setSelection(toggleRow(selection, id, pageIds))}
        pageSelection={pageSelectionState(selection, pageIds)}
        onTogglePage={() => setSelection(togglePage(selection, pageIds))}
        busy={listing.loading}
        error={listing.error}
        onRetry={listing.reload}
        menus={{
          choicesFor: (user) => rowChoices(user, viewer, context),
          emptyTextFor: (user) => rowEmptyText(user, viewer),
          onChoose: (user, choice) =>
            isQuick(choice)
              ? void runOnUser(user, simpleRequest(choice))
              : setDialog({ kind: 'action', choice, count: 1, target: { userIds: [user.id] }, user }),
          groups: lookups.groups,
          onRun: (user, request) => void runOnUser(user, request),
        }}
        status={{
          controlFor: (user) => statusControl(user, viewer),
          onConfirm: (user, action) => runOnUser(user, { action }),
        }}
      />

      <Pager
        pageIndex={pageIndex(cursors)}
        pageSize={pageSize}
        pageSizes={PAGE_SIZES}
        onPageSize={(size) => {
          setPageSize(size);
          goToPage(FIRST_PAGE);
        }}
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
