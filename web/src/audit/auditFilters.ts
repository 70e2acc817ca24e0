import { AUDIT_ACTIONS, type AuditAction, type OrgAuditQuery, type Person } from '../api/types';

/** The audit log's filters as the controls hold them: '' and null mean "any". */
export interface AuditFilterValues {
  action: AuditAction | '';
  /** Only entries about this user. */
  user: Person | null;
  /** Only changes made by this person. */
  actor: Person | null;
  /** Days (2026-03-01) in the browser's time zone, both included. */
  from: string;
  to: string;
}

export const NO_AUDIT_FILTERS: AuditFilterValues = { action: '', user: null, actor: null, from: '', to: '' };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function isAction(value: string | null): value is AuditAction {
  return value !== null && (AUDIT_ACTIONS as readonly string[]).includes(value);
}

/** The start of a day in the browser's time zone, as the API takes a time. */
export function startOfDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year!, month! - 1, date!).toISOString();
}

/** The start of the day after, so that `to` includes the whole of its day. */
export function startOfNextDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year!, month! - 1, date! + 1).toISOString();
}

/** Why the dates cannot be used together, or undefined when they can. */
export function dateRangeError(values: Pick<AuditFilterValues, 'from' | 'to'>): string | undefined {
  if (values.from && values.to && values.to < values.from) return 'The end date is before the start date.';
  return undefined;
}

/** The API's query for the filters; a range that ends before it starts is left out. */
export function toAuditQuery(values: AuditFilterValues): OrgAuditQuery {
  const rangeOk = !dateRangeError(values);
  return {
    action: values.action || undefined,
    user: values.user?.id,
    actor: values.actor?.id,
    from: rangeOk && DAY.test(values.from) ? startOfDay(values.from) : undefined,
    to: rangeOk && DAY.test(values.to) ? startOfNextDay(values.to) : undefined,
  };
}

/** The filters in the address (?action=…&user=…), so that going back to the log finds them. */
export function auditFiltersToSearch(values: AuditFilterValues): string {
  const params = new URLSearchParams();
  if (values.action) params.set('action', values.action);
  if (values.user) params.set('user', values.user.id);
  if (values.actor) params.set('actor', values.actor.id);
  if (DAY.test(values.from)) params.set('from', values.from);
  if (DAY.test(values.to)) params.set('to', values.to);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The filters an address carries; people come by id alone, their names are looked up after. */
export function auditFiltersFromSearch(search: string): AuditFilterValues {
  const params = new URLSearchParams(search);
  const action = params.get('action');
  const person = (key: string): Person | null => {
    const id = params.get(key);
    return id ? { id, name: null } : null;
  };
  const day = (key: string) => {
    const value = params.get(key) ?? '';
    return DAY.test(value) ? value : '';
  };
  return {
    action: isAction(action) ? action : '',
    user: person('user'),
    actor: person('actor'),
    from: day('from'),
    to: day('to'),
  };
}
