import { useId, useState, type FormEvent } from 'react';
import type { ActionRequest, NamedItem, WhenShort } from '../../api/types';
import { StepActions } from './StepActions';

interface CoursesStepProps {
  action: 'assign-courses' | 'unassign-courses' | 'set-due-date' | 'archive-activity';
  /** The courses to choose from, sorted; retired ones are left out to assign. */
  courses: Pick<NamedItem, 'id' | 'name'>[];
  /** What was chosen before going back from the confirmation. */
  previous?: ActionRequest;
  /** Said when there is no course to choose. */
  emptyText: string;
  onContinue: (request: ActionRequest) => void;
  onCancel: () => void;
}

/** The most courses one action names (the server's limit). */
export const MAX_COURSES = 10;

/** The end of a chosen day (2026-12-31) in UTC, the instant a course is due. */
export function dueInstant(day: string): string {
  return `${day}T23:59:59Z`;
}

/**
 * Asks for one or more courses; to assign, also for an optional due date and
 * what to do when a pool has too few free seats; to set the due date, for the
 * date (none clears it).
 */
export function CoursesStep({ action, courses, previous, emptyText, onContinue, onCancel }: CoursesStepProps) {
  const earlier = previous && 'courseIds' in previous ? previous : undefined;
  const [chosen, setChosen] = useState<string[]>(earlier?.courseIds ?? []);
  const [day, setDay] = useState(
    (earlier?.action === 'assign-courses' || earlier?.action === 'set-due-date') && earlier.dueAt ? earlier.dueAt.slice(0, 10) : '',
  );
  const [whenShort, setWhenShort] = useState<WhenShort>(
    earlier?.action === 'assign-courses' ? earlier.whenShort : 'none',
  );
  const [error, setError] = useState('');
  const id = useId();

  function toggle(courseId: string, checked: boolean) {
    setError('');
    setChosen((ids) => (checked ? [...ids, courseId] : ids.filter((c) => c !== courseId)));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (chosen.length === 0) {
      setError('Choose at least one course.');
      return;
    }
    if (chosen.length > MAX_COURSES) {
      setError(`Choose at most ${MAX_COURSES} courses at once.`);
      return;
    }
    const courseIds = courses.filter((c) => chosen.includes(c.id)).map((c) => c.id);
    if (action === 'unassign-courses' || action === 'archive-activity') {
      onContinue({ action, courseIds });
      return;
    }
    if (day && !/^\d{4}-\d{2}-\d{2}$/.test(day)) {
      setError('Choose a due date, or leave it empty.');
      return;
    }
    const dueAt = day ? dueInstant(day) : null;
    onContinue(action === 'set-due-date' ? { action, courseIds, dueAt } : { action, courseIds, dueAt, whenShort });
  }

  return (
    <form onSubmit={submit} noValidate>
      <fieldset className={error ? 'field field-invalid' : 'field'} aria-describedby={error ? `${id}-error` : undefined}>
        <legend>Courses</legend>
        {courses.length === 0 ? (
          <p className="muted">{emptyText}</p>
        ) : (
          <div className="checkbox-grid">
            {courses.map((course) => (
              <label key={course.id} className="checkbox-label">
                <input
                  type="checkbox"
                  name="courseIds"
                  value={course.id}
                  checked={chosen.includes(course.id)}
                  onChange={(event) => toggle(course.id, event.target.checked)}
                />
                {course.name}
              </label>
            ))}
          </div>
        )}
        {error && (
          <p id={`${id}-error`} className="field-error">
            {error}
          </p>
        )}
      </fieldset>
      {action === 'set-due-date' && (
        <div className="field">
          <label htmlFor={`${id}-due`}>New due date</label>
          <input id={`${id}-due`} type="date" name="dueAt" value={day} onChange={(event) => setDay(event.target.value)} />
          <p className="field-hint">Leave it empty to clear the due date.</p>
        </div>
      )}
      {action === 'assign-courses' && (
        <>
          <div className="field">
            <label htmlFor={`${id}-due`}>Due date (optional)</label>
            <input id={`${id}-due`} type="date" name="dueAt" value={day} onChange={(event) => setDay(event.target.value)} />
          </div>
          <fieldset className="field">
            <legend>If there are not enough seats</legend>
            <div className="choice-list">
              <label className="checkbox-label">
                <input type="radio" name="whenShort" checked={whenShort === 'none'} onChange={() => setWhenShort('none')} />
                Assign nobody, and tell me how many seats are needed
              </label>
              <label className="checkbox-label">
                <input type="radio" name="whenShort" checked={whenShort === 'fit'} onChange={() => setWhenShort('fit')} />
                Assign as many as fit
              </label>
            </div>
          </fieldset>
        </>
      )}
      <StepActions onCancel={onCancel} continueDisabled={courses.length === 0} />
    </form>
  );
}
