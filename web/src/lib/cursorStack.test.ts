import { describe, expect, it } from 'vitest';
import { FIRST_PAGE, currentCursor, pageIndex, popCursor, pushCursor } from './cursorStack';

describe('cursor stack', () => {
  it('starts on the first page with no cursor', () => {
    expect(currentCursor(FIRST_PAGE)).toBeUndefined();
    expect(pageIndex(FIRST_PAGE)).toBe(0);
  });

  it('walks forward and back through pages', () => {
    const second = pushCursor(FIRST_PAGE, 'c2');
    const third = pushCursor(second, 'c3');
    expect(currentCursor(third)).toBe('c3');
    expect(pageIndex(third)).toBe(2);

    const back = popCursor(third);
    expect(currentCursor(back)).toBe('c2');
    expect(pageIndex(back)).toBe(1);
    expect(currentCursor(popCursor(back))).toBeUndefined();
  });

  it('never goes before the first page', () => {
    expect(popCursor(FIRST_PAGE)).toEqual([]);
  });

  it('leaves earlier stacks untouched', () => {
    const second = pushCursor(FIRST_PAGE, 'c2');
    pushCursor(second, 'c3');
    popCursor(second);
    expect(FIRST_PAGE).toEqual([]);
    expect(second).toEqual(['c2']);
  });
});
