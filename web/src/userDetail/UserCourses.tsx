import { useId, useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext';
import { asApiError, type ApiError } from '../api/client';
import type { Assignment, User } from '../api/types';
import { formatDay, toDay } from '../lib/format';
import { errorText } from '../ui/errorText';
import { dueInstant } from '../users/parameters/CoursesStep';

interface UserCoursesProps {
  user: User;
  courseName: (id: string) => string;
  /** Whether the viewer may change this user's assignments. */
  canChange: boolean;
  /** Called after a due date was saved, to read the user again. */
  onChanged: () => void;
}

/** One assigned course with its due date, which can be changed in place (set-due-date). */
function CourseRow({ user, assignment, name, canChange, onChanged }: { user: User; assignment: Assignment; name: string; canChange: boolean; onChanged: () => void }) {
  const api = useApi();
  const id = useId();
  const [day, setDay] = useState(toDay(assignment.dueAt));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError>();
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
