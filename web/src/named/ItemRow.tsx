import type { NamedItem } from '../api/types';
import { formatDate } from '../lib/format';
import { countLabel } from '../lib/plural';
import { Link } from '../router/router';
import { membersPath, type NamedKind } from './kinds';
import { RenameForm } from './RenameForm';
import type { MemberCount } from './useMemberCounts';

interface MembersCellProps {
  kind: NamedKind;
  item: NamedItem;
  count: MemberCount | undefined;
  failed: boolean;
}

/** The member count, linking to the Users page filtered to them. */
function MembersCell({ kind, item, count, failed }: MembersCellProps) {
  if (!count) return <span className="muted">{failed ? 'Not counted' : 'Counting…'}</span>;
  if (count.total === 0) return <span className="muted">No members</span>;
  const label = countLabel(count.total, count.exact, 'member');
  return (
    <Link to={membersPath(kind, item.id)} aria-label={`${label} of ${item.name}`}>
      {label}
    </Link>
  );
}

interface ItemRowProps extends MembersCellProps {
  renaming: boolean;
  onRename: () => void;
  onRenamed: (item: NamedItem) => void;
  onCancelRename: () => void;
  onDelete: () => void;
  onReload: () => void;
}

export function ItemRow({ kind, item, count, failed, renaming, onRename, onRenamed, onCancelRename, onDelete, onReload }: ItemRowProps) {
  return (
    <tr>
      <th scope="row" className="col-name">
        {renaming ? (
          <RenameForm kind={kind} item={item} onRenamed={onRenamed} onCancel={onCancelRename} onReload={onReload} />
        ) : (
          <span className="item-name">{item.name}</span>
        )}
      </th>
      <td>
        <MembersCell kind={kind} item={item} count={count} failed={failed} />
      </td>
      <td>
        <time dateTime={item.createdAt}>{formatDate(item.createdAt)}</time>
      </td>
      <td className="col-buttons">
        {!renaming && (
          <div className="button-row">
            <button type="button" className="button button-small" aria-label={`Rename ${item.name}`} onClick={onRename}>
              Rename
            </button>
            <button
              type="button"
              className="button button-small button-danger-quiet"
              aria-label={`Delete ${item.name}`}
              onClick={onDelete}
            >
              Delete
            </button>
          </div>
        )}
      </td>
    </tr>
  );
}
