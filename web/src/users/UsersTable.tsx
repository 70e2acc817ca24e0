import { useEffect, useRef } from 'react';
import type { User } from '../api/types';
import { STATUS_LABELS, formatDate, fullName, signInName } from '../lib/format';
import type { Lookups } from './useLookups';
import type { PageSelectionState } from './selection';

interface UsersTableProps {
  users: User[];
  lookups: Pick<Lookups, 'groupName' | 'locationName'>;
  isSelected: (id: string) => boolean;
  onToggleRow: (id: string) => void;
  pageSelection: PageSelectionState;
  onTogglePage: () => void;
  busy: boolean;
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

function StatusBadge({ status }: { status: User['status'] }) {
  return <span className={`badge badge-${status}`}>{STATUS_LABELS[status]}</span>;
}

export function UsersTable({
  users,
  lookups,
  isSelected,
  onToggleRow,
  pageSelection,
  onTogglePage,
  busy,
}: UsersTableProps) {
  return (
    <div className="table-wrap">
      <table className="users-table" aria-busy={busy}>
        <caption className="visually-hidden">Enrolled users</caption>
        <thead>
          <tr>
            <th scope="col" className="col-select">
              <PageCheckbox state={pageSelection} onToggle={onTogglePage} />
            </th>
            <th scope="col">Name</th>
            <th scope="col">Location</th>
            <th scope="col">Groups</th>
            <th scope="col">Status</th>
            <th scope="col">Last access</th>
          </tr>
        </thead>
        <tbody>
          {users.length === 0 && (
            <tr>
              <td colSpan={6} className="empty-row">
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
                  <span className="user-name">{name}</span>
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
                  <StatusBadge status={user.status} />
                </td>
                <td>
                  {user.lastAccessAt ? (
                    <time dateTime={user.lastAccessAt}>{formatDate(user.lastAccessAt)}</time>
                  ) : (
                    <span className="muted">Never</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
