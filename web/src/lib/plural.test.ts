import { describe, expect, it } from 'vitest';
import { countLabel, pluralize } from './plural';

describe('pluralize', () => {
  it('uses the singular for exactly one', () => {
    expect(pluralize(1, 'user')).toBe('1 user');
  });

  it('uses the plural for zero and for many', () => {
    expect(pluralize(0, 'user')).toBe('0 users');
    expect(pluralize(2, 'user')).toBe('2 users');
  });

  it('groups thousands', () => {
    expect(pluralize(12345, 'user')).toBe('12,345 users');
  });

  it('takes an irregular plural', () => {
    expect(pluralize(3, 'person', 'people')).toBe('3 people');
  });
});

describe('countLabel', () => {
  it('is the plural count when exact', () => {
    expect(countLabel(12, true, 'user')).toBe('12 users');
  });

  it('says "+" when counting stopped', () => {
    expect(countLabel(1000, false, 'user')).toBe('1,000+ users');
  });
});
