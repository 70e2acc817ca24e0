import { describe, expect, it } from 'vitest';
import { NO_FILTERS } from './UserFilters';
import { filtersFromSearch, filtersToSearch, hasFilters } from './filtersInAddress';

describe('the Users filters in the address', () => {
  it('reads a group link: the group, archived users included', () => {
    expect(filtersFromSearch('?group=g1&archived=include')).toEqual({
      values: { ...NO_FILTERS, group: 'g1', showArchived: true },
      searchText: '',
      pages: [],
      pageSize: 50,
    });
  });

  it('writes what is set and reads it back; unknown values are ignored', () => {
    const values = { ...NO_FILTERS, location: 'l1', course: 'c1', status: 'active' as const, role: 'admin' as const };
    const search = filtersToSearch(values, 'ada');
    expect(search).toBe('?location=l1&course=c1&status=active&role=admin&q=ada');
    expect(filtersFromSearch(search)).toEqual({ values, searchText: 'ada', pages: [], pageSize: 50 });
    expect(filtersToSearch(NO_FILTERS, '')).toBe('');
    expect(filtersFromSearch('?status=sleeping&role=king').values).toEqual(NO_FILTERS);
  });

  it('keeps the page (its cursors) and a page size other than 50, and ignores sizes not offered', () => {
    const search = filtersToSearch({ ...NO_FILTERS, group: 'g1' }, '', { pages: ['c1', 'c2'], pageSize: 100 });
    expect(search).toBe('?group=g1&page=c1&page=c2&size=100');
    expect(filtersFromSearch(search)).toMatchObject({ pages: ['c1', 'c2'], pageSize: 100 });
    expect(filtersToSearch(NO_FILTERS, '', { pages: [], pageSize: 50 })).toBe('');
    expect(filtersFromSearch('?size=7').pageSize).toBe(50);
  });

  it('says whether there is anything for "Clear filters" to clear', () => {
    expect(hasFilters(NO_FILTERS, '')).toBe(false);
    expect(hasFilters(NO_FILTERS, ' ada ')).toBe(true);
    expect(hasFilters({ ...NO_FILTERS, showArchived: true }, '')).toBe(true);
    expect(hasFilters({ ...NO_FILTERS, role: 'admin' }, '')).toBe(true);
  });
});
