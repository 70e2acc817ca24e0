import { useApi } from '../api/ApiContext';
import { formatDay, fullName } from '../lib/format';
import { pluralize } from '../lib/plural';
import { useResource } from '../lib/useResource';
import { Link } from '../router/router';
import { errorText } from '../ui/errorText';

/** How many learners the course page lists; the roster's course filter shows them all. */
export const LEARNERS_SHOWN = 50;

/** The users assigned a course, in roster order, with their due dates. */
export function CourseLearners({ courseId, generation }: { courseId: string; generation: number }) {
  const api = useApi();
  const page = useResource(
    (signal) => api.listUsers({ course: courseId, archived: 'exclude', limit: LEARNERS_SHOWN }, { signal }),
    [api, courseId, generation],
  );
  const users = page.data?.items ?? [];
  const total = page.data?.total ?? 0;

  return (
    <section className="card" aria-labelledby="learners-title">
      <div className="card-header">
        <h2 id="learners-title">Learners</h2>
        {page.data && (
          <Link to={`/users?course=${encodeURIComponent(courseId)}`}>
            {pluralize(total, 'learner')}
            {page.data.totalExact ? '' : '+'} on the roster
          </Link>
        )}
      </div>
      {page.error && (
        <div className="alert alert-error" role="alert">
          <span>The learners could not be loaded. {errorText(page.error)}</span>
          <button type="button" className="button button-small" onClick={page.reload}>
            Try again
          </button>
        </div>
      )}
      {page.data && users.length === 0 && <p className="muted">Nobody is assigned this course.</p>}
      {users.length > 0 && (
        <ul className="learner-list">
          {users.map((user) => {
            const due = user.courses.find((a) => a.courseId === courseId)?.dueAt ?? null;
            return (
              <li key={user.id}>
                <Link to={`/users/${encodeURIComponent(user.id)}`}>{fullName(user)}</Link>
                <span className="muted">{due ? ` · due ${formatDay(due)}` : ' · no due date'}</span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
