import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { useResource } from './useResource';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('useResource', () => {
  it('is loading from the render in which its deps change, keeping the old data meanwhile', async () => {
    const answers = { a: deferred<string>(), b: deferred<string>() };
    const { result, rerender } = renderHook(
      ({ id }: { id: 'a' | 'b' }) => useResource(() => answers[id].promise, [id]),
      {
        initialProps: { id: 'a' },
      },
    );
    expect(result.current.loading).toBe(true);

    await act(async () => answers.a.resolve('A'));
    expect(result.current).toMatchObject({ data: 'A', loading: false });

    rerender({ id: 'b' });
    expect(result.current).toMatchObject({ data: 'A', loading: true });

    await act(async () => answers.b.resolve('B'));
    expect(result.current).toMatchObject({ data: 'B', loading: false });
  });

  it('ignores the answer to a request its deps have moved on from', async () => {
    const answers = { a: deferred<string>(), b: deferred<string>() };
    const { result, rerender } = renderHook(
      ({ id }: { id: 'a' | 'b' }) => useResource(() => answers[id].promise, [id]),
      {
        initialProps: { id: 'a' },
      },
    );
    rerender({ id: 'b' });
    await act(async () => answers.b.resolve('B'));
    await act(async () => answers.a.resolve('A'));
    expect(result.current.data).toBe('B');
  });

  it('reports a failure, and loads again on reload', async () => {
    const load = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(new ApiError(500, 'internal', 'boom'))
      .mockResolvedValueOnce('ok');
    const { result } = renderHook(() => useResource(load, []));

    await waitFor(() => expect(result.current.error?.message).toBe('boom'));
    expect(result.current.loading).toBe(false);

    act(() => result.current.reload());
    expect(result.current.loading).toBe(true);
    await waitFor(() => expect(result.current).toMatchObject({ data: 'ok', error: undefined, loading: false }));
  });
});
