import { useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext';
import { asApiError, type ApiError } from '../api/client';
import type { Course, CourseChanges } from '../api/types';
import { errorText } from '../ui/errorText';
import { focusField } from '../ui/fields';
import { CourseFields, formLevelError } from './CourseFields';
import { draftOf, readDraft, type CourseDraft } from './courseForm';
import { poolRule } from './courseWords';

interface CourseEditFormProps {
  course: Course;
  onSaved: (course: Course) => void;
  /** Someone else changed the course: it needs reading again. */
  onReload: () => void;
}

/** The changes a draft makes to a course: the version read and only the fields that differ. */
export function changesOf(course: Course, read: { name: string; retakeMonths: number | null; seats: number | null }): CourseChanges {
  const changes: CourseChanges = { version: course.version };
  if (read.name !== course.name) changes.name = read.name;
  if (read.retakeMonths !== course.retakeMonths) changes.retakeMonths = read.retakeMonths;
  if (read.seats !== course.seats) changes.seats = read.seats;
  return changes;
}

/** Edits a course's name, retake interval and seats bought, explaining how low the pool may go. */
export function CourseEditForm({ course, onSaved, onReload }: CourseEditFormProps) {
  const api = useApi();
  const [draft, setDraft] = useState<CourseDraft>(() => draftOf(course));
  const [error, setError] = useState<ApiError>();
  const [saving, setSaving] = useState(false);
  const retired = course.retiredAt !== null;
  const stale = error?.field === 'version';

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
    const changes = changesOf(course, read);
    if (Object.keys(changes).length === 1) return; // nothing changed
    setSaving(true);
    setError(undefined);
    try {
      const saved = await api.updateCourse(course.id, changes);
      setDraft(draftOf(saved));
      onSaved(saved);
    } catch (caught) {
      const failure = asApiError(caught);
      setError(failure);
      focusField(form, failure.field);
    } finally {
      setSaving(false);
    }
  }

  const otherError = formLevelError(error);
  return (
    <form onSubmit={submit} noValidate aria-label="Edit the course">
      {retired && <p className="alert alert-info form-note">This course is retired: restore it to edit it.</p>}
      <fieldset className="plain-fieldset course-form" disabled={retired || saving}>
        <CourseFields draft={draft} error={error} onChange={change} seatsHint={poolRule(course)} disabled={retired || saving} />
      </fieldset>
      {otherError && (
        <p className="alert alert-error" role="alert">
          {stale ? 'This course was changed by someone else since it was read. ' : errorText(otherError)}
          {stale && (
            <button type="button" className="button-link" onClick={onReload}>
              Reload the course
            </button>
          )}
        </p>
      )}
      {!retired && (
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save changes'}
          </button>
        </div>
      )}
    </form>
  );
}
