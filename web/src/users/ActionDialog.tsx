import { useState } from 'react';
import { useApi } from '../api/ApiContext';
import { ApiError, asApiError } from '../api/client';
import type { ActionRequest, BulkResult, BulkTarget, Job, JobOutcome, NamedItem, User } from '../api/types';
import { JobProgress } from '../jobs/JobProgress';
import { isJobStarted, jobResults } from '../jobs/jobResult';
import { fullName } from '../lib/format';
import { pluralize } from '../lib/plural';
import { Dialog } from '../ui/Dialog';
import { errorText } from '../ui/errorText';
import { ActionResults } from './ActionResults';
import { actionWords, confirmLabel, parameterTitle, sentence, type Names } from './actionWords';
import { simpleRequest, takesParameter, type ActionChoice } from './actions';
import { ParameterStep } from './parameters/ParameterStep';

type Phase =
  | { name: 'parameter'; previous?: ActionRequest }
  | { name: 'confirm'; request: ActionRequest }
  | { name: 'running'; request: ActionRequest }
  | { name: 'job'; request: ActionRequest; job: Job }
  | { name: 'finished'; request: ActionRequest; result: BulkResult; jobNames?: ReadonlyMap<string, string>; cancelled?: boolean }
  | { name: 'failed'; request: ActionRequest; error: ApiError };

export interface ActionLookups extends Names {
  groups: NamedItem[];
  locations: NamedItem[];
  /** The courses that can be assigned. */
  courses: Pick<NamedItem, 'id' | 'name'>[];
}

interface ActionDialogProps {
  choice: ActionChoice;
  /** How many users the target covers, as the admin sees it. */
  count: number;
  target: BulkTarget;
  /** The one user acted on from their row: named in the titles, their values start the parameter step. */
  user?: User;
  lookups: ActionLookups;
  /** Names of users the page shows, to say who was skipped or failed. */
  names?: ReadonlyMap<string, string>;
  /** `ran` says whether the action reached the server, so the list needs reloading. */
  onClose: (ran: boolean) => void;
  /** Milliseconds between two polls of a background job. */
  pollEvery?: number;
}

const NO_NAMES: ReadonlyMap<string, string> = new Map();

/**
 * One action on one user or many: asks for its parameter when it has one, confirms
 * naming the count and the effect, runs it, and reports each user's outcome. A large
 * filter selection runs as a background job: its progress shows until it finishes.
 */
export function ActionDialog({ choice, count, target, user, lookups, names = NO_NAMES, onClose, pollEvery }: ActionDialogProps) {
  const api = useApi();
  const [phase, setPhase] = useState<Phase>(() =>
    takesParameter(choice) ? { name: 'parameter' } : { name: 'confirm', request: simpleRequest(choice) },
  );
  const who = user ? fullName(user) : pluralize(count, 'user');

  async function run(request: ActionRequest) {
    setPhase({ name: 'running', request });
    try {
      const answer = await api.runAction(request, target);
      setPhase(isJobStarted(answer) ? { name: 'job', request, job: answer.job } : { name: 'finished', request, result: answer });
    } catch (error) {
      setPhase({ name: 'failed', request, error: asApiError(error) });
    }
  }

  function jobFinished(request: ActionRequest, job: Job, outcomes: JobOutcome[]) {
    if (job.status === 'failed') {
      const message = job.message ?? 'The job stopped before changing anybody. Please try again.';
      setPhase({ name: 'failed', request, error: new ApiError(409, 'conflict', message) });
      return;
    }
    const { result, names: jobNames } = jobResults(job, outcomes);
    setPhase({ name: 'finished', request, result, jobNames, cancelled: job.status === 'cancelled' });
  }

  const close = () => {
    if (phase.name !== 'running') onClose(phase.name === 'finished' || phase.name === 'failed' || phase.name === 'job');
  };

  if (phase.name === 'parameter' && takesParameter(choice)) {
    return (
      <Dialog title={parameterTitle(choice, who)} onClose={close}>
        <ParameterStep
          choice={choice}
          user={user}
          groups={lookups.groups}
          locations={lookups.locations}
          courses={lookups.courses}
          courseName={lookups.courseName}
          previous={phase.previous}
          onContinue={(request) => setPhase({ name: 'confirm', request })}
          onCancel={close}
        />
      </Dialog>
    );
  }
  if (phase.name === 'parameter') return null;

  const { request } = phase;
  const words = actionWords(request, lookups);
  const title =
    phase.name === 'finished'
      ? `${words.name} finished`
      : phase.name === 'job'
        ? `${words.name}: ${pluralize(phase.job.expectedCount, 'user')}`
        : `${sentence(words.phrase(who))}?`;

  return (
    <Dialog title={title} onClose={close}>
      {phase.name === 'finished' ? (
        <>
          {phase.cancelled && <p>The job was cancelled: the users it had not reached were left as they were.</p>}
          <ActionResults words={words} result={phase.result} names={phase.jobNames ?? names} />
        </>
      ) : phase.name === 'job' ? (
        <JobProgress job={phase.job} pollEvery={pollEvery} onFinished={(job, outcomes) => jobFinished(request, job, outcomes)} />
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
            {takesParameter(choice) && (
              <button
                type="button"
                className="button button-quiet button-back"
                onClick={() => setPhase({ name: 'parameter', previous: request })}
                disabled={phase.name === 'running'}
              >
                Back
              </button>
            )}
            <button type="button" className="button" onClick={close} disabled={phase.name === 'running'}>
              Cancel
            </button>
            <button
              type="button"
              className="button button-primary"
              onClick={() => void run(request)}
              disabled={phase.name === 'running'}
              autoFocus
            >
              {phase.name === 'running' ? words.running : confirmLabel(request, count, lookups)}
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
