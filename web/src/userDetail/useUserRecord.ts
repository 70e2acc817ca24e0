import { useCallback, useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { ApiError } from '../api/client';
import type { User } from '../api/types';
import { useResource } from '../lib/useResource';

export interface UserRecord {
  /** The newest version known: read, or answered by a save. */
  user: User | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
  /** Takes a version the server answered with (after a save) without reading again. */
  replace: (user: User) => void;
}

function newer(a: User | undefined, b: User | undefined): User | undefined {
  if (!a || !b || a.id !== b.id) return a ?? b;
  return b.version > a.version ? b : a;
}

/** One user, read by id, kept at the newest version seen. */
export function useUserRecord(id: string): UserRecord {
  const api = useApi();
  const read = useResource((signal) => api.getUser(id, { signal }), [api, id]);
  const [saved, setSaved] = useState<User>();
  const replace = useCallback((user: User) => setSaved(user), []);
  const user = newer(read.data?.id === id ? read.data : undefined, saved?.id === id ? saved : undefined);
  return { user, error: read.error, loading: read.loading, reload: read.reload, replace };
}
