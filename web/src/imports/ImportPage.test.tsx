import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiClient } from '../api/client';
import type { Import, Job } from '../api/types';
import { browser } from '../exports/ExportPanel';
import { fakeApi, withApi } from '../test/fakeApi';
import { ImportPage, TEMPLATE_COLUMNS, templateCsv } from './ImportPage';

const uploads = vi.hoisted(() => ({ sent: [] as { url: string; name: string }[] }));
vi.mock('../api/client', async (original) => {
  const actual = await original<typeof import('../api/client')>();
  return {
    ...actual,
    uploadFile: vi.fn(async (link: { url: string }, file: File, onProgress: (share: number) => void) => {
      uploads.sent.push({ url: link.url, name: file.name });
      onProgress(0.5);
      onProgress(1);
    }),
  };
});

const counts = { rows: 3, create: 1, update: 1, unchanged: 0, deactivate: 0, archive: 0, errors: 1 };
const preview: Import = {
  id: 'imp1',
  fileName: 'team.csv',
  size: 120,
  status: 'validated',
  options: { mode: 'add-update', sync: '', skipBadRows: false },
  columns: [
    { column: 'A', header: 'First name', field: 'firstName' },
    { column: 'B', header: 'Last name', field: 'lastName' },
    { column: 'C', header: 'Email', field: 'email' },
  ],
  counts,
  errors: [{ line: 3, column: 'C', field: 'email', message: 'is not a valid email address' }],
  fileError: null,
  jobId: null,
  results: null,
  validatable: true,
  createdAt: '2026-03-01T09:00:00Z',
  validatedAt: '2026-03-01T09:00:01Z',
};
const job: Job = {
  id: 'job1',
  action: 'import',
  status: 'running',
  expectedCount: 2,
  total: 2,
  done: 0,
  skipped: 0,
  failed: 0,
  message: null,
  createdAt: '2026-03-01T09:00:02Z',
  finishedAt: null,
};

function renderPage(overrides: Partial<ApiClient> = {}) {
  const api = fakeApi({
    startImport: vi.fn().mockResolvedValue({
      import: { ...preview, status: 'uploading', options: null, columns: [], errors: [], validatedAt: null },
      upload: { method: 'PUT', url: 'https://files.example/upload', headers: { 'Content-Type': 'text/csv' }, expires: '2026-03-01T09:15:00Z' },
      maxSize: 52428800,
    }),
    validateImport: vi.fn().mockResolvedValue(preview),
    ...overrides,
  });
  render(<ImportPage pollEvery={10} />, { wrapper: withApi(api) });
  return api;
}

function chooseFile() {
  const file = new File(['First name,Last name,Email\n'], 'team.csv', { type: 'text/csv' });
  fireEvent.change(screen.getByLabelText('File'), { target: { files: [file] } });
  fireEvent.click(screen.getByRole('button', { name: 'Upload and check' }));
}

