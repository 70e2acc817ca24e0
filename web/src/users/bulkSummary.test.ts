import { describe, expect, it } from 'vitest';
import type { BulkResult } from '../api/types';
import { namesOf, summarizeOutcomes } from './bulkSummary';

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
        { id: '1', outcome: 'failed', reason: 'the email could not be sent: try again' },
        { id: '2', outcome: 'skipped', reason: 'already approved' },
        { id: '3', outcome: 'done' },
        { id: '4', outcome: 'skipped', reason: 'already approved' },
        { id: '5', outcome: 'done' },
        { id: '6', outcome: 'skipped', reason: 'deactivated: users without access are never emailed' },
      ]),
    );
    expect(lines).toEqual([
      { outcome: 'done', reason: undefined, count: 2, ids: [] },
      { outcome: 'skipped', reason: 'already approved', count: 2, ids: ['2', '4'] },
      { outcome: 'skipped', reason: 'deactivated: users without access are never emailed', count: 1, ids: ['6'] },
      { outcome: 'failed', reason: 'the email could not be sent: try again', count: 1, ids: ['1'] },
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
      { outcome: 'done', reason: undefined, count: 7, ids: [] },
      { outcome: 'skipped', reason: 'already archived', count: 1, ids: ['1'] },
      { outcome: 'skipped', reason: undefined, count: 2, ids: [] },
    ]);
  });

  it('gives done users with a reason a line of their own, after the plain ones', () => {
    const reason = 'approved, but not notified: the email could not be sent: try again';
    expect(
      summarizeOutcomes(
        result([
          { id: '1', outcome: 'done', reason },
          { id: '2', outcome: 'done' },
          { id: '3', outcome: 'done' },
        ]),
      ),
    ).toEqual([
      { outcome: 'done', reason: undefined, count: 2, ids: [] },
      { outcome: 'done', reason, count: 1, ids: ['1'] },
    ]);
  });

  it('gives no lines for no users', () => {
    expect(summarizeOutcomes(result([]))).toEqual([]);
  });
});

describe('namesOf', () => {
  const names = new Map(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => [id, id.toUpperCase()]));

  it('lists the names of a line, and how many more past five', () => {
    expect(namesOf(['a'], names)).toBe('A');
    expect(namesOf(['a', 'b'], names)).toBe('A and B');
    expect(namesOf(['a', 'b', 'c'], names)).toBe('A, B and C');
    expect(namesOf(['a', 'b', 'c', 'd', 'e', 'f', 'g'], names)).toBe('A, B, C, D, E and 2 more');
  });

  it('names nobody when some of the users are not known', () => {
    expect(namesOf(['a', 'zz'], names)).toBe('');
    expect(namesOf([], names)).toBe('');
  });
});
