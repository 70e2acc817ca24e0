import { describe, expect, it, vi } from 'vitest';
import type { AuditPage } from '../api/types';
import { makeEntry } from '../test/fakeApi';
import { MAX_READS_PER_PAGE, collect } from './useAuditLog';

const entries = (ids: string[]) => ids.map((id) => makeEntry({ id }));

describe('collect', () => {
  it('reads on while a filtered page comes back short, asking only for what is missing', async () => {
    const pages: Record<string, AuditPage> = {
      start: { items: entries(['a']), nextCursor: 'c2' },
      c2: { items: [], nextCursor: 'c3' },
      c3: { items: entries(['b', 'c']), nextCursor: 'c4' },
    };
    const load = vi.fn(async ({ cursor }: { limit: number; cursor?: string }) => pages[cursor ?? 'start']!);
    const page = await collect(load, undefined, 3, new AbortController().signal);
    expect(page.items.map((e) => e.id)).toEqual(['a', 'b', 'c']);
    expect(page.nextCursor).toBe('c4');
    expect(load.mock.calls.map(([q]) => q)).toEqual([
      { limit: 3, cursor: undefined },
      { limit: 2, cursor: 'c2' },
      { limit: 2, cursor: 'c3' },
    ]);
  });

  it('stops after a few reads, keeping the cursor to go on from', async () => {
    const load = vi.fn(async () => ({ items: [], nextCursor: 'more' }));
    const page = await collect(load, 'c1', 50, new AbortController().signal);
    expect(load).toHaveBeenCalledTimes(MAX_READS_PER_PAGE);
    expect(page).toEqual({ items: [], nextCursor: 'more' });
  });

  it('stops at the end of the log', async () => {
    const load = vi.fn(async () => ({ items: entries(['a']), nextCursor: null }));
    expect(await collect(load, undefined, 50, new AbortController().signal)).toEqual({
      items: entries(['a']),
      nextCursor: null,
    });
    expect(load).toHaveBeenCalledOnce();
  });
});
