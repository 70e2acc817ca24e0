import { useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { Course } from '../api/types';
import { formatDate } from '../lib/format';
import { useResource } from '../lib/useResource';
import { Link } from '../router/router';
import { errorText } from '../ui/errorText';
import { CourseEditForm } from './CourseEditForm';
import { CourseLearners } from './CourseLearners';
import { poolText, retakeText } from './courseWords';
import { PoolFigures } from './PoolFigures';
import { RetireDialog } from './RetireDialog';
import { SeatLedger } from './SeatLedger';
import './courses.css';

function BackLink() {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <Link to="/courses">Courses</Link>
    </nav>
  );
}

/** One course: its pool's figures, its edit form, retire or restore, its learners and its seat ledger. */
export function CourseDetailPage({ id }: { id: string }) {
  const api = useApi();
  const record = useResource((signal) => api.getCourse(id, { signal }), [api, id]);
  // Saved here: shown at once, until the course read again has it.
  const [saved, setSaved] = useState<Course>();
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [generation, setGeneration] = useState(0);
  const loaded = record.data;
  const course = saved && (!loaded || saved.version >= loaded.version) ? saved : loaded;

  function changed(next: Course, text: string) {
    setSaved(next);
    setNotice(text);
    setGeneration((g) => g + 1);
  }

  if (!course) {
    const missing = record.error?.status === 404;
    return (
      <section className="page" aria-labelledby="course-title">
        <BackLink />
        <h1 id="course-title">{missing ? 'No such course' : 'Course'}</h1>
        {record.loading && !record.error && (
          <p className="muted" role="status">
            Loading…
          </p>
        )}
        {record.error && (
          <div className="alert alert-error" role="alert">
            <span>{missing ? 'This course does not exist in your organization.' : errorText(record.error)}</span>
            {!missing && (
              <button type="button" className="button button-small" onClick={record.reload}>
                Try again
              </button>
            )}
          </div>
        )}
      </section>
    );
  }

  const retired = course.retiredAt !== null;
  return (
    <section className="page" aria-labelledby="course-title">
      <BackLink />
      <div className="page-header">
        <div>
          <h1 id="course-title">
            {course.name}
            {retired && <span className="badge badge-retired course-retired">Retired</span>}
          </h1>
          <p className="total">
            {retakeText(course.retakeMonths)} · {poolText(course)} · added {formatDate(course.createdAt)}
          </p>
        </div>
        <button
          type="button"
          className={retired ? 'button button-primary' : 'button button-danger-quiet'}
          onClick={() => setConfirming(true)}
        >
          {retired ? 'Restore course' : 'Retire course'}
        </button>
      </div>

      {notice && (
        <p className="alert alert-success" role="status">
          {notice}
        </p>
      )}

      <div className="detail-grid">
        <section className="card detail-edit" aria-labelledby="course-details-title">
          <div className="card-header">
            <h2 id="course-details-title">Details</h2>
          </div>
          <CourseEditForm
            key={`${course.id}@${course.version}`}
            course={course}
            onSaved={(next) => changed(next, `Saved ${next.name}.`)}
            onReload={() => {
              setSaved(undefined);
              record.reload();
            }}
          />
        </section>
        <aside className="card detail-side" aria-labelledby="pool-title">
          <div className="card-header">
            <h2 id="pool-title">License pool</h2>
          </div>
          <PoolFigures course={course} />
        </aside>
        <div className="detail-history">
          <CourseLearners courseId={course.id} generation={generation} />
          <SeatLedger courseId={course.id} generation={generation} />
        </div>
      </div>

      {confirming && (
        <RetireDialog
          course={course}
          onClose={() => setConfirming(false)}
          onDone={(next) => {
            setConfirming(false);
            changed(next, next.retiredAt ? `Retired ${next.name}.` : `Restored ${next.name}.`);
          }}
        />
      )}
    </section>
  );
}