describe('ImportPage', () => {
  beforeEach(() => {
    uploads.sent = [];
  });

  it('offers the template with every column', () => {
    renderPage();
    const link = screen.getByRole('link', { name: 'Download the template' });
    expect(link.getAttribute('download')).toBe('roster-import-template.csv');
    expect(templateCsv().startsWith('\uFEFFFirst name,Last name,Email,User ID,Role,Location,Groups,Courses,Active,Expiration date,Approved,Notify\r\n')).toBe(true);
    expect(TEMPLATE_COLUMNS).toHaveLength(12);
  });

  it('uploads straight to storage, shows the mapping, counts and errors with their line, and applies once the bad rows are skipped', async () => {
    const applying: Import = { ...preview, status: 'applying', jobId: 'job1', validatable: false };
    const resultsLink = { method: 'GET', url: 'https://files.example/imp1/results.csv?sig=1', headers: {}, expires: '2026-03-01T09:05:00Z' };
    const api = renderPage({
      applyImport: vi.fn().mockResolvedValue({ import: applying, job }),
      getJob: vi.fn().mockResolvedValue({ ...job, status: 'done', done: 2, finishedAt: '2026-03-01T09:00:05Z' }),
      // The worker writes the result file a moment after the job ends.
      getImport: vi
        .fn()
        .mockResolvedValueOnce(applying)
        .mockResolvedValue({ ...applying, results: { jobStatus: 'done', done: 2, skipped: 0, failed: 0, notApplied: 0, at: '2026-03-01T09:00:06Z' } }),
      importResults: vi.fn().mockResolvedValue(resultsLink),
    });
    const go = vi.spyOn(browser, 'download').mockImplementation(() => {});
    chooseFile();
    const errors = await screen.findByRole('table', { name: 'Errors' });
    expect(api.startImport).toHaveBeenCalledWith('team.csv', 27);
    expect(uploads.sent).toEqual([{ url: 'https://files.example/upload', name: 'team.csv' }]);
    expect(api.validateImport).toHaveBeenCalledWith('imp1', 'add-update', '');
    const [, row] = within(errors).getAllByRole('row');
    expect(within(row!).getAllByRole('cell').map((c) => c.textContent)).toEqual(['3', 'C · Email', 'is not a valid email address']);
    // The mapping in the spreadsheet's words: the file's header ↔ Roster's field label, never an internal name.
    const columns = screen.getByRole('table', { name: 'Columns' });
    expect(within(columns).getAllByText('Email')).toHaveLength(2);
    expect(within(columns).queryByText('firstName')).toBeNull();
    expect(within(columns).getAllByText('First name')).toHaveLength(2);
    expect(screen.getByRole('listitem', { current: 'step' }).textContent).toBe('3Fix errors');
    const list = screen.getByRole('list', { name: 'Counts' });
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      '1 user to add',
      '1 user to update',
      '0 unchanged',
      '1 row with errors',
    ]);

    const apply = screen.getByRole('button', { name: 'Apply' }) as HTMLButtonElement;
    expect(apply.disabled).toBe(true);
    fireEvent.click(screen.getByLabelText('Skip the rows with errors'));
    expect(apply.disabled).toBe(false);
    fireEvent.click(apply);
    await waitFor(() => expect(api.applyImport).toHaveBeenCalledWith('imp1', { mode: 'add-update', sync: '', skipBadRows: true }, counts));
    expect(await screen.findByText('Applied: 2 rows done, 0 skipped, 0 failed.', {}, { timeout: 3000 })).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: 'Download the results' }, { timeout: 3000 }));
    await waitFor(() => expect(go).toHaveBeenCalledWith(resultsLink.url));
    expect(api.importResults).toHaveBeenCalledWith('imp1');
    expect(api.getImport).toHaveBeenCalledTimes(2);
    expect(screen.queryByRole('button', { name: 'Validate again' })).toBeNull();
    go.mockRestore();
  });

  it('offers to validate again once a failed job has its result file, and shows the new preview', async () => {
    const applying: Import = { ...preview, errors: [], counts: { ...counts, errors: 0 }, status: 'applying', jobId: 'job1', validatable: false };
    const failed = { ...applying, validatable: true, results: { jobStatus: 'failed' as const, done: 0, skipped: 0, failed: 0, notApplied: 2, at: '2026-03-01T09:00:06Z' } };
    const api = renderPage({
      validateImport: vi
        .fn()
        .mockResolvedValueOnce({ ...preview, errors: [], counts: { ...counts, errors: 0 } })
        .mockResolvedValue({ ...preview, errors: [], counts: { ...counts, errors: 0, create: 0, update: 2 } }),
      applyImport: vi.fn().mockResolvedValue({ import: applying, job }),
      getJob: vi.fn().mockResolvedValue({ ...job, status: 'failed', message: 'the roster changed since the preview', finishedAt: '2026-03-01T09:00:05Z' }),
      getImport: vi.fn().mockResolvedValue(failed),
    });
    chooseFile();
    fireEvent.click(await screen.findByRole('button', { name: 'Apply' }));
    expect(await screen.findByText('The import failed: the roster changed since the preview', {}, { timeout: 3000 })).toBeTruthy();
    expect(await screen.findByText('2 rows not applied.', {}, { timeout: 3000 })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Validate again' }));
    expect(await screen.findByText('2 users to update')).toBeTruthy();
    expect(api.validateImport).toHaveBeenLastCalledWith('imp1', 'add-update', '');
    expect(api.validateImport).toHaveBeenCalledTimes(2);
  });

  it('offers to validate again when a failed job\'s result file is late', async () => {
    const applying: Import = { ...preview, errors: [], counts: { ...counts, errors: 0 }, status: 'applying', jobId: 'job1', validatable: false };
    const api = renderPage({
      validateImport: vi
        .fn()
        .mockResolvedValueOnce({ ...preview, errors: [], counts: { ...counts, errors: 0 } })
        .mockResolvedValue({ ...preview, errors: [], counts: { ...counts, errors: 0, create: 0, update: 2 } }),
      applyImport: vi.fn().mockResolvedValue({ import: applying, job }),
      getJob: vi.fn().mockResolvedValue({ ...job, status: 'failed', message: 'the roster changed since the preview', finishedAt: '2026-03-01T09:00:05Z' }),
      getImport: vi.fn().mockResolvedValue(applying), // the result file never comes
    });
    chooseFile();
    fireEvent.click(await screen.findByRole('button', { name: 'Apply' }));
    expect(await screen.findByText('Writing the result file…', {}, { timeout: 3000 })).toBeTruthy();
    expect(await screen.findByText(/The result file is late/, {}, { timeout: 3000 })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Validate again' }));
    expect(await screen.findByText('2 users to update')).toBeTruthy();
    expect(api.validateImport).toHaveBeenCalledTimes(2);
  });

  it('does not offer to validate again once a cancelled job changed users', async () => {
    const applying: Import = { ...preview, errors: [], counts: { ...counts, errors: 0 }, status: 'applying', jobId: 'job1', validatable: false };
    renderPage({
      validateImport: vi.fn().mockResolvedValue({ ...preview, errors: [], counts: { ...counts, errors: 0 } }),
      applyImport: vi.fn().mockResolvedValue({ import: applying, job }),
      getJob: vi.fn().mockResolvedValue({ ...job, status: 'cancelled', done: 1, finishedAt: '2026-03-01T09:00:05Z' }),
      getImport: vi.fn().mockResolvedValue({ ...applying, results: { jobStatus: 'cancelled', done: 1, skipped: 0, failed: 0, notApplied: 1, at: '2026-03-01T09:00:06Z' } }),
    });
    chooseFile();
    fireEvent.click(await screen.findByRole('button', { name: 'Apply' }));
    expect(await screen.findByText('The job changed users before it stopped: upload the file again to import the rest.', {}, { timeout: 3000 })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Download the results' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Validate again' })).toBeNull();
  });

  it('validates again when the file changed since its preview', async () => {
    const api = renderPage({
      validateImport: vi.fn().mockResolvedValue({ ...preview, errors: [], counts: { ...counts, errors: 0 } }),
      applyImport: vi.fn().mockRejectedValue(new ApiError(409, 'conflict', 'the file changed since it was validated: validate it again', 'file')),
      getImport: vi.fn().mockResolvedValue({ ...preview, errors: [], counts: { ...counts, errors: 0 } }),
    });
    chooseFile();
    fireEvent.click(await screen.findByRole('button', { name: 'Apply' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The file changed since it was validated: validate it again');
    fireEvent.click(await screen.findByRole('button', { name: 'Validate again' }));
    await waitFor(() => expect(api.validateImport).toHaveBeenCalledTimes(2));
    expect(await screen.findByRole('button', { name: 'Apply' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows the new counts when the roster changed since the preview', async () => {
    const changed = { ...preview, errors: [], counts: { ...counts, errors: 0, create: 0, update: 2 } };
    const api = renderPage({
      validateImport: vi.fn().mockResolvedValue({ ...preview, errors: [], counts: { ...counts, errors: 0 } }),
      applyImport: vi.fn().mockRejectedValue(new ApiError(409, 'conflict', 'the roster changed since the preview', 'expectedCounts')),
      getImport: vi.fn().mockResolvedValue(changed),
    });
    chooseFile();
    fireEvent.click(await screen.findByRole('button', { name: 'Apply' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The roster changed since the preview');
    await waitFor(() => expect(api.getImport).toHaveBeenCalledWith('imp1'));
    expect(await screen.findByText('2 users to update')).toBeTruthy();
  });

  it('says why a file cannot be read', async () => {
    renderPage({ validateImport: vi.fn().mockRejectedValue(new ApiError(422, 'invalid', 'the file is empty: it has no header line', 'file')) });
    chooseFile();
    expect((await screen.findByRole('alert')).textContent).toBe('The file is empty: it has no header line');
  });
});
