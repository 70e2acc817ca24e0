import { useEffect, useRef } from 'react';
import type { User } from '../api/types';
import { formatDate, fullName, signInName } from '../lib/format';
import { Link } from '../router/router';
import type { ActionChoice } from './actions';
import { RowActions } from './RowActions';
import { StatusMarks } from './StatusMarks';
import type { Lookups } from './useLookups';
import type { PageSelectionState } from './selection';

/** The actions menu of each row. */
export interface RowMenus {
  choicesFor: (user: User) => ActionChoice[];
  emptyTextFor: (user: User) => string;
  onChoose: (user: User, choice: ActionChoice) => void;
}

interface UsersTableProps {
  users: User[];
  lookups: Pick<Lookups, 'groupName' | 'locationName' | 'courseName'>;
  isSelected: (id: string) => boolean;
  onToggleRow: (id: string) => void;
  pageSelection: PageSelectionState;
  onTogglePage: () => void;
  busy: boolean;
  menus: RowMenus;
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
  menus,
}: UsersTableProps) {
  return (
    <div className="table-wrap">
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
            <th scope="col">Classes</th>
            <th scope="col">Status</th>
            <th scope="col">Last access</th>
            <th scope="col" className="col-actions">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.length === 0 && (
            <tr>
              <td colSpan={8} className="empty-row">
                {busy ? 'Loading users…' : 'No users match these filters.'}
              </td>
            </tr>
          )}
          {users.map((user) => {
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
                  <Link to={`/users/${encodeURIComponent(user.id)}`} className="user-name">
                    {name}
                  </Link>
                  <span className="user-login">{signInName(user)}</span>
                </th>
                <td>{user.locationId ? lookups.locationName(user.locationId) : <span className="muted">—</span>}</td>
                <td>
                  {user.groupIds.length > 0 ? (
                    user.groupIds.map((id) => lookups.groupName(id)).join(', ')
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>
                  {user.courses.length > 0 ? (
                    user.courses.map((a) => lookups.courseName(a.courseId)).join(', ')
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>
                  <StatusMarks user={user} />
                </td>
                <td>
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
