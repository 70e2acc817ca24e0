import { useMemo } from 'react';
import { useApi } from '../api/ApiContext';
import type { ApiError } from '../api/client';
import type { NamedItem } from '../api/types';
import { useResource } from '../lib/useResource';

export interface Lookups {
  groups: NamedItem[];
  locations: NamedItem[];
  groupName: (id: string) => string;
  locationName: (id: string) => string;
  /** Whether the groups and locations have arrived. */
  loaded: boolean;
  error: ApiError | undefined;
  reload: () => void;
}

function byName(a: NamedItem, b: NamedItem): number {
  return a.name.localeCompare(b.name);
}

function nameIndex(items: NamedItem[]): Map<string, string> {
  return new Map(items.map((item) => [item.id, item.name]));
}

/** The organization's groups and locations, sorted by name, with id-to-name look-ups. */
export function useLookups(): Lookups {
  const api = useApi();
  const loaded = useResource(
    async (signal) => {
      const [groups, locations] = await Promise.all([api.listGroups({ signal }), api.listLocations({ signal })]);
      return { groups: [...groups.items].sort(byName), locations: [...locations.items].sort(byName) };
    },
    [api],
  );
  const { data, error, reload } = loaded;

  return useMemo(() => {
    const groups = data?.groups ?? [];
    const locations = data?.locations ?? [];
    const groupNames = nameIndex(groups);
    const locationNames = nameIndex(locations);
    return {
      groups,
      locations,
      // Until the names arrive an id shows as nothing rather than as unknown.
      groupName: (id) => groupNames.get(id) ?? (data ? 'Unknown group' : ''),
      locationName: (id) => locationNames.get(id) ?? (data ? 'Unknown location' : ''),
      loaded: data !== undefined,
      error,
      reload,
    };
  }, [data, error, reload]);
}
