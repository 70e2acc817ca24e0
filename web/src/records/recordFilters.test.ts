import { describe, expect, it } from 'vitest';
import {
  NO_RECORD_FILTERS,
  recordFiltersFromSearch,
  recordFiltersToSearch,
  recordRangeErrors,
  toRecordQuery,
} from './recordFilters';

describe('record filters', () => {
  it('go to the address and back', () => {
    const values = { ...NO_RECORD_FILTERS, course: 'c1', status: 'overdue' as const, dueFrom: '2026-01-01', dueTo: '2026-02-01' };
    const search = recordFiltersToSearch(values);
    expect(search).toBe('?course=c1&status=overdue&dueFrom=2026-01-01&dueTo=2026-02-01');
    expect(recordFiltersFromSearch(search)).toEqual(values);
  });

  it('drop what an address holds that they cannot use', () => {
    expect(recordFiltersFromSearch('?status=late&dueFrom=tomorrow&group=g1')).toEqual({ ...NO_RECORD_FILTERS, group: 'g1' });
    expect(recordFiltersToSearch(NO_RECORD_FILTERS)).toBe('');
  });

  it('leave a reversed range out of the query and say why', () => {
    const values = { ...NO_RECORD_FILTERS, dueFrom: '2026-03-01', dueTo: '2026-02-01', completedFrom: '2026-01-01' };
    expect(recordRangeErrors(values)).toEqual({ dueTo: 'Before the start date.' });
    expect(toRecordQuery(values)).toEqual({
      course: undefined,
      group: undefined,
      location: undefined,
      status: undefined,
      dueFrom: undefined,
      dueTo: undefined,
      completedFrom: '2026-01-01',
      completedTo: undefined,
    });
  });
});
