import { describe, expect, it } from 'vitest';
import { NO_FILTERS } from './UserFilters';
import { filtersFromSearch, filtersToSearch } from './filtersInAddress';

describe('the Users filters in the address', () => {
  it('reads a group link: the group, archived users included', () => {
    expect(filtersFromSearch('?group=g1&archived=include')).toEqual({
      values: { ...NO_FILTERS, group: 'g1', showArchived: true },
      searchText: '',
    });
  });

  it('writes what is set and reads it back; unknown values are ignored', () => {
    const values = { ...NO_FILTERS, location: 'l1', course: 'c1', status: 'active' as const, role: 'admin' as const };
    const search = filtersToSearch(values, 'ada');
    expect(search).toBe('?location=l1&course=c1&status=active&role=admin&q=ada');
    expect(filtersFromSearch(search)).toEqual({ values, searchText: 'ada' });
    expect(filtersToSearch(NO_FILTERS, '')).toBe('');
    expect(filtersFromSearch('?status=sleeping&role=king').values).toEqual(NO_FILTERS);
  });
});
