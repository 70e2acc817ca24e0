import { useEffect, useRef, useState } from 'react';
import { useApi } from '../api/ApiContext';
import { asApiError, type ApiError } from '../api/client';
import type { Job, JobOutcome } from '../api/types';
import { errorText } from '../ui/errorText';
import { isFinished, jobProgress } from './jobResult';

/** How many skipped and failed outcomes a summary reads, each: enough to show every reason. */
export const OUTCOMES_READ = 200;

interface JobProgressProps {
  job: Job;
  /** Called once the job has finished, with its skipped and failed outcomes. */
  onFinished: (job: Job, outcomes: JobOutcome[]) => void;
  /** Milliseconds between two polls. */
  pollEvery?: number;
}

/**
 * A job under way: its progress bar, polled from the server, and a way to cancel it.
 * Once it has finished it reads what went wrong (skipped and failed users) and hands over.
 */
export function JobProgress({ job: started, onFinished, pollEvery = 1000 }: JobProgressProps) {
  const api = useApi();
  const [job, setJob] = useState(started);
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const finishedRef = useRef(onFinished);
  finishedRef.current = onFinished;

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = async (done: Job) => {
      const outcomes: JobOutcome[] = [];
      for (const result of ['skipped', 'failed'] as const) {
        if (done[result] === 0) continue;
        const page = await api.jobOutcomes(done.id, { result, limit: OUTCOMES_READ }, { signal: controller.signal });
        outcomes.push(...page.items);
      }
      finishedRef.current(done, outcomes);
    };
    const poll = async () => {
      try {
        const current = await api.getJob(started.id, { signal: controller.signal });
        setJob(current);
        setError(null);
        if (isFinished(current)) {
          await finish(current);
          return;
        }
      } catch (e) {
        if (controller.signal.aborted) return;
        setError(asApiError(e)); // shown, and polled again: the job goes on regardless
      }
      timer = setTimeout(() => void poll(), pollEvery);
    };
    timer = setTimeout(() => void poll(), pollEvery);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [api, started.id, pollEvery]);

  async function cancel() {
    setCancelling(true);
    try {
      setJob(await api.cancelJob(job.id));
    } catch (e) {
      setError(asApiError(e));
      setCancelling(false);
    }
  }

  const progress = jobProgress(job);
  return (
    <div className="job-progress">
      <p>Running in the background: you can close this window, the job goes on.</p>
      <label className="job-progress-label" htmlFor={`job-${job.id}`}>
        {progress.label}
      </label>
      <progress id={`job-${job.id}`} className="job-progress-bar" value={progress.value} max={progress.max} />
      {error && (
        <p className="alert alert-error" role="alert">
          {errorText(error)}
        </p>
      )}
      <button
        type="button"
        className="button"
        onClick={() => void cancel()}
        disabled={cancelling || isFinished(job)}
      >
        {cancelling ? 'Cancelling…' : 'Cancel job'}
      </button>
    </div>
  );
}
