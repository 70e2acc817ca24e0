import type { Course, LedgerEntry } from '../api/types';

export function makeCourse(changes: Partial<Course> = {}): Course {
  return {
    id: 'c1',
    name: 'Food Hygiene',
    retakeMonths: 36,
    seats: 400,
    reserved: 30,
    used: 70,
    free: 300,
    retiredAt: null,
    createdAt: '2026-01-05T09:00:00Z',
    version: 1,
    ...changes,
  };
}

export function makeLedgerEntry(changes: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    id: 'l1',
    at: '2026-03-03T14:02:00Z',
    kind: 'bought',
    count: 400,
    seatsAfter: 400,
    cause: 'Course created with 400 seats',
    actor: { id: 'me', name: 'Olive Owner' },
    user: null,
    requestId: 'req-1',
    after: null,
    ...changes,
  };
}
