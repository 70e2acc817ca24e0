import { afterEach, describe, expect, it } from 'vitest';
import { forgetFragmentToken, takeFragmentToken } from './fragmentToken';

describe('takeFragmentToken', () => {
  afterEach(forgetFragmentToken);

  it('takes the token out of the address and keeps it for the same page', () => {
    window.history.replaceState(null, '', '/invitation?x=1#tok_123-abc');
    const entries = window.history.length;
    expect(takeFragmentToken()).toBe('tok_123-abc');
    expect(window.location.href).toBe(`${window.location.origin}/invitation?x=1`);
    expect(window.history.length).toBe(entries);

    // Read again (a page drawn afresh) it is still there.
    expect(takeFragmentToken()).toBe('tok_123-abc');
  });

  it('answers nothing on another page, or when the address had none', () => {
    window.history.replaceState(null, '', '/invitation#tok');
    takeFragmentToken();
    window.history.replaceState(null, '', '/reset-password');
    expect(takeFragmentToken()).toBeUndefined();
    forgetFragmentToken();
    window.history.replaceState(null, '', '/invitation');
    expect(takeFragmentToken()).toBeUndefined();
  });

  it('takes a new link over a kept one', () => {
    window.history.replaceState(null, '', '/invitation#first');
    takeFragmentToken();
    window.history.replaceState(null, '', '/invitation#second');
    expect(takeFragmentToken()).toBe('second');
  });
});
