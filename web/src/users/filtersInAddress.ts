import { ROLES, STATUSES, type Role, type Status } from '../api/types';
import { NO_FILTERS, type FilterValues } from './UserFilters';

/** The page sizes the Users page offers; 50 unless the address says otherwise. */
export const PAGE_SIZES = [25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 50;

/** The Users page's filters and search text, page and page size, as an address carries them. */
export interface AddressFilters {
  values: FilterValues;
  searchText: string;
  /** The cursors that lead to the page shown (empty: the first page). */
  pages: readonly string[];
  pageSize: number;
}

/** Where the listing is: its cursors and page size. */
export interface AddressPaging {
  pages: readonly string[];
  pageSize: number;
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
    pages: params.getAll('page').filter(Boolean),
    pageSize: (PAGE_SIZES as readonly number[]).includes(Number(params.get('size'))) ? Number(params.get('size')) : DEFAULT_PAGE_SIZE,
  };
}

/** Whether any filter or search is in effect, for "Clear filters". */
export function hasFilters(values: FilterValues, searchText: string): boolean {
  return searchText.trim() !== '' || Object.values(values).some((value) => value !== '' && value !== false);
}

/** The query that brings the page back with these filters: '' when there are none. */
export function filtersToSearch(values: FilterValues, q: string, paging?: AddressPaging): string {
  const params = new URLSearchParams();
  if (values.location) params.set('location', values.location);
  if (values.group) params.set('group', values.group);
  if (values.course) params.set('course', values.course);
  if (values.status) params.set('status', values.status);
  if (values.role) params.set('role', values.role);
  if (values.showArchived) params.set('archived', 'include');
  if (q) params.set('q', q);
  if (paging) {
    for (const cursor of paging.pages) params.append('page', cursor);
    if (paging.pageSize !== DEFAULT_PAGE_SIZE) params.set('size', String(paging.pageSize));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
