import { describe, expect, it } from 'vitest';
import { readDraft } from './courseForm';
import { movementText, poolRule, readCount, retakeText } from './courseWords';

describe('course words', () => {
  it('words the retake interval', () => {
    expect(retakeText(null)).toBe('No retake');
    expect(retakeText(1)).toBe('Every month');
    expect(retakeText(12)).toBe('Every 12 months');
  });

  it('words each seat movement', () => {
    expect(movementText({ kind: 'bought', count: 50, seatsAfter: 450 })).toBe('50 seats bought');
    expect(movementText({ kind: 'bought', count: -1, seatsAfter: 449 })).toBe('1 seat taken off');
    expect(movementText({ kind: 'limited', count: 12, seatsAfter: 12 })).toBe('Limited to 12 seats');
    expect(movementText({ kind: 'unlimited', count: 0, seatsAfter: null })).toBe('Made unlimited');
    expect(movementText({ kind: 'reserved', count: 3, seatsAfter: null })).toBe('3 seats reserved');
    expect(movementText({ kind: 'released', count: 1, seatsAfter: null })).toBe('1 seat released');
    expect(movementText({ kind: 'used', count: 2, seatsAfter: null })).toBe('2 seats used');
  });

  it('explains how low the pool may go', () => {
    expect(poolRule({ reserved: 0, used: 0 })).toBe('No seats are reserved or used yet: any number of seats will do.');
    expect(poolRule({ reserved: 1, used: 0 })).toBe('1 seat is reserved or used, so the pool needs at least 1.');
    expect(poolRule({ reserved: 5, used: 7 })).toBe('12 seats are reserved or used, so the pool needs at least 12.');
  });

  it('reads whole numbers only', () => {
    expect(readCount(' ')).toBeUndefined();
    expect(readCount(' 12 ')).toBe(12);
    expect(readCount('-1')).toBeNaN();
    expect(readCount('1.5')).toBeNaN();
  });

  it('checks a draft before it is sent', () => {
    expect(readDraft({ name: ' Fire ', retakeMonths: '', limited: false, seats: '9' })).toEqual({
      ok: true,
      name: 'Fire',
      retakeMonths: null,
      seats: null,
    });
    expect(readDraft({ name: 'Fire', retakeMonths: '0', limited: true, seats: '0' })).toEqual({
      ok: true,
      name: 'Fire',
      retakeMonths: null,
      seats: 0,
    });
    const badSeats = readDraft({ name: 'Fire', retakeMonths: '', limited: true, seats: '' });
    expect(badSeats.ok ? undefined : badSeats.error.field).toBe('seats');
    const badRetake = readDraft({ name: 'Fire', retakeMonths: '121', limited: false, seats: '' });
    expect(badRetake.ok ? undefined : badRetake.error.field).toBe('retakeMonths');
  });
});
