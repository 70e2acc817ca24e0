import { useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { Course } from '../api/types';
import { pluralize } from '../lib/plural';
import { useResource } from '../lib/useResource';
import { Link } from '../router/router';
import { errorText } from '../ui/errorText';
import { AddCourseDialog } from './AddCourseDialog';
import { retakeText } from './courseWords';
import { PoolBar } from './PoolFigures';
import './courses.css';

const numberFormat = new Intl.NumberFormat('en-GB');

function figure(n: number | null): string {
  return n === null ? '—' : numberFormat.format(n);
}

function CourseRow({ course }: { course: Course }) {
  const unlimited = course.seats === null;
  return (
    <tr>
      <th scope="row" className="col-name">
        <Link to={`/courses/${encodeURIComponent(course.id)}`}>{course.name}</Link>
        {course.retiredAt && <span className="badge badge-retired course-retired">Retired</span>}
      </th>
      <td>{retakeText(course.retakeMonths)}</td>
      <td className="col-figure">{unlimited ? 'Unlimited' : figure(course.seats)}</td>
      <td className="col-figure">{figure(course.reserved)}</td>
      <td className="col-figure">{figure(course.used)}</td>
      <td className="col-figure">{unlimited ? 'Unlimited' : figure(course.free)}</td>
      <td>
        <PoolBar course={course} />
      </td>
    </tr>
  );
}

/** The courses with their license pools: figures and a bar each; add a course; show retired ones. */
export function CoursesPage() {
  const api = useApi();
  const [showRetired, setShowRetired] = useState(false);
  const listing = useResource(
    (signal) => api.listCourses(showRetired ? 'include' : undefined, { signal }),
    [api, showRetired],
  );
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string>();
  const courses = listing.data?.items ?? [];

  return (
    <section className="page" aria-labelledby="courses-title">
      <div className="page-header">
        <div>
          <h1 id="courses-title">Courses</h1>
          <p className="total" aria-live="polite">
            {listing.data ? pluralize(courses.length, 'course') : 'Loading courses…'}
          </p>
        </div>
        <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
          Add course
        </button>
      </div>
      <p className="page-intro">
        What your people train on. A course may be retaken every so many months, and may have a license pool: the
        seats bought, reserved by assignments, used once started, and free.
      </p>

      {notice && (
        <p className="alert alert-success" role="status">
          {notice}
        </p>
      )}

      <div className="filters">
        <label className="checkbox-label filter-archived">
          <input type="checkbox" checked={showRetired} onChange={(event) => setShowRetired(event.target.checked)} />
          Show retired courses
        </label>
      </div>

      {listing.error && (
        <div className="alert alert-error" role="alert">
          <span>The courses could not be loaded. {errorText(listing.error)}</span>
          <button type="button" className="button button-small" onClick={listing.reload}>
            Try again
          </button>
        </div>
      )}

      <div className="table-wrap">
        <table className="data-table" aria-busy={listing.loading}>
          <caption className="visually-hidden">Courses</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Retake</th>
              <th scope="col" className="col-figure">
                Seats bought
              </th>
              <th scope="col" className="col-figure">
                Reserved
              </th>
              <th scope="col" className="col-figure">
                Used
              </th>
              <th scope="col" className="col-figure">
                Free
              </th>
              <th scope="col">
                <span className="visually-hidden">Pool</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {courses.length === 0 && (
              <tr>
                <td colSpan={7} className="empty-row">
                  {listing.loading ? 'Loading courses…' : 'No courses yet: add the first one.'}
                </td>
              </tr>
            )}
            {courses.map((course) => (
              <CourseRow key={course.id} course={course} />
            ))}
          </tbody>
        </table>
      </div>

      {adding && (
        <AddCourseDialog
          onClose={() => setAdding(false)}
          onCreated={(course) => {
            setAdding(false);
            setNotice(`Added ${course.name}.`);
            listing.reload();
          }}
        />
      )}
    </section>
  );
}
