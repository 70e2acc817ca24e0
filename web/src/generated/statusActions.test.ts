import { describe, expect, it } from 'vitest';
import { BULK_ACTIONS, STATUSES } from '../api/types';
import { USER_ACTIONS, USER_STATUSES } from './statusActions';

describe('the generated copy of the state table', () => {
  it('names the statuses and actions the API types do, in the same order', () => {
    expect(STATUSES).toEqual(USER_STATUSES);
    expect(BULK_ACTIONS).toEqual(USER_ACTIONS);
  });
});
