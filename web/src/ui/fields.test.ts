import { describe, expect, it } from 'vitest';
import { fieldErrorText } from './fields';

describe('fieldErrorText', () => {
  it('prefixes a predicate with the field label', () => {
    expect(fieldErrorText('Email', 'is not a valid email address')).toBe('Email is not a valid email address');
  });

  it('keeps a full sentence as it is', () => {
    expect(fieldErrorText('Email', 'This email is already in use.')).toBe('This email is already in use.');
  });
});
