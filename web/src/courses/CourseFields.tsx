import type { ApiError } from '../api/client';
import { fieldErrorText } from '../ui/errorText';
import { TextField } from '../ui/fields';
import type { CourseDraft } from './courseForm';
import { SeatsField } from './SeatsField';

/** The fields the course forms show; an error on any other field is the form's own to show. */
const COURSE_FIELDS = ['name', 'retakeMonths', 'seats'];

/** The error no field of the course forms shows, or undefined. */
export function formLevelError(error: ApiError | undefined): ApiError | undefined {
  return error && !COURSE_FIELDS.includes(error.field ?? '') ? error : undefined;
}

interface CourseFieldsProps {
  draft: CourseDraft;
  error: ApiError | undefined;
  onChange: (next: Partial<CourseDraft>) => void;
  /** What the seats field says about the pool. */
  seatsHint: string;
  disabled?: boolean;
  /** Adding a course: focus the name, with an example. */
  isNew?: boolean;
}

/** The name, retake interval and seats of a course, shared by adding and editing one. */
export function CourseFields({ draft, error, onChange, seatsHint, disabled, isNew }: CourseFieldsProps) {
  const fieldError = (field: string, label: string) =>
    error?.field === field ? fieldErrorText(label, error.message) : undefined;
  return (
    <>
      <TextField
        name="name"
        label="Name"
        placeholder={isNew ? 'e.g. Food Hygiene Level 2' : undefined}
        value={draft.name}
        maxLength={100}
        autoComplete="off"
        autoFocus={isNew}
        error={fieldError('name', 'Name')}
        onChange={(event) => onChange({ name: event.target.value })}
      />
      <TextField
        name="retakeMonths"
        label="Retake every (months)"
        hint="Leave empty when the course is taken once."
        inputMode="numeric"
        value={draft.retakeMonths}
        error={fieldError('retakeMonths', 'Retake')}
        onChange={(event) => onChange({ retakeMonths: event.target.value })}
      />
      <SeatsField
        limited={draft.limited}
        seats={draft.seats}
        hint={seatsHint}
        error={fieldError('seats', 'Seats')}
        disabled={disabled}
        onChange={(limited, seats) => onChange({ limited, seats })}
      />
    </>
  );
}
