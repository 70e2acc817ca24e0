import { useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext';
import { asApiError, type ApiError } from '../api/client';
import type { Course } from '../api/types';
import { Dialog } from '../ui/Dialog';
import { errorText } from '../ui/errorText';
import { focusField } from '../ui/fields';
import { CourseFields, formLevelError } from './CourseFields';
import { EMPTY_DRAFT, readDraft, type CourseDraft } from './courseForm';

interface AddCourseDialogProps {
  onCreated: (course: Course) => void;
  onClose: () => void;
}

/** Adds a course: its name, an optional retake interval, and its license pool. */
export function AddCourseDialog({ onCreated, onClose }: AddCourseDialogProps) {
  const api = useApi();
  const [draft, setDraft] = useState<CourseDraft>(EMPTY_DRAFT);
  const [error, setError] = useState<ApiError>();
  const [saving, setSaving] = useState(false);

  function change(next: Partial<CourseDraft>) {
    setDraft((d) => ({ ...d, ...next }));
    setError(undefined);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const read = readDraft(draft);
    if (!read.ok) {
      setError(read.error);
      focusField(form, read.error.field);
      return;
    }
    setSaving(true);
    setError(undefined);
    try {
      onCreated(await api.createCourse({ name: read.name, retakeMonths: read.retakeMonths, seats: read.seats }));
    } catch (caught) {
      const failure = asApiError(caught);
      setError(failure);
      setSaving(false);
      focusField(form, failure.field);
    }
  }

  const otherError = formLevelError(error);
  return (
    <Dialog title="Add a course" onClose={onClose}>
      <form onSubmit={submit} noValidate aria-label="Add a course">
        <div className="course-form">
          <CourseFields
            draft={draft}
            error={error}
            onChange={change}
            seatsHint="The seats bought for this course. Unlimited when you have no license limit."
            isNew
          />
        </div>
        {otherError && (
          <p className="alert alert-error" role="alert">
            {errorText(otherError)}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose} disabled={saving}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={saving || draft.name.trim() === ''}>
            {saving ? 'Adding…' : 'Add course'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
