import { useMemo, useRef, useState } from 'react';
import type { User } from '../api/types';
import { auditNames } from '../audit/auditWords';
import { fullName, signInName } from '../lib/format';
import { useRosterCount } from '../layout/RosterCountContext';
import { Link } from '../router/router';
import { useSignedInSession } from '../session/SessionContext';
import { errorText } from '../ui/errorText';
import { ActionDialog } from '../users/ActionDialog';
import { canManage, type ActionChoice, type Viewer } from '../users/actions';
import { useLookups } from '../users/useLookups';
import { UserActionsMenu } from './UserActionsMenu';
import { UserCourses } from './UserCourses';
import { UserEditForm } from './UserEditForm';
import { UserFacts } from './UserFacts';
import { UserHistory, type HistoryHandle } from './UserHistory';
import { useUserRecord } from './useUserRecord';

/** Why the viewer cannot edit the user here, or undefined when they can. */
export function lockReason(user: User, viewer: Viewer): string | undefined {
  if (!canManage(viewer, user)) return 'Only an owner can change an administrator or an owner.';
  if (user.status === 'archived') return 'Archived users cannot be changed: unarchive them first (Actions).';
  return undefined;
}

function BackLink() {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <Link to="/users">Enrolled Users</Link>
    </nav>
  );
}

/** One user: their details and status, an edit form, the actions of their row, and their history. */
export function UserDetailPage({ id }: { id: string }) {
  const record = useUserRecord(id);
  const lookups = useLookups();
  const { user: viewer } = useSignedInSession();
  const { refreshSoon: refreshCounts } = useRosterCount();
  const history = useRef<HistoryHandle>(null);
  const [choice, setChoice] = useState<ActionChoice>();
  const [saved, setSaved] = useState(false);
  const names = useMemo(() => auditNames(lookups), [lookups]);
  const { user } = record;

  function changed() {
    history.current?.refreshSoon();
    refreshCounts();
  }

  if (!user) {
    const missing = record.error?.status === 404;
    return (
      <section className="page" aria-labelledby="user-title">
        <BackLink />
        <h1 id="user-title">{missing ? 'No such user' : 'User'}</h1>
        {record.loading && !record.error && (
          <p className="muted" role="status">
            Loading…
          </p>
        )}
        {record.error && (
          <div className="alert alert-error" role="alert">
            <span>
              {missing
                ? 'Nobody in this organization has this id: the user may have been deleted permanently. Their history stays below.'
                : `The user could not be loaded. ${errorText(record.error)}`}
            </span>
            {!missing && (
              <button type="button" className="button button-small" onClick={record.reload}>
                Try again
              </button>
            )}
          </div>
        )}
        {missing && <UserHistory userId={id} names={names} />}
      </section>
    );
  }

  const name = fullName(user);
  return (
    <section className="page" aria-labelledby="user-title">
      <BackLink />
      <div className="page-header">
        <div>
          <h1 id="user-title">{name}</h1>
          <p className="total">{signInName(user)}</p>
        </div>
        <UserActionsMenu
          user={user}
          viewer={viewer}
          context={{ groupCount: lookups.groups.length, hasLocations: lookups.locations.length > 0 }}
          onChoose={(next) => {
            setSaved(false);
            setChoice(next);
          }}
        />
      </div>

      {saved && (
        <p className="alert alert-success" role="status">
          Changes to {name} saved.
        </p>
      )}

      <div className="detail-grid">
        <section className="card detail-edit" aria-labelledby="details-title">
          <div className="card-header">
            <h2 id="details-title">Details</h2>
          </div>
          <UserEditForm
            user={user}
            groups={lookups.groups}
            locations={lookups.locations}
            lockedBecause={lockReason(user, viewer)}
            canChangeRole={viewer.role === 'owner' && user.id !== viewer.id}
            onSaved={(next) => {
              record.replace(next);
              setSaved(true);
              changed();
            }}
            onReload={() => {
              setSaved(false);
              record.reload();
            }}
          />
        </section>
        <aside className="card detail-side" aria-labelledby="access-title">
          <div className="card-header">
            <h2 id="access-title">Access</h2>
          </div>
          <UserFacts user={user} />
        </aside>
        <div className="detail-history">
          <UserCourses
            user={user}
            courseName={lookups.courseName}
            canChange={canManage(viewer, user) && user.status !== 'archived'}
            onChanged={() => {
              record.reload();
              changed();
            }}
          />
          <UserHistory userId={id} names={names} ref={history} />
        </div>
      </div>

      {choice && (
        <ActionDialog
          choice={choice}
          count={1}
          target={{ userIds: [user.id] }}
          user={user}
          lookups={lookups}
          names={new Map([[user.id, name]])}
          onClose={(ran) => {
            setChoice(undefined);
            if (ran) {
              record.reload();
              changed();
            }
          }}
        />
      )}
    </section>
  );
}
