import type { BulkOutcome, BulkResult } from '../api/types';

export interface OutcomeLine {
  outcome: BulkOutcome['outcome'];
  reason: string | undefined;
  count: number;
  /** The users of this line the per-user results name (none for plain "done": those need no attention). */
  ids: string[];
}

function linesFor(outcome: BulkOutcome['outcome'], result: BulkResult): OutcomeLine[] {
  const byReason = new Map<string | undefined, string[]>();
  for (const item of result.results) {
    // Done needs no explanation; a done user with a reason is worth a line of its own
    // ("approved, but not notified: …").
    if (item.outcome !== outcome || (outcome === 'done' && !item.reason)) continue;
    const ids = byReason.get(item.reason) ?? [];
    ids.push(item.id);
    byReason.set(item.reason, ids);
  }
  const lines = [...byReason].map(([reason, ids]) => ({ outcome, reason, count: ids.length, ids }));
  const unexplained = result[outcome] - lines.reduce((sum, line) => sum + line.count, 0);
  if (unexplained > 0) lines.push({ outcome, reason: undefined, count: unexplained, ids: [] });
  // Plain done comes first.
  return outcome === 'done' ? lines.reverse() : lines;
}

/**
 * One line per outcome and reason, done first: "2 done", "1 skipped: already archived".
 * The totals are the server's; per-user results only split them by reason.
 */
export function summarizeOutcomes(result: BulkResult): OutcomeLine[] {
  return [...linesFor('done', result), ...linesFor('skipped', result), ...linesFor('failed', result)];
}

/** How many names a line lists before saying how many more there are. */
export const NAMES_SHOWN = 5;

/**
 * "Ada Lovelace and Alan Turing", "A, B, C, D, E and 3 more": the users of a line by
 * name, when every one of them has a known name; '' otherwise.
 */
export function namesOf(ids: readonly string[], names: ReadonlyMap<string, string>): string {
  if (ids.length === 0 || !ids.every((id) => names.has(id))) return '';
  const shown = ids.slice(0, NAMES_SHOWN).map((id) => names.get(id)!);
  const more = ids.length - shown.length;
  const list = more > 0 ? [...shown, `${more} more`] : shown;
  return list.length === 1 ? list[0]! : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
}
