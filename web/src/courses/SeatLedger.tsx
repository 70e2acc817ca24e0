import { useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { LedgerEntry } from '../api/types';
import { currentCursor, FIRST_PAGE, pageIndex, popCursor, pushCursor, type CursorStack } from '../lib/cursorStack';
import { formatDateTime } from '../lib/format';
import { useResource } from '../lib/useResource';
import { errorText } from '../ui/errorText';
import { movementText } from './courseWords';

export const LEDGER_PAGE = 20;

function byWhom(entry: LedgerEntry): string {
  const name = (p: LedgerEntry['actor']) => (p ? (p.name ?? 'a deleted user') : undefined);
  const actor = name(entry.actor) ?? 'Roster';
  const user = name(entry.user);
  return user ? `${actor}, for ${user}` : actor;
}

interface SeatLedgerProps {
  courseId: string;
  /** Changes whenever the pool changed here, so the ledger is read again from its first page. */
  generation: number;
}

/** The pool right after the movement: "2 reserved · 1 used · 1 free"; '' until it is recorded. */
export function poolAfterText(entry: LedgerEntry): string {
  const after = entry.after;
  if (!after) return '';
  const free = after.free === null ? 'unlimited' : `${after.free} free`;
  return `${after.reserved} reserved · ${after.used} used · ${free}`;
}

/** Every movement of a course's seats, newest first, paged, each with its cause and the pool after it. */
export function SeatLedger({ courseId, generation }: SeatLedgerProps) {
  const api = useApi();
  const [stack, setStack] = useState<{ generation: number; cursors: CursorStack }>({ generation, cursors: FIRST_PAGE });
  const cursors = stack.generation === generation ? stack.cursors : FIRST_PAGE;
  const cursor = currentCursor(cursors);
  const page = useResource(
    (signal) => api.courseLedger(courseId, { limit: LEDGER_PAGE, cursor }, { signal }),
    [api, courseId, cursor, generation],
  );
  const entries = page.data?.items ?? [];

  return (
    <section className="card" aria-labelledby="ledger-title">
      <div className="card-header">
        <h2 id="ledger-title">Seat ledger</h2>
      </div>
      {page.error && (
        <div className="alert alert-error" role="alert">
          <span>The ledger could not be loaded. {errorText(page.error)}</span>
          <button type="button" className="button button-small" onClick={page.reload}>
            Try again
          </button>
        </div>
      )}
      <div className="table-wrap">
        <table className="data-table" aria-busy={page.loading}>
          <caption className="visually-hidden">Seat ledger, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Movement</th>
              <th scope="col">Cause</th>
              <th scope="col">By</th>
              <th scope="col">Pool after</th>
            </tr>
          </thead>
          <tbody>
            {entries.length === 0 && (
              <tr>
                <td colSpan={5} className="empty-row">
                  {page.loading ? 'Loading the ledger…' : 'No seat has moved yet.'}
                </td>
              </tr>
            )}
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td>
                  <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                </td>
                <td>{movementText(entry)}</td>
                <td className="ledger-cause">{entry.cause}</td>
                <td>{byWhom(entry)}</td>
                <td className="muted">{poolAfterText(entry)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label="Ledger pages">
        <p className="muted">{`Page ${pageIndex(cursors) + 1}`}</p>
        <div className="button-row">
          <button
            type="button"
            className="button"
            disabled={cursors.length === 0}
            onClick={() => setStack({ generation, cursors: popCursor(cursors) })}
          >
            Newer
          </button>
          <button
            type="button"
            className="button"
            disabled={!page.data?.nextCursor || page.loading}
            onClick={() => page.data?.nextCursor && setStack({ generation, cursors: pushCursor(cursors, page.data.nextCursor) })}
          >
            Older
          </button>
        </div>
      </nav>
    </section>
  );
}
