import { describe, expect, it } from 'vitest';
import { BULK_ACTIONS, STATUSES } from '../api/types';
import { STATUS_ACTIONS, USER_ACTIONS, USER_STATUSES } from './statusActions';

describe('the generated copy of the state table', () => {
  it('is where the API types take the statuses and actions from', () => {
    expect(STATUSES).toBe(USER_STATUSES);
    expect(BULK_ACTIONS).toBe(USER_ACTIONS);
  });
  it('offers, in each status, only actions that exist', () => {
    expect(Object.keys(STATUS_ACTIONS)).toEqual([...USER_STATUSES]);
    for (const actions of Object.values(STATUS_ACTIONS)) {
      for (const a of actions) expect(USER_ACTIONS).toContain(a);
    }
  });
});
