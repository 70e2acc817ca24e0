import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/client';
import type { TrainingRecord, TrainingRecordQuery } from '../api/types';
import { makeCourse } from '../courses/testCourses';
import { fakeApi, named, withApi } from '../test/fakeApi';
import { TrainingRecordsPage } from './TrainingRecordsPage';

function record(changes: Partial<TrainingRecord> = {}): TrainingRecord {
  return {
    user: { id: 'u1', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', userId: null, status: 'active', archived: false },
    course: { id: 'c1', name: 'Fire safety' },
    state: 'not_started',
    overdue: false,
    assignedAt: '2026-01-02T10:00:00Z',
    dueAt: '2026-02-28T00:00:00Z',
    startedAt: null,
    completedAt: null,
    retakeDueAt: null,
    activityArchived: false,
    activityArchivedAt: null,
    location: { id: 'l1', name: 'Leeds' },
    groups: [{ id: 'g1', name: 'Day shift' }],
    ...changes,
  };
}

function renderRecords(listTrainingRecords: ApiClient['listTrainingRecords'], more: Partial<ApiClient> = {}) {
  const api = fakeApi({
    ...more,
    listCourses: vi.fn().mockResolvedValue({
      items: [makeCourse({ id: 'c1', name: 'Fire safety' }), makeCourse({ id: 'c0', name: 'Asbestos', retiredAt: '2026-06-01T09:00:00Z' })],
    }),
    listGroups: vi.fn().mockResolvedValue({ items: [named('g1', 'Day shift')] }),
    listLocations: vi.fn().mockResolvedValue({ items: [named('l1', 'Leeds')] }),
    listTrainingRecords,
  });
  render(<TrainingRecordsPage />, { wrapper: withApi(api) });
  return api;
}

beforeEach(() => window.history.replaceState(null, '', '/records'));

describe('TrainingRecordsPage', () => {
  it('lists every record with its dates and marks, overdue highlighted', async () => {
    renderRecords(
      vi.fn().mockResolvedValue({
        items: [
          record({ overdue: true }),
          record({
            user: { id: 'u2', firstName: 'Alan', lastName: 'Turing', email: null, userId: 'AT1', status: 'archived', archived: true },
            location: null,
            groups: [],
          }),
          record({ state: 'completed', startedAt: '2026-01-05T09:00:00Z', completedAt: '2026-01-06T09:00:00Z', activityArchived: true, activityArchivedAt: '2026-01-07T09:00:00Z' }),
        ],
        nextCursor: null,
      }),
    );
    const table = screen.getByRole('table', { name: 'Training records' });
    await within(table).findByText('AT1');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell').map((c) => c.textContent))).toEqual([
      ['Ada Lovelaceada@example.com', 'Fire safety', 'Not started Overdue', '2 Jan 2026', '28 Feb 2026', '', '', 'Leeds', 'Day shift'],
      ['Alan TuringAT1', 'Fire safety', 'Not started User archived', '2 Jan 2026', '28 Feb 2026', '', '', '', ''],
      ['Ada Lovelaceada@example.com', 'Fire safety', 'Completed Activity archived', '2 Jan 2026', '28 Feb 2026', '5 Jan 2026', '6 Jan 2026', 'Leeds', 'Day shift'],
    ]);
    expect(rows[0]!.className).toBe('record-overdue');
    expect(rows[1]!.className).toBe('');
  });

  it('offers retired courses in the course filter, marked', async () => {
    renderRecords(vi.fn().mockResolvedValue({ items: [], nextCursor: null }));
    const select = await screen.findByLabelText('Course');
    await within(select).findByRole('option', { name: 'Asbestos (retired)' });
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['All courses', 'Asbestos (retired)', 'Fire safety']);
  });

  it('filters, keeps the filters in the address, and pages on with the cursor', async () => {
    const list = vi.fn(async (query: TrainingRecordQuery) =>
      query.cursor
        ? { items: [record({ user: { ...record().user, id: 'u9', firstName: 'Grace', lastName: 'Hopper' } })], nextCursor: null }
        : { items: [record()], nextCursor: 'next' },
    );
    const api = renderRecords(list);
    await screen.findByText('Ada Lovelace');
    fireEvent.change(await screen.findByLabelText('Status'), { target: { value: 'completed' } });
    fireEvent.change(screen.getByLabelText('Due to'), { target: { value: '2026-03-31' } });
    await waitFor(() =>
      expect(api.listTrainingRecords).toHaveBeenLastCalledWith(
        expect.objectContaining({ status: 'completed', dueTo: '2026-03-31', limit: 50, cursor: undefined }),
        expect.anything(),
      ),
    );
    expect(window.location.search).toBe('?status=completed&dueTo=2026-03-31');

    // Short pages read on: the first answer has one record and a cursor, so a second read fills the page.
    expect(list).toHaveBeenCalledWith(expect.objectContaining({ cursor: 'next', limit: 49 }), expect.anything());
    expect(await screen.findByText('Grace Hopper')).toBeTruthy();
  });

  it('names a reversed date range and does not send it', async () => {
    const list = vi.fn().mockResolvedValue({ items: [], nextCursor: null });
    renderRecords(list);
    fireEvent.change(await screen.findByLabelText('Completed from'), { target: { value: '2026-03-01' } });
    fireEvent.change(screen.getByLabelText('Completed to'), { target: { value: '2026-02-01' } });
    expect(await screen.findByText('Before the start date.')).toBeTruthy();
    expect(list).toHaveBeenLastCalledWith(expect.objectContaining({ completedFrom: undefined, completedTo: undefined }), expect.anything());
    expect(await screen.findByText('No training record matches these filters.')).toBeTruthy();
  });

  it('moves between pages with Next and Previous', async () => {
    const list = vi.fn(async (query: TrainingRecordQuery) => {
      const full = Array.from({ length: 50 }, (_, i) => record({ user: { ...record().user, id: `u${i}`, firstName: query.cursor ? 'Second' : 'First' } }));
      return { items: full, nextCursor: query.cursor ? null : 'page2' };
    });
    renderRecords(list);
    expect((await screen.findAllByText('First Lovelace')).length).toBe(50);
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect((await screen.findAllByText('Second Lovelace')).length).toBe(50);
    expect((screen.getByRole('button', { name: 'Next' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Previous' }));
    expect((await screen.findAllByText('First Lovelace')).length).toBe(50);
  });

  it('exports the records the filters in effect match, with the rows written as it goes', async () => {
    const queued = {
      id: 'e1',
      kind: 'training-records' as const,
      format: 'csv' as const,
      status: 'queued' as const,
      rows: 0,
      message: null,
      createdAt: '2026-11-22T09:00:00Z',
      finishedAt: null,
      download: null,
    };
    const api = renderRecords(vi.fn().mockResolvedValue({ items: [record()], nextCursor: null }), {
      startExport: vi.fn().mockResolvedValue(queued),
      getExport: vi.fn().mockResolvedValue({ ...queued, status: 'running', rows: 1000 }),
    });
    await screen.findByText('Ada Lovelace');
    fireEvent.change(await screen.findByLabelText('Course'), { target: { value: 'c1' } });
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'overdue' } });
    fireEvent.change(screen.getByLabelText('Due from'), { target: { value: '2026-01-01' } });
    fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    const dialog = await screen.findByRole('dialog', { name: 'Export training records' });
    expect(dialog.textContent).toContain('Export the training records that match the filters to a spreadsheet.');
    fireEvent.change(within(dialog).getByLabelText('Format'), { target: { value: 'csv' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Export' }));
    expect(api.startExport).toHaveBeenCalledWith(
      { kind: 'training-records', format: 'csv' },
      { records: { course: 'c1', status: 'overdue', dueFrom: '2026-01-01' } },
    );
    expect(await within(dialog).findByText('Exporting… 1,000 rows written', {}, { timeout: 3000 })).toBeTruthy();
  });
});
