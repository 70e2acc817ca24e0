import type { ApiClient, RequestOptions } from '../api/client';
import type { Deleted, NamedDeletion, NamedItem, NamedList, Rename } from '../api/types';
import { pluralize } from '../lib/plural';

/** The calls on one kind of named thing. */
export interface NamedItemsApi {
  list: (opts?: RequestOptions) => Promise<NamedList>;
  create: (name: string) => Promise<NamedItem>;
  rename: (id: string, rename: Rename) => Promise<NamedItem>;
  remove: (id: string, deletion: NamedDeletion) => Promise<Deleted>;
}

/** What differs between the Groups and the Locations pages: words, the Users filter, the API calls. */
export interface NamedKind {
  singular: 'group' | 'location';
  plural: 'groups' | 'locations';
  title: string;
  /** What the page is for, under its title. */
  description: string;
  /** The Users page's filter, and the listing's query parameter, for members. */
  filter: 'group' | 'location';
  /** What becomes of the members when one is deleted, for `count` members (at least one). */
  membersAfterDeletion: (count: number) => string;
  /** What the results say was done to the members. */
  membersDone: (count: number) => string;
  calls: (api: ApiClient) => NamedItemsApi;
}

const stays = (count: number) => (count === 1 ? 'their account stays' : 'their accounts stay');

export const GROUPS: NamedKind = {
  singular: 'group',
  plural: 'groups',
  title: 'Groups',
  description: 'Any set of users: a team, a shift, a store. A user can be in many groups.',
  filter: 'group',
  membersAfterDeletion: (count) => `They will be taken out of it; ${stays(count)}.`,
  membersDone: (count) => `${pluralize(count, 'member')} taken out of it`,
  calls: (api) => ({
    list: api.listGroups,
    create: api.createGroup,
    rename: api.renameGroup,
    remove: api.deleteGroup,
  }),
};

export const LOCATIONS: NamedKind = {
  singular: 'location',
  plural: 'locations',
  title: 'Locations',
  description: 'Where people work. A user has one location at most.',
  filter: 'location',
  membersAfterDeletion: (count) => `They will be left without a location; ${stays(count)}.`,
  membersDone: (count) => `${pluralize(count, 'member')} left without a location`,
  calls: (api) => ({
    list: api.listLocations,
    create: api.createLocation,
    rename: api.renameLocation,
    remove: api.deleteLocation,
  }),
};

/** "Night shift has 12 members.", "Night shift has no members." */
export function membersSentence(name: string, count: number): string {
  return count === 0 ? `${name} has no members.` : `${name} has ${pluralize(count, 'member')}.`;
}

/** The Users page showing the members, archived ones included (as the count includes them). */
export function membersPath(kind: NamedKind, id: string): string {
  return `/users?${new URLSearchParams({ [kind.filter]: id, archived: 'include' }).toString()}`;
}
