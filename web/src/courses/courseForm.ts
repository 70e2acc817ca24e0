import { ApiError } from '../api/client';
import type { Course } from '../api/types';
import { readCount } from './courseWords';

/** The fields of the course forms, as typed. */
export interface CourseDraft {
  name: string;
  /** Months, or '' for no retake. */
  retakeMonths: string;
  limited: boolean;
  seats: string;
}

export const EMPTY_DRAFT: CourseDraft = { name: '', retakeMonths: '', limited: false, seats: '' };

export function draftOf(course: Course): CourseDraft {
  return {
    name: course.name,
    retakeMonths: course.retakeMonths === null ? '' : String(course.retakeMonths),
    limited: course.seats !== null,
    seats: course.seats === null ? '' : String(course.seats),
  };
}

/** The values a draft stands for, or the error of its first bad field (checked before sending). */
export function readDraft(draft: CourseDraft):
  | { ok: true; name: string; retakeMonths: number | null; seats: number | null }
  | { ok: false; error: ApiError } {
  const invalid = (field: string, message: string) => ({
    ok: false as const,
    error: new ApiError(422, 'invalid', message, field),
  });
  const retake = readCount(draft.retakeMonths);
  if (retake !== undefined && (Number.isNaN(retake) || retake > 120)) {
    return invalid('retakeMonths', 'must be a whole number of months between 1 and 120, or empty for none');
  }
  let seats: number | null = null;
  if (draft.limited) {
    const n = readCount(draft.seats);
    if (n === undefined || Number.isNaN(n)) return invalid('seats', 'must be a whole number of seats, 0 or more');
    seats = n;
  }
  return { ok: true, name: draft.name.trim(), retakeMonths: retake ? retake : null, seats };
}
