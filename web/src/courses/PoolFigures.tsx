import type { Course } from '../api/types';
import './courses.css';

const numberFormat = new Intl.NumberFormat('en-GB');

function share(part: number, whole: number): string {
  return `${whole > 0 ? (100 * part) / whole : 0}%`;
}

/** A bar of the pool: used, reserved and free seats side by side. Unlimited pools have none. */
export function PoolBar({ course }: { course: Course }) {
  if (course.seats === null || course.free === null) return null;
  const label = `${numberFormat.format(course.used)} used, ${numberFormat.format(course.reserved)} reserved, ${numberFormat.format(course.free)} free of ${numberFormat.format(course.seats)}`;
  return (
    <div className="pool-bar" role="img" aria-label={label} title={label}>
      <span className="pool-bar-used" style={{ width: share(course.used, course.seats) }} />
      <span className="pool-bar-reserved" style={{ width: share(course.reserved, course.seats) }} />
    </div>
  );
}

/** The pool's figures: bought, reserved, used, free. */
export function PoolFigures({ course }: { course: Course }) {
  const figures: [string, string][] = [
    ['Bought', course.seats === null ? 'Unlimited' : numberFormat.format(course.seats)],
    ['Reserved', numberFormat.format(course.reserved)],
    ['Used', numberFormat.format(course.used)],
    ['Free', course.free === null ? 'Unlimited' : numberFormat.format(course.free)],
  ];
  return (
    <div className="pool">
      <dl className="pool-figures">
        {figures.map(([label, value]) => (
          <div key={label} className="pool-figure">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <PoolBar course={course} />
      <p className="field-hint">
        Assigning the course reserves a seat; the learner starting it uses the seat; an assignment that ends before it
        was started (removal from the course, or archiving the learner) gives the seat back.
      </p>
    </div>
  );
}
