import { describe, expect, it } from 'vitest';
import type { Job } from '../api/types';
import { isFinished, isJobStarted, jobProgress, jobResults } from './jobResult';

function job(changes: Partial<Job> = {}): Job {
  return {
    id: 'j1',
    action: 'archive',
    status: 'running',
    expectedCount: 10000,
    total: 10000,
    done: 0,
    skipped: 0,
    failed: 0,
    message: null,
    createdAt: '2026-01-01T09:00:00Z',
    finishedAt: null,
    ...changes,
  };
}

describe('jobProgress', () => {
  it('measures the snapshot against the expected count, then the users handled against the total', () => {
    expect(jobProgress(job({ status: 'snapshotting', total: 0 }))).toEqual({
      value: undefined,
      max: 10000,
      label: 'Finding the users: 0 users of 10,000',
    });
    expect(jobProgress(job({ status: 'snapshotting', total: 2500 })).value).toBe(2500);
    expect(jobProgress(job({ done: 1200, skipped: 30, failed: 1 }))).toEqual({
      value: 1231,
      max: 10000,
      label: '1,231 of 10,000 users',
    });
  });

  it('never shows a full bar beyond its maximum for a cancelled job', () => {
    const p = jobProgress(job({ status: 'cancelled', total: 10000, done: 300 }));
    expect(p.value).toBe(300);
    expect(p.max).toBe(10000);
  });
});

describe('jobResults', () => {
  it('keeps the totals of the job and names the users of the outcomes read', () => {
    const { result, names } = jobResults(job({ status: 'done', done: 9998, skipped: 2 }), [
      { id: 'u1', outcome: 'skipped', reason: 'already archived', firstName: 'Ada', lastName: 'Lovelace' },
      { id: 'u2', outcome: 'skipped', reason: 'no such user', firstName: '', lastName: '' },
    ]);
    expect(result).toMatchObject({ action: 'archive', total: 10000, done: 9998, skipped: 2, failed: 0 });
    expect(result.results).toEqual([
      { id: 'u1', outcome: 'skipped', reason: 'already archived' },
      { id: 'u2', outcome: 'skipped', reason: 'no such user' },
    ]);
    expect([...names]).toEqual([['u1', 'Ada Lovelace']]);
  });
});

describe('isJobStarted and isFinished', () => {
  it('tell a started job from results, and a finished job from one under way', () => {
    expect(isJobStarted({ job: job() })).toBe(true);
    expect(isJobStarted({ action: 'archive', total: 0, done: 0, skipped: 0, failed: 0, results: [] })).toBe(false);
    expect(['snapshotting', 'running', 'done', 'cancelled', 'failed'].map((status) => isFinished(job({ status } as Partial<Job>)))).toEqual([
      false,
      false,
      true,
      true,
      true,
    ]);
  });
});
