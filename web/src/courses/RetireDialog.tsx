import { useState } from 'react';
import { useApi } from '../api/ApiContext';
import { asApiError, type ApiError } from '../api/client';
import type { Course } from '../api/types';
import { Dialog } from '../ui/Dialog';
import { errorText } from '../ui/errorText';

interface RetireDialogProps {
  course: Course;
  onDone: (course: Course) => void;
  onClose: () => void;
}

/** Asks before retiring a course, or restoring a retired one. */
export function RetireDialog({ course, onDone, onClose }: RetireDialogProps) {
  const api = useApi();
  const restoring = course.retiredAt !== null;
  const [error, setError] = useState<ApiError>();
  const [working, setWorking] = useState(false);

  async function confirm() {
    setWorking(true);
    setError(undefined);
    try {
      onDone(await api.updateCourse(course.id, { version: course.version, retired: !restoring }));
    } catch (caught) {
      setError(asApiError(caught));
      setWorking(false);
    }
  }

  return (
    <Dialog title={restoring ? `Restore ${course.name}?` : `Retire ${course.name}?`} onClose={onClose}>
      <p>
        {restoring
          ? 'It can be assigned and edited again, with its pool and ledger as they are.'
          : 'A retired course keeps its records, its pool, its ledger and its name, but cannot be assigned or edited until it is restored. Assignments already made are not changed.'}
      </p>
      {error && (
        <p className="alert alert-error" role="alert">
          {error.field === 'version'
            ? 'This course was changed by someone else since it was read: close this and look again.'
            : errorText(error)}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose} disabled={working}>
          Cancel
        </button>
        <button
          type="button"
          className={restoring ? 'button button-primary' : 'button button-danger'}
          onClick={confirm}
          disabled={working}
          autoFocus
        >
          {working ? 'Working…' : restoring ? 'Yes, restore' : 'Yes, retire'}
        </button>
      </div>
    </Dialog>
  );
}
