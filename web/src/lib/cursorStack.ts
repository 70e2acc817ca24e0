/**
 * The cursors that led to the current page of a cursor-paged listing, oldest first.
 * The first page has no cursor, so an empty stack means the first page.
 */
export type CursorStack = readonly string[];

export const FIRST_PAGE: CursorStack = [];

/** The stack after moving to the page that `nextCursor` opens. */
export function pushCursor(stack: CursorStack, nextCursor: string): CursorStack {
  return [...stack, nextCursor];
}

/** The stack after moving back one page; the first page stays the first page. */
export function popCursor(stack: CursorStack): CursorStack {
  return stack.slice(0, -1);
}

/** The cursor to request the current page with, or undefined for the first page. */
export function currentCursor(stack: CursorStack): string | undefined {
  return stack.at(-1);
}

/** The zero-based index of the current page. */
export function pageIndex(stack: CursorStack): number {
  return stack.length;
}
