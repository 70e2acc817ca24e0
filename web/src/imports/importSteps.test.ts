import { describe, expect, it } from 'vitest';
import { TEMPLATE_COLUMNS, templateCsv, templateExample } from './ImportPage';
import { fieldLabel, importStep, syncEffect } from './importSteps';

describe('the import steps', () => {
  it('moves from upload to preview, or to the errors to fix, then apply and results', () => {
    expect(importStep('choose', 0, false)).toBe('upload');
    expect(importStep('checking', 0, false)).toBe('upload');
    expect(importStep('preview', 0, false)).toBe('preview');
    expect(importStep('preview', 2, false)).toBe('fix');
    expect(importStep('preview', 2, true)).toBe('preview');
    expect(importStep('applying', 0, false)).toBe('apply');
    expect(importStep('applied', 0, false)).toBe('results');
  });

  it("names each column's field in the template's words, never the API's", () => {
    expect(fieldLabel('firstName')).toBe('First name');
    expect(fieldLabel('expirationDate')).toBe('Expiration date');
    expect(fieldLabel('')).toBe('Not imported');
  });

  it('warns of the sync with its count, only when it changes somebody', () => {
    const counts = { deactivate: 12, archive: 3 };
    expect(syncEffect(counts, '')).toBeNull();
    expect(syncEffect({ deactivate: 0, archive: 0 }, 'deactivate')).toBeNull();
    const deactivate = syncEffect(counts, 'deactivate')!;
    expect(deactivate.title).toBe('Deactivate 12 users not in the file?');
    expect(deactivate.warning).toMatch(/^12 users on the roster are not in the file\. Applying it deactivates them/);
    expect(syncEffect(counts, 'archive')!.title).toBe('Archive 3 users not in the file?');
    expect(syncEffect({ deactivate: 0, archive: 1 }, 'archive')!.warning).toMatch(/^1 user on the roster is not in the file/);
  });
});

describe('the template', () => {
  it("uses the organization's own location, group and course in its example, so that it validates, and emails nobody", () => {
    const row = templateExample({ location: 'Leeds', group: 'Night shift', course: 'Fire safety' }, new Date('2026-05-01T00:00:00Z'));
    expect(row).toHaveLength(TEMPLATE_COLUMNS.length);
    expect(row[5]).toBe('Leeds');
    expect(row[6]).toBe('Night shift');
    expect(row[7]).toBe('Fire safety (2027-12-31)');
    expect(row[TEMPLATE_COLUMNS.indexOf('Notify')]).toBe('No');
    expect(row[TEMPLATE_COLUMNS.indexOf('Active')]).toBe('Yes');
    expect(row[TEMPLATE_COLUMNS.indexOf('Approved')]).toBe('Yes');
  });

  it('leaves location, groups and courses empty for an organization without them', () => {
    const row = templateExample({});
    expect(row.slice(5, 8)).toEqual(['', '', '']);
    expect(templateCsv(row).split('\r\n')[1]).toBe('Ada,Lovelace,ada.lovelace@example.com,,learner,,,,Yes,,Yes,No');
  });
});
