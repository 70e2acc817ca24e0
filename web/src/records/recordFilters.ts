import { RECORD_STATUSES, type RecordStatus, type TrainingRecordQuery } from '../api/types';

/** The training records filters as the controls hold them: '' means "any"; dates are days (2026-12-31). */
export interface RecordFilterValues {
  course: string;
  group: string;
  location: string;
  status: RecordStatus | '';
  dueFrom: string;
  dueTo: string;
  completedFrom: string;
  completedTo: string;
}

export const NO_RECORD_FILTERS: RecordFilterValues = {
  course: '',
  group: '',
  location: '',
  status: '',
  dueFrom: '',
  dueTo: '',
  completedFrom: '',
  completedTo: '',
};

export const RECORD_STATUS_LABELS: Record<RecordStatus, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  completed: 'Completed',
  overdue: 'Overdue',
  user_archived: 'User archived',
  activity_archived: 'Activity archived',
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const KEYS = Object.keys(NO_RECORD_FILTERS) as (keyof RecordFilterValues)[];
const DATE_KEYS = new Set<keyof RecordFilterValues>(['dueFrom', 'dueTo', 'completedFrom', 'completedTo']);

function isStatus(value: string): value is RecordStatus {
  return (RECORD_STATUSES as readonly string[]).includes(value);
}

/** Why a pair of dates cannot be used, by the field of the end date; none when both ranges are whole. */
export function recordRangeErrors(values: RecordFilterValues): Partial<Record<'dueTo' | 'completedTo', string>> {
  const errors: Partial<Record<'dueTo' | 'completedTo', string>> = {};
  if (values.dueFrom && values.dueTo && values.dueTo < values.dueFrom) errors.dueTo = 'Before the start date.';
  if (values.completedFrom && values.completedTo && values.completedTo < values.completedFrom) {
    errors.completedTo = 'Before the start date.';
  }
  return errors;
}

/** The API's query for the filters; a date range that ends before it starts is left out. */
export function toRecordQuery(values: RecordFilterValues): TrainingRecordQuery {
  const errors = recordRangeErrors(values);
  const day = (value: string, whole: boolean) => (whole && DAY.test(value) ? value : undefined);
  return {
    course: values.course || undefined,
    group: values.group || undefined,
    location: values.location || undefined,
    status: values.status || undefined,
    dueFrom: day(values.dueFrom, !errors.dueTo),
    dueTo: day(values.dueTo, !errors.dueTo),
    completedFrom: day(values.completedFrom, !errors.completedTo),
    completedTo: day(values.completedTo, !errors.completedTo),
  };
}

/** The filters in the address, so that going back to the page finds them. */
export function recordFiltersToSearch(values: RecordFilterValues): string {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const value = values[key];
    if (value && (!DATE_KEYS.has(key) || DAY.test(value))) params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The filters an address carries; what cannot be read is left out. */
export function recordFiltersFromSearch(search: string): RecordFilterValues {
  const params = new URLSearchParams(search);
  const values = { ...NO_RECORD_FILTERS };
  for (const key of KEYS) {
    const value = params.get(key) ?? '';
    if (key === 'status') values.status = isStatus(value) ? value : '';
    else if (DATE_KEYS.has(key)) values[key] = DAY.test(value) ? value : '';
    else values[key] = value;
  }
  return values;
}
