import { useEffect, useState } from 'react';
import { useApi } from '../api/ApiContext';
import { asApiError, type ApiError } from '../api/client';
import type { Deleted, NamedItem } from '../api/types';
import { pluralize } from '../lib/plural';
import { Dialog } from '../ui/Dialog';
import { errorText } from '../ui/errorText';
import { membersSentence, type NamedKind } from './kinds';
import { countMembers, type MemberCount } from './useMemberCounts';

/** Above this many members the server refuses to delete: they are moved elsewhere first. */
const MAX_MEMBERS = 1000;

type Phase =
  | { name: 'counting' }
  | { name: 'uncounted'; error: ApiError }
  | { name: 'confirm'; count: MemberCount; error?: ApiError; changedFrom?: number }
  | { name: 'deleting'; count: MemberCount }
  /** Someone else changed or deleted it since the list was read. */
  | { name: 'stale'; message: string };

interface DeleteItemDialogProps {
  kind: NamedKind;
  item: NamedItem;
  onDeleted: (result: Deleted) => void;
  /** Closes without deleting; `stale` asks for the list to be read again. */
  onClose: (stale: boolean) => void;
}

function tooMany(count: MemberCount): boolean {
  return !count.exact || count.total > MAX_MEMBERS;
}

/**
 * Deletes a group or location after saying what becomes of its members and
 * how many there are, counted afresh; when the count changes meanwhile the
 * server refuses, and the dialog asks again with the new count.
 */
export function DeleteItemDialog({ kind, item, onDeleted, onClose }: DeleteItemDialogProps) {
  const api = useApi();
  const calls = kind.calls(api);
  const [phase, setPhase] = useState<Phase>({ name: 'counting' });

  useEffect(() => {
    const controller = new AbortController();
    countMembers(api, kind, item.id, { signal: controller.signal }).then(
      (count) => setPhase({ name: 'confirm', count }),
      (error: unknown) => {
        if (!controller.signal.aborted) setPhase({ name: 'uncounted', error: asApiError(error) });
      },
    );
    return () => controller.abort();
  }, [api, kind, item.id]);

  async function remove(count: MemberCount) {
    setPhase({ name: 'deleting', count });
    try {
      onDeleted(await calls.remove(item.id, { version: item.version, expectedMembers: count.total }));
    } catch (caught) {
      const error = asApiError(caught);
      if (error.status === 404 || error.field === 'version') {
        setPhase({
          name: 'stale',
          message:
            error.status === 404
              ? `${item.name} no longer exists: someone else deleted it.`
              : `${item.name} was changed by someone else since this list was read.`,
        });
      } else if (error.field === 'expectedMembers') {
        await recount(count, error);
      } else {
        setPhase({ name: 'confirm', count, error });
      }
    }
  }

  /** The members changed meanwhile: count them again and ask again with the new number. */
  async function recount(before: MemberCount, error: ApiError) {
    try {
      const count = await countMembers(api, kind, item.id);
      const changed = count.total !== before.total;
      setPhase({ name: 'confirm', count, error: changed ? undefined : error, changedFrom: changed ? before.total : undefined });
    } catch (recountError) {
      setPhase({ name: 'uncounted', error: asApiError(recountError) });
    }
  }

  const busy = phase.name === 'counting' || phase.name === 'deleting';
  const close = (stale = false) => {
    if (!busy) onClose(stale);
  };

  return (
    <Dialog title={`Delete ${item.name}?`} onClose={() => close(phase.name === 'stale')}>
      <DialogBody kind={kind} item={item} phase={phase} />
      <div className="dialog-actions">
        {phase.name === 'stale' ? (
          <button type="button" className="button button-primary" onClick={() => close(true)} autoFocus>
            Reload {kind.plural}
          </button>
        ) : (
          <>
            <button type="button" className="button" onClick={() => close()} disabled={phase.name === 'deleting'}>
              Cancel
            </button>
            {(phase.name === 'confirm' || phase.name === 'deleting') && !tooMany(phase.count) && (
              <button
                type="button"
                className="button button-danger"
                onClick={() => void remove(phase.count)}
                disabled={phase.name === 'deleting'}
                autoFocus
              >
                {phase.name === 'deleting' ? 'Deleting…' : `Yes, delete ${item.name}`}
              </button>
            )}
          </>
        )}
      </div>
    </Dialog>
  );
}

function DialogBody({ kind, item, phase }: { kind: NamedKind; item: NamedItem; phase: Phase }) {
  switch (phase.name) {
    case 'counting':
      return (
        <p className="muted" role="status">
          Counting the members of {item.name}…
        </p>
      );
    case 'uncounted':
      return (
        <p className="alert alert-error" role="alert">
          The members of {item.name} could not be counted, so it cannot be deleted now. {errorText(phase.error)}
        </p>
      );
    case 'stale':
      return (
        <p className="alert alert-warning" role="alert">
          {phase.message} Nothing was deleted: reload the {kind.plural} and look again.
        </p>
      );
    case 'confirm':
    case 'deleting':
      return <Confirmation kind={kind} item={item} phase={phase} />;
  }
}

function Confirmation({
  kind,
  item,
  phase,
}: {
  kind: NamedKind;
  item: NamedItem;
  phase: Extract<Phase, { name: 'confirm' | 'deleting' }>;
}) {
  const { count } = phase;
  if (tooMany(count)) {
    return (
      <p className="alert alert-warning" role="alert">
        {item.name} has more than {pluralize(MAX_MEMBERS, 'member')}. Move them elsewhere in smaller steps first.
      </p>
    );
  }
  return (
    <>
      {'changedFrom' in phase && phase.changedFrom !== undefined && (
        <p className="alert alert-warning" role="alert">
          The members changed while you were deciding: {item.name} had {pluralize(phase.changedFrom, 'member')}, it
          now has {pluralize(count.total, 'member')}. Nothing was deleted; confirm again.
        </p>
      )}
      <p className="delete-effect">
        {membersSentence(item.name, count.total)}{' '}
        {count.total > 0 ? kind.membersAfterDeletion(count.total) : 'Nobody’s account changes.'}
      </p>
      <p className="field-hint">
        {count.total > 0 && 'Archived users are counted too. '}Deleting cannot be undone.
      </p>
      {'error' in phase && phase.error && (
        <p className="alert alert-error" role="alert">
          {errorText(phase.error)}
        </p>
      )}
    </>
  );
}
