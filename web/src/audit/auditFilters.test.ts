import { describe, expect, it } from 'vitest';
import { NO_AUDIT_FILTERS, auditFiltersFromSearch, auditFiltersToSearch, dateRangeError, toAuditQuery } from './auditFilters';

describe('audit filters', () => {
  it('asks for whole days in the browser’s zone, the end day included', () => {
    // The tests run in UTC.
    expect(toAuditQuery({ ...NO_AUDIT_FILTERS, from: '2026-03-01', to: '2026-03-31' })).toMatchObject({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-04-01T00:00:00.000Z',
    });
  });

  it('sends people by id, and leaves out a range that ends before it starts', () => {
    const values = {
      action: 'user.archived' as const,
      user: { id: 'u1', name: 'Ada Lovelace' },
      actor: { id: 'me', name: 'Olive Owner' },
      from: '2026-03-05',
      to: '2026-03-01',
    };
    expect(dateRangeError(values)).toBe('The end date is before the start date.');
    expect(toAuditQuery(values)).toEqual({ action: 'user.archived', user: 'u1', actor: 'me', from: undefined, to: undefined });
  });

  it('keeps the filters in the address and reads them back, people by id', () => {
    const search = auditFiltersToSearch({
      action: 'user.created',
      user: { id: 'u1', name: 'Ada Lovelace' },
      actor: null,
      from: '2026-03-01',
      to: '',
    });
    expect(search).toBe('?action=user.created&user=u1&from=2026-03-01');
    expect(auditFiltersFromSearch(search)).toEqual({
      action: 'user.created',
      user: { id: 'u1', name: null },
      actor: null,
      from: '2026-03-01',
      to: '',
    });
    expect(auditFiltersFromSearch('?action=nonsense&from=yesterday')).toEqual(NO_AUDIT_FILTERS);
  });
});
