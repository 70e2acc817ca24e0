import { useId } from 'react';
import { useSignedInSession } from '../session/SessionContext';

/** A learner's landing page (/my-training): their courses, which the training issue lists here. */
export function MyTrainingPage() {
  const { user, organization } = useSignedInSession();
  const titleId = useId();
  return (
    <section className="page" aria-labelledby={titleId}>
      <div>
        <h1 id={titleId}>My training</h1>
        <p className="total">
          Welcome, {user.firstName}. This is your training at {organization.name}.
        </p>
      </div>
      <section className="card" aria-label="Your courses">
        <p className="empty-note">
          Your courses will appear here.
          <br />
          When an administrator assigns you a course, you find it here with its due date.
        </p>
      </section>
    </section>
  );
}
