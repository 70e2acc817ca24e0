import { useEffect, useRef } from 'react';
import type { ActionRequest, NamedItem, User } from '../api/types';
import type { ApiError } from '../api/client';
import { ROLE_LABELS, formatDate, fullName, signInName } from '../lib/format';
import { errorText } from '../ui/errorText';
import { Link } from '../router/router';
import type { ActionChoice } from './actions';
import { RowActions } from './RowActions';
import type { StatusControl } from './rowQuick';
import { StatusToggle } from './StatusToggle';
import { StatusMarks } from './StatusMarks';
import type { Lookups } from './useLookups';
import type { PageSelectionState } from './selection';

/** The actions menu of each row. */
export interface RowMenus {
  choicesFor: (user: User) => ActionChoice[];
  emptyTextFor: (user: User) => string;
  onChoose: (user: User, choice: ActionChoice) => void;
  /** The groups that Add to group and Remove from group list. */
  groups: readonly Pick<NamedItem, 'id' | 'name'>[];
  /** Runs a request on the user at once (a group chosen from the menu). */
  onRun: (user: User, request: ActionRequest) => void;
}

interface UsersTableProps {
  users: User[];
  lookups: Pick<Lookups, 'groupName' | 'locationName' | 'courseName'>;
  isSelected: (id: string) => boolean;
  onToggleRow: (id: string) => void;
  pageSelection: PageSelectionState;
  onTogglePage: () => void;
  busy: boolean;
  /** Why the list could not be loaded: said in the table, in place of the rows. */
  error?: ApiError | null;
  onRetry?: () => void;
  menus: RowMenus;
  /** The status icon of each row and what it does. */
  status: {
    controlFor: (user: User) => StatusControl;
    onConfirm: (user: User, action: 'deactivate' | 'activate') => Promise<void>;
  };
}

const COLUMNS = 9;
const PLACEHOLDER_ROWS = 6;

/** Gray bars in the shape of rows while the first answer is on its way. */
function PlaceholderRows() {
  return (
    <>
      {Array.from({ length: PLACEHOLDER_ROWS }, (_, i) => (
        <tr key={i} className="placeholder-row" aria-hidden="true">
          {Array.from({ length: COLUMNS }, (_, j) => (
            <td key={j}>
              <span className="placeholder-bar" />
            </td>
          ))}
        </tr>
      ))}
    </>
  );
}

function PageCheckbox({ state, onToggle }: { state: PageSelectionState; onToggle: () => void }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = state === 'some';
  }, [state]);
  return (
    <input
      ref={ref}
      type="checkbox"
      aria-label="Select all users on this page"
      checked={state === 'all'}
      onChange={onToggle}
    />
  );
}

export function UsersTable({
  users,
  lookups,
  isSelected,
  onToggleRow,
  pageSelection,
  onTogglePage,
  busy,
  error,
  onRetry,
  menus,
  status,
}: UsersTableProps) {
  return (
    <div className="table-wrap users-table-wrap">
      <table className="data-table users-table" aria-busy={busy}>
        <caption className="visually-hidden">Enrolled users</caption>
        <thead>
          <tr>
            <th scope="col" className="col-select">
              <PageCheckbox state={pageSelection} onToggle={onTogglePage} />
            </th>
            <th scope="col">Name</th>
            <th scope="col">Location</th>
            <th scope="col">Groups</th>
            <th scope="col">Courses</th>
            <th scope="col">Status</th>
            <th scope="col">Role</th>
            <th scope="col">Last access</th>
            <th scope="col" className="col-actions">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {error ? (
            <tr>
              <td colSpan={COLUMNS} className="empty-row error-row">
                <div className="alert alert-error" role="alert">
                  <span>Users could not be loaded. {errorText(error)}</span>
                  {onRetry && (
                    <button type="button" className="button button-small" onClick={onRetry}>
                      Try again
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ) : users.length === 0 && busy ? (
            <PlaceholderRows />
          ) : users.length === 0 ? (
            <tr>
              <td colSpan={COLUMNS} className="empty-row">
                No users match these filters.
              </td>
            </tr>
          ) : null}
          {!error && users.map((user) => {
            const name = fullName(user);
            const selected = isSelected(user.id);
            return (
              <tr key={user.id} className={selected ? 'row-selected' : undefined}>
                <td className="col-select">
                  <input
                    type="checkbox"
                    aria-label={`Select ${name}`}
                    checked={selected}
                    onChange={() => onToggleRow(user.id)}
                  />
                </td>
                <th scope="row" className="col-name">
                  <div className="name-cell">
                    <StatusToggle user={user} control={status.controlFor(user)} onConfirm={(action) => status.onConfirm(user, action)} />
                    <span className="name-block">
                      <Link to={`/users/${encodeURIComponent(user.id)}`} className="user-name">
                        {name}
                      </Link>
                      <span className="user-login">{signInName(user)}</span>
                    </span>
                  </div>
                </th>
                <td data-label="Location">{user.locationId ? lookups.locationName(user.locationId) : <span className="muted">—</span>}</td>
                <td data-label="Groups">
                  {user.groupIds.length > 0 ? (
                    user.groupIds.map((id) => lookups.groupName(id)).join(', ')
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td data-label="Courses">
                  {user.courses.length > 0 ? (
                    user.courses.map((a) => lookups.courseName(a.courseId)).join(', ')
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td data-label="Status">
                  <StatusMarks user={user} />
                </td>
                <td data-label="Role">{ROLE_LABELS[user.role]}</td>
                <td data-label="Last access">
                  {user.lastAccessAt ? (
                    <time dateTime={user.lastAccessAt}>{formatDate(user.lastAccessAt)}</time>
                  ) : (
                    <span className="muted">Never</span>
                  )}
                </td>
                <td className="col-actions">
                  <RowActions
                    user={user}
                    choices={menus.choicesFor(user)}
                    emptyText={menus.emptyTextFor(user)}
                    onChoose={(choice) => menus.onChoose(user, choice)}
                    groups={menus.groups}
                    onRun={(request) => menus.onRun(user, request)}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
