import { useMemo } from 'react';
import { useApi } from '../api/ApiContext';
import type { ApiError } from '../api/client';
import type { NamedItem } from '../api/types';
import { useResource } from '../lib/useResource';

export interface Lookups {
  groups: NamedItem[];
  locations: NamedItem[];
  /** The courses that can be assigned: not retired. */
  courses: Pick<NamedItem, 'id' | 'name'>[];
  /** Every course, retired ones marked so, to filter what was assigned. */
  filterCourses: Pick<NamedItem, 'id' | 'name'>[];
  groupName: (id: string) => string;
  locationName: (id: string) => string;
  /** Names any course, retired ones included. */
  courseName: (id: string) => string;
  /** Whether the groups, locations and courses have arrived. */
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
      const [groups, locations, courses] = await Promise.all([
        api.listGroups({ signal }),
        api.listLocations({ signal }),
        api.listCourses('include', { signal }),
      ]);
      return {
        groups: [...groups.items].sort(byName),
        locations: [...locations.items].sort(byName),
        courses: [...courses.items].sort(byName),
      };
    },
    [api],
  );
  const { data, error, reload } = loaded;

  return useMemo(() => {
    const groups = data?.groups ?? [];
    const locations = data?.locations ?? [];
    const groupNames = nameIndex(groups);
    const locationNames = nameIndex(locations);
    const allCourses = data?.courses ?? [];
    const courseNames = nameIndex(allCourses);
    return {
      groups,
      locations,
      courses: allCourses.filter((c) => c.retiredAt === null).map(({ id, name }) => ({ id, name })),
      filterCourses: allCourses.map(({ id, name, retiredAt }) => ({ id, name: retiredAt === null ? name : `${name} (retired)` })),
      // Until the names arrive an id shows as nothing rather than as unknown.
      groupName: (id) => groupNames.get(id) ?? (data ? 'Unknown group' : ''),
      locationName: (id) => locationNames.get(id) ?? (data ? 'Unknown location' : ''),
      courseName: (id) => courseNames.get(id) ?? (data ? 'Unknown course' : ''),
      loaded: data !== undefined,
      error,
      reload,
    };
  }, [data, error, reload]);
}
