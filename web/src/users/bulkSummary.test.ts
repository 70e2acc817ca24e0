import { describe, expect, it } from 'vitest';
import type { BulkResult } from '../api/types';
import { summarizeOutcomes } from './bulkSummary';

function result(results: BulkResult['results']): BulkResult {
  const count = (o: string) => results.filter((r) => r.outcome === o).length;
  return {
    action: 'archive',
    total: results.length,
    done: count('done'),
    skipped: count('skipped'),
    failed: count('failed'),
    results,
  };
}

describe('summarizeOutcomes', () => {
  it('groups outcomes by reason, done first', () => {
    const lines = summarizeOutcomes(
      result([
        { id: '1', outcome: 'failed', reason: 'conflict' },
        { id: '2', outcome: 'skipped', reason: 'already archived' },
        { id: '3', outcome: 'done' },
        { id: '4', outcome: 'skipped', reason: 'already archived' },
        { id: '5', outcome: 'done' },
      ]),
    );
    expect(lines).toEqual([
      { outcome: 'done', reason: undefined, count: 2 },
      { outcome: 'skipped', reason: 'already archived', count: 2 },
      { outcome: 'failed', reason: 'conflict', count: 1 },
    ]);
  });

  it('keeps the server totals when per-user results are cut short', () => {
    const partial: BulkResult = {
      action: 'archive',
      total: 10,
      done: 7,
      skipped: 3,
      failed: 0,
      results: [{ id: '1', outcome: 'skipped', reason: 'already archived' }],
    };
    expect(summarizeOutcomes(partial)).toEqual([
      { outcome: 'done', reason: undefined, count: 7 },
      { outcome: 'skipped', reason: 'already archived', count: 1 },
      { outcome: 'skipped', reason: undefined, count: 2 },
    ]);
  });

  it('gives no lines for no users', () => {
    expect(summarizeOutcomes(result([]))).toEqual([]);
  });
});
