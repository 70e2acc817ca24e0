import type { ReactNode } from 'react';
import type { User } from '../api/types';
import { ROLE_LABELS, formatDateTime, formatDay } from '../lib/format';
import { StatusMarks } from '../users/StatusMarks';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function When({ at, none }: { at: string | null; none: string }) {
  return at ? <time dateTime={at}>{formatDateTime(at)}</time> : <span className="muted">{none}</span>;
}

/** The user's access at a glance: status with its marks, role, and when things happened. */
export function UserFacts({ user }: { user: User }) {
  return (
    <dl className="facts">
      <Fact label="Status">
        <StatusMarks user={user} />
      </Fact>
      <Fact label="Role">{ROLE_LABELS[user.role]}</Fact>
      <Fact label="Expiration">
        {user.expiresAt ? formatDay(user.expiresAt) : <span className="muted">None</span>}
      </Fact>
      <Fact label="Approved">
        <When at={user.approvedAt} none="Not yet" />
      </Fact>
      <Fact label="Invitation sent">
        <When at={user.notifiedAt} none="Not yet" />
      </Fact>
      <Fact label="Last access">
        <When at={user.lastAccessAt} none="Never" />
      </Fact>
      {user.archivedAt && (
        <Fact label="Archived">
          <When at={user.archivedAt} none="" />
        </Fact>
      )}
      <Fact label="Added">
        <When at={user.createdAt} none="" />
      </Fact>
      <Fact label="Last changed">
        <When at={user.updatedAt} none="" />
      </Fact>
    </dl>
  );
}
