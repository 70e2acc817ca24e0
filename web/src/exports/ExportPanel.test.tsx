import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Export } from '../api/types';
import { fakeApi, withApi } from '../test/fakeApi';
import { exportScope } from '../users/UsersPage';
import { NO_SELECTION } from '../users/selection';
import { ExportPanel, browser, exportKind } from './ExportPanel';

function exported(changes: Partial<Export> = {}): Export {
  return {
    id: 'e1',
    kind: 'users',
    format: 'xlsx',
    status: 'queued',
    rows: 0,
    message: null,
    createdAt: '2026-11-22T09:00:00Z',
    finishedAt: null,
    download: null,
    ...changes,
  };
}

const done = exported({
  status: 'done',
  rows: 40,
  finishedAt: '2026-11-22T09:00:05Z',
  download: { url: 'https://files.example/e1.xlsx?sig=1', fileName: 'roster-users-2026-11-22.xlsx', expires: '2026-11-22T09:05:05Z' },
});

afterEach(() => vi.restoreAllMocks());

describe('ExportPanel', () => {
  it('starts an export of the target in the chosen format, shows the rows written, then downloads a fresh link', async () => {
    const fresh = { ...done, download: { ...done.download!, url: 'https://files.example/e1.xlsx?sig=2' } };
    const getExport = vi
      .fn()
      .mockResolvedValueOnce(exported({ status: 'running', rows: 1000 }))
      .mockResolvedValueOnce(done)
      .mockResolvedValue(fresh);
    const api = fakeApi({ startExport: vi.fn().mockResolvedValue(exported()), getExport });
    const go = vi.spyOn(browser, 'download').mockImplementation(() => {});
    render(<ExportPanel describe="the 40 users that match the filters" target={{ filter: { group: 'g1' } }} pollEvery={1} />, {
      wrapper: withApi(api),
    });
    fireEvent.change(screen.getByLabelText('Format'), { target: { value: 'csv' } });
    fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    expect(api.startExport).toHaveBeenCalledWith({ kind: 'users', format: 'csv' }, { filter: { group: 'g1' } });
    expect(await screen.findByText('Exporting… 1,000 rows written')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Export' })).toHaveProperty('disabled', true);
    fireEvent.click(await screen.findByRole('button', { name: 'Download roster-users-2026-11-22.xlsx' }));
    await vi.waitFor(() => expect(go).toHaveBeenCalledWith('https://files.example/e1.xlsx?sig=2'));
    expect(screen.getByRole('status').textContent).toContain('40 rows exported.');
  });

  it('says why an export failed', async () => {
    const api = fakeApi({
      startExport: vi.fn().mockResolvedValue(exported()),
      getExport: vi.fn().mockResolvedValue(exported({ status: 'failed', message: 'the export could not be written; try again' })),
    });
    render(<ExportPanel describe="everyone" target={{ userIds: ['u1'] }} pollEvery={1} />, { wrapper: withApi(api) });
    fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    expect((await screen.findByRole('alert')).textContent).toContain('could not be written');
    expect(screen.getByRole('button', { name: 'Export' })).toHaveProperty('disabled', false);
  });
});

describe('exportScope', () => {
  it('exports the selected rows when there are some, else the filters in effect', () => {
    const filter = { group: 'g1', archived: 'include' as const };
    expect(exportScope({ kind: 'rows', ids: new Set(['u1', 'u2']) }, filter, 2, 40, true)).toEqual({
      describe: 'the 2 selected users',
      target: { userIds: ['u1', 'u2'] },
    });
    expect(exportScope(NO_SELECTION, filter, 0, 40, true)).toEqual({
      describe: 'the 40 users that match the filters',
      target: { filter },
    });
    expect(exportScope({ kind: 'allMatching' }, filter, 40, 40, true).target).toEqual({ filter });
  });
});

describe('exportKind', () => {
  it('exports training records for a records filter, else users', () => {
    expect(exportKind({ records: {} })).toBe('training-records');
    expect(exportKind({ records: { status: 'overdue' } })).toBe('training-records');
    expect(exportKind({ filter: {} })).toBe('users');
    expect(exportKind({ userIds: ['u1'] })).toBe('users');
  });
});
