import { useId, useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext';
import { asApiError, type ApiError } from '../api/client';
import type { Assignment, User } from '../api/types';
import { formatDay, fullName, toDay } from '../lib/format';
import { Dialog } from '../ui/Dialog';
import { errorText } from '../ui/errorText';
import { dueInstant } from '../users/parameters/CoursesStep';

interface UserCoursesProps {
  user: User;
  courseName: (id: string) => string;
  /** Whether the viewer may change this user's assignments. */
  canChange: boolean;
  /** Called after a due date was saved or an activity archived, to read the user again. */
  onChanged: () => void;
}

/**
 * Asks before archiving the user's activity in a course (archive-activity):
 * the enrollment is kept in training records and the course can be assigned again.
 */
function ArchiveActivityDialog({ user, assignment, name, onClose, onArchived }: { user: User; assignment: Assignment; name: string; onClose: () => void; onArchived: () => void }) {
  const api = useApi();
  const [running, setRunning] = useState(false);
  const [failure, setFailure] = useState<string>();

  async function archive() {
    setRunning(true);
    setFailure(undefined);
    try {
      const result = await api.runAction({ action: 'archive-activity', courseIds: [assignment.courseId] }, { userIds: [user.id] });
      // One user always runs inline: the answer is the result, never a job.
      const outcome = 'results' in result ? result.results[0] : undefined;
      if (outcome && outcome.outcome !== 'done') {
        setFailure(`Not archived: ${outcome.reason ?? outcome.outcome}.`);
        return;
      }
      onArchived();
    } catch (e) {
      setFailure(errorText(asApiError(e)));
    } finally {
      setRunning(false);
    }
  }

  return (
    <Dialog title={`Archive ${name} activity?`} onClose={onClose}>
      <p>
        {fullName(user)}'s assignment of {name}, with its progress and dates, moves to training records, marked
        archived. The course leaves this list and can be assigned again. A seat not yet used goes back to the pool.
      </p>
      {failure && (
        <p className="alert alert-error" role="alert">
          {failure}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose} disabled={running}>
          Cancel
        </button>
        <button type="button" className="button button-primary" onClick={() => void archive()} disabled={running} autoFocus>
          {running ? 'Archiving…' : 'Yes, archive the activity'}
        </button>
      </div>
    </Dialog>
  );
}

/** One assigned course with its due date, which can be changed in place (set-due-date), and its activity archived. */
function CourseRow({ user, assignment, name, canChange, onChanged }: { user: User; assignment: Assignment; name: string; canChange: boolean; onChanged: () => void }) {
  const api = useApi();
  const id = useId();
  const [day, setDay] = useState(toDay(assignment.dueAt));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [archiving, setArchiving] = useState(false);
  const changed = day !== toDay(assignment.dueAt);

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    setError(undefined);
    try {
      await api.runAction(
        { action: 'set-due-date', courseIds: [assignment.courseId], dueAt: day ? dueInstant(day) : null },
        { userIds: [user.id] },
      );
      onChanged();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <li>
      <form onSubmit={save} className="course-due" noValidate>
        <span className="course-name">{name}</span>
        {canChange ? (
          <>
            <label htmlFor={`${id}-due`} className="visually-hidden">
              Due date of {name}
            </label>
            <input id={`${id}-due`} type="date" value={day} onChange={(e) => setDay(e.target.value)} />
            <button type="submit" className="button button-small" disabled={!changed || saving}>
              {saving ? 'Saving…' : 'Save'}
            </button>
            <button
              type="button"
              className="button button-small button-quiet"
              aria-label={`Archive activity of ${name}`}
              onClick={() => setArchiving(true)}
            >
              Archive activity…
            </button>
          </>
        ) : (
          <span className="muted">{assignment.dueAt ? `due ${formatDay(assignment.dueAt)}` : 'no due date'}</span>
        )}
      </form>
      {error && (
        <p className="field-error" role="alert">
          {errorText(error)}
        </p>
      )}
      {archiving && (
        <ArchiveActivityDialog
          user={user}
          assignment={assignment}
          name={name}
          onClose={() => setArchiving(false)}
          onArchived={() => {
            setArchiving(false);
            onChanged();
          }}
        />
      )}
    </li>
  );
}

/** The user's assigned courses, each with its due date. */
export function UserCourses({ user, courseName, canChange, onChanged }: UserCoursesProps) {
  return (
    <section className="card" aria-labelledby="courses-title">
      <div className="card-header">
        <h2 id="courses-title">Courses</h2>
      </div>
      {user.courses.length === 0 ? (
        <p className="muted">No course assigned.</p>
      ) : (
        <ul className="learner-list">
          {user.courses.map((a) => (
            <CourseRow
              key={`${a.courseId}@${a.dueAt ?? ''}`}
              user={user}
              assignment={a}
              name={courseName(a.courseId)}
              canChange={canChange}
              onChanged={onChanged}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
