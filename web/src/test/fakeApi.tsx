import type { ReactNode } from 'react';
import { vi } from 'vitest';
import { ApiProvider } from '../api/ApiContext';
import type { ApiClient } from '../api/client';
import type { AuditEntry, NamedItem, Session, User } from '../api/types';

/** An API client whose every method is a mock; tests set what the ones they use answer. */
export function fakeApi(overrides: Partial<ApiClient> = {}): ApiClient {
  const unexpected = (name: string) => vi.fn(() => Promise.reject(new Error(`unexpected call to ${name}`)));
  const methods = [
    'login',
    'startImport',
    'getImport',
    'validateImport',
    'importErrors',
    'applyImport',
    'importResults',
    'logout',
    'logoutEverywhere',
    'me',
    'myTraining',
    'startTraining',
    'completeTraining',
    'changePassword',
    'checkLink',
    'redeemLink',
    'forgotPassword',
    'checkRegistration',
    'register',
    'getRegistration',
    'setRegistration',
    'sendPasswordReset',
    'setOneTimePassword',
    'organization',
    'listUsers',
    'getUser',
    'createUser',
    'updateUser',
    'runAction',
    'getJob',
    'jobOutcomes',
    'cancelJob',
    'userAudit',
    'listAudit',
    'listGroups',
    'createGroup',
    'renameGroup',
    'deleteGroup',
    'listLocations',
    'createLocation',
    'renameLocation',
    'deleteLocation',
    'listCourses',
    'getCourse',
    'createCourse',
    'updateCourse',
    'courseLedger',
    'listTrainingRecords',
  ] as const;
  const api = Object.fromEntries(methods.map((name) => [name, unexpected(name)])) as unknown as ApiClient;
  return { ...api, ...overrides };
}

export function withApi(api: ApiClient) {
  return function Wrapper({ children }: { children: ReactNode }) {
    return <ApiProvider value={api}>{children}</ApiProvider>;
  };
}

export function makeUser(changes: Partial<User> = {}): User {
  return {
    id: 'u1',
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'ada@example.com',
    userId: null,
    role: 'learner',
    status: 'active',
    locationId: null,
    groupIds: [],
    courses: [],
    expiresAt: null,
    approvedAt: '2025-01-02T10:00:00Z',
    notifiedAt: '2025-01-02T10:00:00Z',
    lastAccessAt: '2025-03-04T12:00:00Z',
    archivedAt: null,
    createdAt: '2025-01-01T10:00:00Z',
    updatedAt: '2025-03-04T12:00:00Z',
    version: 1,
    ...changes,
  };
}

export function makeEntry(changes: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: 'e1',
    at: '2026-03-03T14:02:00Z',
    action: 'user.updated',
    actor: { id: 'me', name: 'Olive Owner' },
    target: { id: 'u1', name: 'Ada Lovelace' },
    requestId: 'req-1',
    changes: [],
    ...changes,
  };
}

export function named(id: string, name: string, version = 1): NamedItem {
  return { id, name, createdAt: '2025-01-01T00:00:00Z', version };
}

export const ORGANIZATION = { id: 'o1', slug: 'demo', name: 'Demo Foods' };

/** A signed-in session of a user (a learner unless told), who needs no password change. */
export function makeSession(user: Partial<User> = {}, changes: Partial<Session> = {}): Session {
  return { user: makeUser(user), organization: ORGANIZATION, passwordChangeRequired: false, ...changes };
}
