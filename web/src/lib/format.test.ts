import { describe, expect, it } from 'vitest';
import { formatDate, fullName, signInName } from './format';

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
