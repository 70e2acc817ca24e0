import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { errorText, fieldErrorText } from './errorText';

describe('fieldErrorText', () => {
  it('puts a predicate after the field label', () => {
    expect(fieldErrorText('Email', 'is not a valid email address')).toBe('Email is not a valid email address');
  });

  it('keeps a full sentence as it is', () => {
    expect(fieldErrorText('Email', 'This email is already in use.')).toBe('This email is already in use.');
  });
});

describe('errorText', () => {
  it('makes a sentence of the message', () => {
    const error = new ApiError(401, 'unauthorized', 'the organization, email or user ID, or password is not right');
    expect(errorText(error)).toBe('The organization, email or user ID, or password is not right');
  });

  it('adds the request ID that internal errors ask people to quote', () => {
    const error = new ApiError(500, 'internal', 'something went wrong on our side', undefined, 'req-42');
    expect(errorText(error)).toBe('Something went wrong on our side (request ID: req-42)');
  });

  it('leaves the request ID out of other errors', () => {
    const error = new ApiError(409, 'conflict', 'the filter now matches 12 users, not 10', 'expectedCount', 'req-7');
    expect(errorText(error)).toBe('The filter now matches 12 users, not 10');
  });
});
