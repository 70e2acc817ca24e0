import type { AuditEntry } from '../api/types';
import { formatDateTime } from '../lib/format';
import { Link } from '../router/router';
import { ChangeList } from './ChangeList';
import { actorName, shownChanges, summaryWords, type AuditNames } from './auditWords';

/** Whose page the entry is shown on: the user's own history, or the organization's log. */
export type Perspective = 'user' | 'log';

function Target({ entry, perspective }: { entry: AuditEntry; perspective: Perspective }) {
  if (perspective === 'user') return <>this user</>;
  const { target } = entry;
  if (entry.action.startsWith('course.')) {
    if (target.name === null) return <span title={`Course ${target.id}`}>a course</span>;
    return <Link to={`/courses/${encodeURIComponent(target.id)}`}>{target.name}</Link>;
  }
  if (target.name === null || entry.action === 'user.deleted') {
    return <span title={`User ${target.id}`}>{target.name ?? 'a deleted user'}</span>;
  }
  return <Link to={`/users/${encodeURIComponent(target.id)}`}>{target.name}</Link>;
}

/** "Olive Owner archived this user", or "Ada Lovelace registered" for a change to their own account. */
function Summary({ entry, perspective }: { entry: AuditEntry; perspective: Perspective }) {
  const { words, target } = summaryWords(entry);
  return (
    <>
      <strong className="audit-actor">{actorName(entry)}</strong> {words}
      {target && (
        <>
          {' '}
          <Target entry={entry} perspective={perspective} />
        </>
      )}
    </>
  );
}

interface AuditEntryItemProps {
  entry: AuditEntry;
  perspective: Perspective;
  names: AuditNames;
}

/** One entry of a history or of the log: who did what, when, and the fields it changed. */
export function AuditEntryItem({ entry, perspective, names }: AuditEntryItemProps) {
  return (
    <li className={`audit-entry audit-entry-${entry.action.replace('user.', '')}`}>
      <p className="audit-summary">
        <Summary entry={entry} perspective={perspective} />
        <span className="audit-when">
          {' · '}
          <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
        </span>
      </p>
      <ChangeList changes={shownChanges(entry)} names={names} />
      {perspective === 'log' && entry.requestId && (
        <p className="audit-request">Request ID {entry.requestId}</p>
      )}
    </li>
  );
}
