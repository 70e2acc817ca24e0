import { ROLES, STATUSES, type Role, type Status } from '../api/types';
import { NO_FILTERS, type FilterValues } from './UserFilters';

/** The Users page's filters and search text, as an address carries them. */
export interface AddressFilters {
  values: FilterValues;
  searchText: string;
}

function oneOf<T extends string>(options: readonly T[], value: string | null): T | '' {
  return value !== null && (options as readonly string[]).includes(value) ? (value as T) : '';
}

/** Reads ?group=…&course=…&location=…&status=…&role=…&archived=include&q=… ; anything else is ignored. */
export function filtersFromSearch(search: string): AddressFilters {
  const params = new URLSearchParams(search);
  return {
    values: {
      ...NO_FILTERS,
      location: params.get('location') ?? '',
      group: params.get('group') ?? '',
      course: params.get('course') ?? '',
      status: oneOf<Status>(STATUSES, params.get('status')),
      role: oneOf<Role>(ROLES, params.get('role')),
      showArchived: params.get('archived') === 'include',
    },
    searchText: params.get('q') ?? '',
  };
}

/** The query that brings the page back with these filters: '' when there are none. */
export function filtersToSearch(values: FilterValues, q: string): string {
  const params = new URLSearchParams();
  if (values.location) params.set('location', values.location);
  if (values.group) params.set('group', values.group);
  if (values.course) params.set('course', values.course);
  if (values.status) params.set('status', values.status);
  if (values.role) params.set('role', values.role);
  if (values.showArchived) params.set('archived', 'include');
  if (q) params.set('q', q);
  const text = params.toString();
  return text ? `?${text}` : '';
}
