import type { Course, LedgerEntry, SeatKind } from '../api/types';
import { pluralize } from '../lib/plural';

/** "Every 12 months", "Every month", "No retake". */
export function retakeText(months: number | null): string {
  if (!months) return 'No retake';
  return months === 1 ? 'Every month' : `Every ${months} months`;
}

/** "400 seats", "Unlimited". */
export function poolText(course: Pick<Course, 'seats'>): string {
  return course.seats === null ? 'Unlimited' : pluralize(course.seats, 'seat');
}

export const SEAT_KIND_LABELS: Record<SeatKind, string> = {
  bought: 'Seats bought',
  limited: 'Pool limited',
  unlimited: 'Pool unlimited',
  reserved: 'Reserved',
  released: 'Released',
  used: 'Used',
};

/** What a movement did to the pool, in words: "50 seats bought", "3 seats reserved". */
export function movementText(entry: Pick<LedgerEntry, 'kind' | 'count' | 'seatsAfter'>): string {
  const n = Math.abs(entry.count);
  switch (entry.kind) {
    case 'bought':
      return entry.count >= 0 ? `${pluralize(n, 'seat')} bought` : `${pluralize(n, 'seat')} taken off`;
    case 'limited':
      return `Limited to ${pluralize(n, 'seat')}`;
    case 'unlimited':
      return 'Made unlimited';
    case 'reserved':
      return `${pluralize(n, 'seat')} reserved`;
    case 'released':
      return `${pluralize(n, 'seat')} released`;
    case 'used':
      return `${pluralize(n, 'seat')} used`;
  }
}

/** The rule the pool follows, for the seats field: how low the seats bought may go. */
export function poolRule(course: Pick<Course, 'reserved' | 'used'>): string {
  const held = course.reserved + course.used;
  if (held === 0) return 'No seats are reserved or used yet: any number of seats will do.';
  return `${pluralize(held, 'seat')} ${held === 1 ? 'is' : 'are'} reserved or used, so the pool needs at least ${held}.`;
}

/**
 * Reads a whole number from a form field: undefined when empty, NaN when it is
 * not a whole number of at least zero.
 */
export function readCount(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}
