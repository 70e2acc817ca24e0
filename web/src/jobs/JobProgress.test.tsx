import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { BulkTarget, Job, JobOutcomePage } from '../api/types';
import { fakeApi, withApi } from '../test/fakeApi';
import { ActionDialog } from '../users/ActionDialog';

const lookups = {
  groups: [],
  locations: [],
  courses: [],
  groupName: () => '',
  locationName: () => '',
  courseName: () => '',
};
const target: BulkTarget = { filter: { location: 'l1' }, expectedCount: 300 };

function job(changes: Partial<Job> = {}): Job {
  return {
    id: 'job1',
    action: 'archive',
    status: 'snapshotting',
    expectedCount: 300,
    total: 0,
    done: 0,
    skipped: 0,
    failed: 0,
    message: null,
    createdAt: '2026-01-01T09:00:00Z',
    finishedAt: null,
    ...changes,
  };
}

/**
 * Opens the dialog on a filter of 300 users whose action starts a job; getJob answers
 * `progress` in turn, then the last of them again.
 */
function open(progress: Job[], outcomes: JobOutcomePage = { items: [], nextCursor: null }) {
  const getJob = vi.fn().mockResolvedValue(progress.at(-1));
  for (const p of progress) getJob.mockResolvedValueOnce(p);
  const api = fakeApi({
    runAction: vi.fn().mockResolvedValue({ job: job() }),
    getJob,
    jobOutcomes: vi.fn().mockResolvedValue(outcomes),
    cancelJob: vi.fn().mockResolvedValue(job({ status: 'cancelled', total: 300, done: 100, finishedAt: '2026-01-01T09:01:00Z' })),
  });
  const onClose = vi.fn();
  render(<ActionDialog choice="archive" count={300} target={target} lookups={lookups} onClose={onClose} pollEvery={1} />, {
    wrapper: withApi(api),
  });
  fireEvent.click(screen.getByRole('button', { name: 'Yes, archive 300 users' }));
  return { api, onClose };
}

describe('a job in the action dialog', () => {
  it('shows the progress bar while the job runs, then the results with who was skipped and why', async () => {
    const { api } = open([job({ status: 'running', total: 300, done: 120 })], {
      items: [
        { id: 'u7', outcome: 'skipped', reason: 'already archived', firstName: 'Ada', lastName: 'Lovelace' },
        { id: 'u9', outcome: 'skipped', reason: 'you cannot archive yourself', firstName: 'Olive', lastName: 'Owner' },
      ],
      nextCursor: null,
    });
    expect(await screen.findByRole('dialog', { name: 'Archive: 300 users' })).toBeTruthy();
    const bar = await screen.findByRole('progressbar', { name: '120 of 300 users' });
    expect(bar.getAttribute('value')).toBe('120');
    expect(bar.getAttribute('max')).toBe('300');

    vi.mocked(api.getJob).mockResolvedValue(job({ status: 'done', total: 300, done: 298, skipped: 2, finishedAt: '2026-01-01T09:02:00Z' }));
    expect(await screen.findByRole('dialog', { name: 'Archive finished' })).toBeTruthy();
    expect(screen.getByText('298 users archived')).toBeTruthy();
    const already = screen.getByText('1 user skipped: already archived').closest('li')!;
    expect(within(already).getByText('Ada Lovelace')).toBeTruthy();
    expect(screen.getByText('1 user skipped: you cannot archive yourself')).toBeTruthy();
    expect(api.jobOutcomes).toHaveBeenCalledWith('job1', { result: 'skipped', limit: 200 }, expect.anything());
    expect(api.jobOutcomes).toHaveBeenCalledTimes(1); // nobody failed: no need to ask
  });

  it('cancels the job and reports what was done before it stopped', async () => {
    // The job runs until it is cancelled, then reads as cancelled.
    const { api } = open([job({ status: 'running', total: 300, done: 100 })]);
    await screen.findByRole('progressbar', { name: '100 of 300 users' });
    vi.mocked(api.getJob).mockResolvedValue(job({ status: 'cancelled', total: 300, done: 100, finishedAt: '2026-01-01T09:01:00Z' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel job' }));
    expect(api.cancelJob).toHaveBeenCalledWith('job1');
    expect(await screen.findByRole('dialog', { name: 'Archive finished' })).toBeTruthy();
    expect(screen.getByText(/The job was cancelled/)).toBeTruthy();
    expect(screen.getByText('100 users archived')).toBeTruthy();
  });

  it('says why a job failed, and that nobody was changed', async () => {
    const message = 'the filter now matches 301 users, not 300: nothing was changed';
    const { onClose } = open([job({ status: 'failed', total: 301, message, finishedAt: '2026-01-01T09:01:00Z' })]);
    expect((await screen.findByRole('alert')).textContent).toBe('The filter now matches 301 users, not 300: nothing was changed');
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalledWith(true);
  });

  it('can be closed while the job runs: the list reloads, the job goes on', async () => {
    const { onClose, api } = open([job({ status: 'running', total: 300, done: 5 })]);
    await screen.findByRole('progressbar', { name: '5 of 300 users' });
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalledWith(true);
    expect(api.cancelJob).not.toHaveBeenCalled();
  });
});
