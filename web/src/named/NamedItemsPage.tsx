import { useMemo, useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { Deleted, NamedItem } from '../api/types';
import { pluralize } from '../lib/plural';
import { useResource } from '../lib/useResource';
import { errorText } from '../ui/errorText';
import { CreateItemForm } from './CreateItemForm';
import { DeleteItemDialog } from './DeleteItemDialog';
import { ItemRow } from './ItemRow';
import { GROUPS, LOCATIONS, type NamedKind } from './kinds';
import { useMemberCounts } from './useMemberCounts';

interface Notice {
  tone: 'success' | 'warning';
  text: string;
}

function byName(a: NamedItem, b: NamedItem): number {
  return a.name.localeCompare(b.name);
}

/** A list of groups or of locations: member counts, add, rename in place, delete with a confirmation. */
export function NamedItemsPage({ kind }: { kind: NamedKind }) {
  const api = useApi();
  const listing = useResource((signal) => kind.calls(api).list({ signal }), [api, kind]);
  // Renamed here: shown at once, until the list read again has them.
  const [renamed, setRenamed] = useState<Record<string, NamedItem>>({});
  const items = useMemo(
    () =>
      (listing.data?.items ?? [])
        .map((item) => {
          const newer = renamed[item.id];
          return newer && newer.version > item.version ? newer : item;
        })
        .sort(byName),
    [listing.data, renamed],
  );
  const counts = useMemberCounts(
    kind,
    items.map((item) => item.id),
  );
  const [renaming, setRenaming] = useState<string>();
  const [deleting, setDeleting] = useState<NamedItem>();
  const [notice, setNotice] = useState<Notice>();
  const titleId = `${kind.plural}-title`;

  function reload(next?: Notice) {
    listing.reload();
    setRenaming(undefined);
    setNotice(next);
  }

  function deleted(item: NamedItem, result: Deleted) {
    setDeleting(undefined);
    const members = result.membersTakenOut > 0 ? `: ${kind.membersDone(result.membersTakenOut)}` : '';
    reload({ tone: 'success', text: `Deleted ${item.name}${members}.` });
  }

  return (
    <section className="page" aria-labelledby={titleId}>
      <div className="page-header">
        <div>
          <h1 id={titleId}>{kind.title}</h1>
          <p className="total" aria-live="polite">
            {listing.data ? pluralize(items.length, kind.singular) : `Loading ${kind.plural}…`}
          </p>
        </div>
      </div>
      <p className="page-intro">{kind.description}</p>

      {notice && (
        <p className={`alert alert-${notice.tone}`} role="status">
          {notice.text}
        </p>
      )}

      <div className="card">
        <CreateItemForm
          kind={kind}
          onCreated={(item) => reload({ tone: 'success', text: `Added ${item.name}.` })}
        />
      </div>

      {listing.error && (
        <div className="alert alert-error" role="alert">
          <span>
            The {kind.plural} could not be loaded. {errorText(listing.error)}
          </span>
          <button type="button" className="button button-small" onClick={listing.reload}>
            Try again
          </button>
        </div>
      )}

      <div className="table-wrap">
        <table className="data-table" aria-busy={listing.loading}>
          <caption className="visually-hidden">{kind.title}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Members</th>
              <th scope="col">Added</th>
              <th scope="col" className="col-buttons">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.length === 0 && (
              <tr>
                <td colSpan={4} className="empty-row">
                  {listing.loading ? `Loading ${kind.plural}…` : `No ${kind.plural} yet: add the first one above.`}
                </td>
              </tr>
            )}
            {items.map((item) => (
              <ItemRow
                key={item.id}
                kind={kind}
                item={item}
                count={counts.countOf(item.id)}
                failed={counts.failed}
                renaming={renaming === item.id}
                onRename={() => setRenaming(item.id)}
                onRenamed={(next) => {
                  setRenamed((r) => ({ ...r, [next.id]: next }));
                  reload({ tone: 'success', text: `Renamed ${item.name} to ${next.name}.` });
                }}
                onCancelRename={() => setRenaming(undefined)}
                onDelete={() => setDeleting(item)}
                onReload={() => reload()}
              />
            ))}
          </tbody>
        </table>
      </div>

      {deleting && (
        <DeleteItemDialog
          kind={kind}
          item={deleting}
          onDeleted={(result) => deleted(deleting, result)}
          onClose={(stale) => {
            setDeleting(undefined);
            if (stale) reload();
          }}
        />
      )}
    </section>
  );
}

export function GroupsPage() {
  return <NamedItemsPage kind={GROUPS} />;
}

export function LocationsPage() {
  return <NamedItemsPage kind={LOCATIONS} />;
}
