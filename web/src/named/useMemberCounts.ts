import { useCallback } from 'react';
import { useApi } from '../api/ApiContext';
import type { ApiClient, RequestOptions } from '../api/client';
import { useResource } from '../lib/useResource';
import type { NamedKind } from './kinds';

/** How many users are members, archived users included; `exact` is false when counting stopped. */
export interface MemberCount {
  total: number;
  exact: boolean;
}

/** Counts the members of one group or location, as deleting it will. */
export async function countMembers(api: ApiClient, kind: NamedKind, id: string, opts?: RequestOptions): Promise<MemberCount> {
  const page = await api.listUsers({ [kind.filter]: id, archived: 'include', limit: 1 }, opts);
  return { total: page.total, exact: page.totalExact };
}

export interface MemberCounts {
  /** The count of an item, or undefined while it is counted or when it could not be. */
  countOf: (id: string) => MemberCount | undefined;
  failed: boolean;
  reload: () => void;
}

/** The member counts of every item listed. */
export function useMemberCounts(kind: NamedKind, ids: readonly string[]): MemberCounts {
  const api = useApi();
  const key = ids.join(',');
  const counts = useResource(
    async (signal) => {
      const entries = await Promise.all(
        ids.map(async (id) => [id, await countMembers(api, kind, id, { signal })] as const),
      );
      return new Map(entries);
    },
    [api, kind, key],
  );
  const { data } = counts;
  const countOf = useCallback((id: string) => data?.get(id), [data]);
  return { countOf, failed: counts.error !== undefined, reload: counts.reload };
}
