import { useState } from 'react';
import { useApi } from '../api/ApiContext';
import { asApiError, type ApiError } from '../api/client';
import type { BulkAction, BulkResult, BulkTarget } from '../api/types';
import { pluralize } from '../lib/plural';
import { Dialog } from '../ui/Dialog';
import { errorText } from '../ui/errorText';
import { summarizeOutcomes, type OutcomeLine } from './bulkSummary';

interface ActionWords {
  verb: string;
  title: string;
  past: string;
  running: string;
  /** What the action does, told before it runs. */
  effect: string;
}

const ACTION_WORDS: Record<BulkAction, ActionWords> = {
  archive: {
    verb: 'archive',
    title: 'Archive',
    past: 'archived',
    running: 'Archiving…',
    effect:
      'Archived users leave the active roster and lose access to training. Reminders stop, licenses they have ' +
      'not started go back to the pool, and their training records are kept. You can unarchive them at any time.',
  },
  unarchive: {
    verb: 'unarchive',
    title: 'Unarchive',
    past: 'unarchived',
    running: 'Unarchiving…',
    effect: 'Unarchived users get their access back and return to the active roster.',
  },
};

/** The exact words of the confirm button: "Yes, archive 1 user". */
export function confirmLabel(action: BulkAction, count: number): string {
  return `Yes, ${ACTION_WORDS[action].verb} ${pluralize(count, 'user')}`;
}

function outcomeText(action: BulkAction, line: OutcomeLine): string {
  const users = pluralize(line.count, 'user');
  if (line.outcome === 'done') return `${users} ${ACTION_WORDS[action].past}`;
  return line.reason ? `${users} ${line.outcome}: ${line.reason}` : `${users} ${line.outcome}`;
}

function ResultSummary({ action, result }: { action: BulkAction; result: BulkResult }) {
  const lines = summarizeOutcomes(result);
  return (
    <div role="status">
      {lines.length === 0 ? (
        <p>No users were changed.</p>
      ) : (
        <ul className="outcome-list">
          {lines.map((line) => (
            <li key={`${line.outcome}:${line.reason ?? ''}`} className={`outcome outcome-${line.outcome}`}>
              {outcomeText(action, line)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

type Phase =
  | { name: 'confirm' }
  | { name: 'running' }
  | { name: 'finished'; result: BulkResult }
  | { name: 'failed'; error: ApiError };

interface BulkActionDialogProps {
  action: BulkAction;
  /** How many users the target covers, as the admin sees it. */
  count: number;
  target: BulkTarget;
  /** `ran` says whether the action reached the server, so the list needs reloading. */
  onClose: (ran: boolean) => void;
}

/** Confirms a bulk action naming the count, runs it, and reports each outcome. */
export function BulkActionDialog({ action, count, target, onClose }: BulkActionDialogProps) {
  const api = useApi();
  const [phase, setPhase] = useState<Phase>({ name: 'confirm' });
  const words = ACTION_WORDS[action];

  async function run() {
    setPhase({ name: 'running' });
    try {
      setPhase({ name: 'finished', result: await api.runBulkAction(action, target) });
    } catch (error) {
      setPhase({ name: 'failed', error: asApiError(error) });
    }
  }

  const close = () => {
    if (phase.name !== 'running') onClose(phase.name !== 'confirm');
  };

  const title = phase.name === 'finished' ? `${words.title} finished` : `${words.title} ${pluralize(count, 'user')}?`;

  return (
    <Dialog title={title} onClose={close}>
      {phase.name === 'finished' ? (
        <ResultSummary action={action} result={phase.result} />
      ) : (
        <>
          <p>{words.effect}</p>
          {'filter' in target && <p>This applies to every user that matches the current filters, on every page.</p>}
        </>
      )}
      {phase.name === 'failed' && (
        <p className="alert alert-error" role="alert">
          {errorText(phase.error)}
        </p>
      )}
      <div className="dialog-actions">
        {phase.name === 'confirm' || phase.name === 'running' ? (
          <>
            <button type="button" className="button" onClick={close} disabled={phase.name === 'running'}>
              Cancel
            </button>
            <button
              type="button"
              className="button button-primary"
              onClick={() => void run()}
              disabled={phase.name === 'running'}
              autoFocus
            >
              {phase.name === 'running' ? words.running : confirmLabel(action, count)}
            </button>
          </>
        ) : (
          <button type="button" className="button button-primary" onClick={close} autoFocus>
            Close
          </button>
        )}
      </div>
    </Dialog>
  );
}
