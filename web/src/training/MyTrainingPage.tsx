import { useId, useState } from 'react';
import { useApi } from '../api/ApiContext';
import { asApiError } from '../api/client';
import type { Training } from '../api/types';
import { formatDay } from '../lib/format';
import { useResource } from '../lib/useResource';
import { useSignedInSession } from '../session/SessionContext';
import { errorText } from '../ui/errorText';

const STATE_WORDS: Record<Training['state'], string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  completed: 'Completed',
};

/** A learner's landing page (/my-training): their courses with due dates and status, to start, complete and retake. */
export function MyTrainingPage() {
  const { user, organization } = useSignedInSession();
  const api = useApi();
  const titleId = useId();
  const [generation, setGeneration] = useState(0);
  const [busy, setBusy] = useState('');
  const [feedback, setFeedback] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const list = useResource((signal) => api.myTraining({ signal }), [api, generation]);
  const items = list.data?.items ?? [];

  async function step(item: Training, action: 'start' | 'complete') {
    setBusy(item.courseId);
    setFeedback(null);
    try {
      const done = action === 'start' ? await api.startTraining(item.courseId) : await api.completeTraining(item.courseId);
      setFeedback({
        kind: 'success',
        text:
          done.state === 'completed'
            ? `${done.courseName} completed.${done.retakeDueAt ? ` Due again ${formatDay(done.retakeDueAt)}.` : ''}`
            : `${done.courseName} ${isRetake(done) ? 'started again' : 'started'}.`,
      });
      setGeneration((g) => g + 1);
    } catch (error) {
      setFeedback({ kind: 'error', text: `${item.courseName}: ${errorText(asApiError(error))}` });
    } finally {
      setBusy('');
    }
  }

  return (
    <section className="page" aria-labelledby={titleId}>
      <div>
        <h1 id={titleId}>My training</h1>
        <p className="total">
          Welcome, {user.firstName}. This is your training at {organization.name}.
        </p>
      </div>
      {feedback && (
        <div className={`alert alert-${feedback.kind}`} role={feedback.kind === 'error' ? 'alert' : 'status'}>
          {feedback.text}
        </div>
      )}
      <section className="card" aria-label="Your courses">
        {list.error && (
          <div className="alert alert-error" role="alert">
            <span>Your courses could not be loaded. {errorText(list.error)}</span>
            <button type="button" className="button button-small" onClick={list.reload}>
              Try again
            </button>
          </div>
        )}
        {list.data && items.length === 0 && (
          <p className="empty-note">
            You have no courses yet.
            <br />
            When an administrator assigns you a course, you find it here with its due date.
          </p>
        )}
        {items.length > 0 && (
          <div className="table-wrap training-wrap">
          <table className="data-table training-table">
            <caption className="visually-hidden">Your courses, by due date</caption>
            <thead>
              <tr>
                <th scope="col">Course</th>
                <th scope="col">Due</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.courseId}>
                  <th scope="row">{item.courseName}</th>
                  <td data-label="Due">
                    {dueText(item)}
                    {item.overdue && <> <span className="badge badge-overdue">Overdue</span></>}
                  </td>
                  <td data-label="Status">{statusText(item)}</td>
                  <td className="training-buttons">
                    {startWord(item) && (
                      <button
                        type="button"
                        className="button button-small"
                        disabled={busy !== ''}
                        onClick={() => void step(item, 'start')}
                        aria-label={`${startWord(item)} ${item.courseName}`}
                      >
                        {startWord(item)}
                      </button>
                    )}{' '}
                    {item.state !== 'completed' && (
                      <button
                        type="button"
                        className="button button-small button-primary"
                        disabled={busy !== ''}
                        onClick={() => void step(item, 'complete')}
                        aria-label={`Complete ${item.courseName}`}
                      >
                        Complete
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        )}
      </section>
    </section>
  );
}

/** The word of the button that starts the course: Start, Retake (completed, due again), or none. */
function startWord(item: Training): 'Start' | 'Retake' | null {
  if (item.state === 'not_started') return 'Start';
  return item.state === 'completed' && item.retakeDueAt ? 'Retake' : null;
}

/** A new attempt at a course completed before: owed by its retake date. */
function isRetake(item: Training): boolean {
  return item.state !== 'completed' && item.retakeDueAt !== null;
}

function dueText(item: Training): string {
  if (item.state === 'completed' || isRetake(item)) return item.retakeDueAt ? `Due again ${formatDay(item.retakeDueAt)}` : 'No retake';
  return item.dueAt ? formatDay(item.dueAt) : 'No due date';
}

function statusText(item: Training): string {
  if (item.state === 'completed' && item.completedAt) return `Completed ${formatDay(item.completedAt)}`;
  if (isRetake(item) && item.startedAt && item.completedAt)
    return `Retake in progress since ${formatDay(item.startedAt)}; last completed ${formatDay(item.completedAt)}`;
  if (item.state === 'in_progress' && item.startedAt) return `In progress since ${formatDay(item.startedAt)}`;
  if (item.seat === 'released') return 'Needs a seat: ask an administrator';
  return STATE_WORDS[item.state];
}
