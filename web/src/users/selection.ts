import type { BulkTarget, UserFilter } from '../api/types';

/**
 * Which users a bulk action applies to: rows ticked on the current page, or every
 * user the current filter matches, across all pages.
 */
export type Selection = { kind: 'rows'; ids: ReadonlySet<string> } | { kind: 'allMatching' };

export const NO_SELECTION: Selection = { kind: 'rows', ids: new Set() };

export type PageSelectionState = 'none' | 'some' | 'all';

export function isSelected(selection: Selection, id: string): boolean {
  return selection.kind === 'allMatching' || selection.ids.has(id);
}

export function toggleRow(selection: Selection, id: string, pageIds: readonly string[]): Selection {
  const ids = new Set(selection.kind === 'allMatching' ? pageIds : selection.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { kind: 'rows', ids };
}

export function pageSelectionState(selection: Selection, pageIds: readonly string[]): PageSelectionState {
  if (selection.kind === 'allMatching') return pageIds.length > 0 ? 'all' : 'none';
  const ticked = pageIds.filter((id) => selection.ids.has(id)).length;
  if (ticked === 0) return 'none';
  return ticked === pageIds.length ? 'all' : 'some';
}

/** The header checkbox: ticks every row of the page, or clears them all when they all are. */
export function togglePage(selection: Selection, pageIds: readonly string[]): Selection {
  return pageSelectionState(selection, pageIds) === 'all' ? NO_SELECTION : { kind: 'rows', ids: new Set(pageIds) };
}

/** How many users an action on this selection covers; `total` is how many the filter matches. */
export function selectedCount(selection: Selection, total: number): number {
  return selection.kind === 'allMatching' ? total : selection.ids.size;
}

/** What to send to a bulk action endpoint. */
export function bulkTarget(selection: Selection, filter: UserFilter, total: number): BulkTarget {
  return selection.kind === 'allMatching' ? { filter, expectedCount: total } : { userIds: [...selection.ids] };
}
