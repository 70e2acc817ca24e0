import type { BulkResult, Job, JobOutcome, JobStarted } from '../api/types';
import { pluralize } from '../lib/plural';

/** Whether an action's answer is a job started in the background rather than its results. */
export function isJobStarted(answer: BulkResult | JobStarted): answer is JobStarted {
  return 'job' in answer;
}

/** Whether the job will change nobody else. */
export function isFinished(job: Job): boolean {
  return job.status === 'done' || job.status === 'cancelled' || job.status === 'failed';
}

export interface JobProgressView {
  /** How far along, out of max; undefined while there is nothing to measure yet. */
  value: number | undefined;
  max: number;
  label: string;
}

/** The progress bar of a job: the snapshot first, then the users handled. */
export function jobProgress(job: Job): JobProgressView {
  const handled = job.done + job.skipped + job.failed;
  switch (job.status) {
    case 'snapshotting':
      return {
        value: job.total || undefined,
        max: job.expectedCount,
        label: `Finding the users: ${pluralize(job.total, 'user')} of ${job.expectedCount.toLocaleString('en-US')}`,
      };
    case 'running':
      return { value: handled, max: job.total, label: `${handled.toLocaleString('en-US')} of ${pluralize(job.total, 'user')}` };
    default:
      return { value: handled, max: Math.max(job.total, handled, 1), label: `${handled.toLocaleString('en-US')} of ${pluralize(job.total, 'user')}` };
  }
}

/**
 * A finished job as the results of an action: the job's totals, with the skipped and
 * failed users' outcomes (those that were read) to split them by reason, and their names.
 */
export function jobResults(job: Job, outcomes: readonly JobOutcome[]): { result: BulkResult; names: Map<string, string> } {
  const names = new Map<string, string>();
  for (const o of outcomes) {
    const name = `${o.firstName} ${o.lastName}`.trim();
    if (name) names.set(o.id, name);
  }
  return {
    result: {
      action: job.action as BulkResult['action'], // an action's job; an import reports through its result file
      total: job.done + job.skipped + job.failed,
      done: job.done,
      skipped: job.skipped,
      failed: job.failed,
      results: outcomes.map(({ id, outcome, reason }) => ({ id, outcome, reason })),
    },
    names,
  };
}
