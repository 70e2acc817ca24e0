import { describe, expect, it } from 'vitest';
import { formatDate, formatDay, fullName, joinList, signInName, toDay } from './format';

describe('formatDate', () => {
  it('formats a timestamp as day, short month and year', () => {
    expect(formatDate('2025-03-04T12:00:00Z')).toBe('4 Mar 2025');
  });

  it('gives the empty string for no date or a bad one', () => {
    expect(formatDate(null)).toBe('');
    expect(formatDate('not a date')).toBe('');
  });
});

describe('user names', () => {
  it('joins first and last name', () => {
    expect(fullName({ firstName: 'Ada', lastName: 'Lovelace' })).toBe('Ada Lovelace');
  });

  it('prefers the email, then the user ID', () => {
    expect(signInName({ email: 'ada@example.com', userId: 'A1' })).toBe('ada@example.com');
    expect(signInName({ email: null, userId: 'A1' })).toBe('A1');
    expect(signInName({ email: null, userId: null })).toBe('');
  });
});

describe('days', () => {
  it('shows a day in UTC, as the server reads it', () => {
    expect(formatDay('2026-12-31')).toBe('31 Dec 2026');
    expect(formatDay('2026-12-31T00:00:00Z')).toBe('31 Dec 2026');
    expect(formatDay(null)).toBe('');
    expect(formatDay('nope')).toBe('');
  });

  it('takes the UTC day of a timestamp for a date input', () => {
    expect(toDay('2026-12-31T00:00:00Z')).toBe('2026-12-31');
    expect(toDay(null)).toBe('');
  });
});

describe('joinList', () => {
  it('joins names as a sentence would', () => {
    expect(joinList(['Leeds'])).toBe('Leeds');
    expect(joinList(['Leeds', 'York'])).toBe('Leeds and York');
    expect(joinList(['Leeds', 'York', 'Hull'])).toBe('Leeds, York and Hull');
  });
});
