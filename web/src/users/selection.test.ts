import { describe, expect, it } from 'vitest';
import {
  NO_SELECTION,
  bulkTarget,
  isSelected,
  pageSelectionState,
  selectedCount,
  togglePage,
  toggleRow,
  type Selection,
} from './selection';

const page = ['a', 'b', 'c'];
const rows = (...ids: string[]): Selection => ({ kind: 'rows', ids: new Set(ids) });

describe('selection', () => {
  it('ticks and unticks single rows', () => {
    const one = toggleRow(NO_SELECTION, 'a', page);
    expect(isSelected(one, 'a')).toBe(true);
    expect(pageSelectionState(one, page)).toBe('some');
    expect(isSelected(toggleRow(one, 'a', page), 'a')).toBe(false);
  });

  it('selects the whole page from the header, and clears it when all are ticked', () => {
    const all = togglePage(rows('a'), page);
    expect(pageSelectionState(all, page)).toBe('all');
    expect(selectedCount(all, 120)).toBe(3);
    expect(pageSelectionState(togglePage(all, page), page)).toBe('none');
  });

  it('counts every matching user when all matching are selected', () => {
    const all: Selection = { kind: 'allMatching' };
    expect(selectedCount(all, 120)).toBe(120);
    expect(isSelected(all, 'zz')).toBe(true);
    expect(pageSelectionState(all, page)).toBe('all');
  });

  it('falls back to the page rows when one row is unticked from all matching', () => {
    const next = toggleRow({ kind: 'allMatching' }, 'b', page);
    expect(next).toEqual(rows('a', 'c'));
  });

  it('targets user IDs, or the filter with the count the admin confirmed', () => {
    expect(bulkTarget(rows('a', 'b'), { q: 'x' }, 120)).toEqual({ userIds: ['a', 'b'] });
    expect(bulkTarget({ kind: 'allMatching' }, { q: 'x', archived: 'exclude' }, 120)).toEqual({
      filter: { q: 'x', archived: 'exclude' },
      expectedCount: 120,
    });
  });
});
