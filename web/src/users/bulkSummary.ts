import type { BulkOutcome, BulkResult } from '../api/types';

export interface OutcomeLine {
  outcome: BulkOutcome['outcome'];
  reason: string | undefined;
  count: number;
}

function linesFor(outcome: 'skipped' | 'failed', result: BulkResult): OutcomeLine[] {
  const byReason = new Map<string | undefined, number>();
  for (const item of result.results) {
    if (item.outcome !== outcome) continue;
    byReason.set(item.reason, (byReason.get(item.reason) ?? 0) + 1);
  }
  const lines = [...byReason].map(([reason, count]) => ({ outcome, reason, count }));
  const unexplained = result[outcome] - lines.reduce((sum, line) => sum + line.count, 0);
  if (unexplained > 0) lines.push({ outcome, reason: undefined, count: unexplained });
  return lines;
}

/**
 * One line per outcome and reason, done first: "2 done", "1 skipped: already archived".
 * The totals are the server's; per-user results only split them by reason.
 */
export function summarizeOutcomes(result: BulkResult): OutcomeLine[] {
  const done: OutcomeLine[] = result.done > 0 ? [{ outcome: 'done', reason: undefined, count: result.done }] : [];
  return [...done, ...linesFor('skipped', result), ...linesFor('failed', result)];
}
