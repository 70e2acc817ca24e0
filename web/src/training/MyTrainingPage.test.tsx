import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiClient } from '../api/client';
import type { Training } from '../api/types';
import { fakeApi, withApi } from '../test/fakeApi';
import { MyTrainingPage } from './MyTrainingPage';

vi.mock('../session/SessionContext', async () => {
  const { makeSession: session } = await import('../test/fakeApi');
  return { useSignedInSession: () => session({ firstName: 'Ada' }) };
});

function training(changes: Partial<Training> = {}): Training {
  return {
    courseId: 'c1',
    courseName: 'Forklift',
    state: 'not_started',
    seat: 'reserved',
    dueAt: '2027-01-31T17:00:00Z',
    assignedAt: '2026-11-01T09:00:00Z',
    startedAt: null,
    completedAt: null,
    retakeDueAt: null,
    retakeMonths: null,
    overdue: false,
    ...changes,
  };
}

function renderPage(overrides: Partial<ApiClient> = {}) {
  const api = fakeApi({
    myTraining: vi.fn().mockResolvedValue({
      items: [
        training(),
        training({ courseId: 'c2', courseName: 'Food Hygiene', dueAt: '2026-01-31T17:00:00Z', overdue: true, state: 'in_progress', seat: 'used', startedAt: '2026-01-10T09:00:00Z' }),
        training({ courseId: 'c3', courseName: 'Fire Safety', dueAt: null, state: 'completed', seat: 'used', startedAt: '2026-02-01T09:00:00Z', completedAt: '2026-02-02T09:00:00Z', retakeDueAt: '2027-02-02T09:00:00Z', retakeMonths: 12 }),
      ],
    }),
    ...overrides,
  });
  render(<MyTrainingPage />, { wrapper: withApi(api) });
  return api;
}

describe('MyTrainingPage', () => {
  it('lists the courses with due dates, overdue marked, and their status', async () => {
    renderPage();
    const table = await screen.findByRole('table', { name: 'Your courses, by due date' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => [within(r).getByRole('rowheader').textContent, ...within(r).getAllByRole('cell').slice(0, 2).map((c) => c.textContent)])).toEqual([
      ['Forklift', '31 Jan 2027', 'Not started'],
      ['Food Hygiene', '31 Jan 2026 Overdue', 'In progress since 10 Jan 2026'],
      ['Fire Safety', 'Due again 2 Feb 2027', 'Completed 2 Feb 2026'],
    ]);
    expect(within(rows[0]).getByRole('button', { name: 'Start Forklift' })).toBeTruthy();
    expect(within(rows[1]).queryByRole('button', { name: 'Start Food Hygiene' })).toBeNull();
    expect(within(rows[1]).getByRole('button', { name: 'Complete Food Hygiene' })).toBeTruthy();
    expect(within(rows[2]).getAllByRole('button').map((b) => b.getAttribute('aria-label'))).toEqual(['Retake Fire Safety']);
  });

  it('retakes a completed course and says so', async () => {
    const again = training({ courseId: 'c3', courseName: 'Fire Safety', dueAt: null, state: 'in_progress', seat: 'used', startedAt: '2027-02-10T09:00:00Z', completedAt: '2026-02-02T09:00:00Z', retakeDueAt: '2027-02-02T09:00:00Z', retakeMonths: 12, overdue: true });
    const api = renderPage({ startTraining: vi.fn().mockResolvedValue(again) });
    fireEvent.click(await screen.findByRole('button', { name: 'Retake Fire Safety' }));
    expect((await screen.findByRole('status')).textContent).toBe('Fire Safety started again.');
    expect(api.startTraining).toHaveBeenCalledWith('c3');
  });

  it('shows a retake in progress against its retake date, to complete', async () => {
    renderPage({
      myTraining: vi.fn().mockResolvedValue({
        items: [training({ courseId: 'c3', courseName: 'Fire Safety', dueAt: '2026-01-31T17:00:00Z', state: 'in_progress', seat: 'used', startedAt: '2027-02-10T09:00:00Z', completedAt: '2026-02-02T09:00:00Z', retakeDueAt: '2027-02-02T09:00:00Z', retakeMonths: 12, overdue: true })],
      }),
    });
    const row = (await screen.findAllByRole('row'))[1];
    expect(within(row).getAllByRole('cell').slice(0, 2).map((c) => c.textContent)).toEqual([
      'Due again 2 Feb 2027 Overdue',
      'Retake in progress since 10 Feb 2027; last completed 2 Feb 2026',
    ]);
    expect(within(row).getAllByRole('button').map((b) => b.getAttribute('aria-label'))).toEqual(['Complete Fire Safety']);
  });

  it('starts a course, says so and lists it again', async () => {
    const api = renderPage({
      startTraining: vi.fn().mockResolvedValue(training({ state: 'in_progress', seat: 'used', startedAt: '2026-11-22T09:00:00Z' })),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Start Forklift' }));
    expect((await screen.findByRole('status')).textContent).toBe('Forklift started.');
    expect(api.startTraining).toHaveBeenCalledWith('c1');
    expect(api.myTraining).toHaveBeenCalledTimes(2);
  });

  it('completes a course and gives the retake date', async () => {
    const api = renderPage({
      completeTraining: vi.fn().mockResolvedValue(
        training({ courseId: 'c2', courseName: 'Food Hygiene', state: 'completed', completedAt: '2026-11-22T09:00:00Z', retakeDueAt: '2027-11-22T09:00:00Z' }),
      ),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Complete Food Hygiene' }));
    expect((await screen.findByRole('status')).textContent).toBe('Food Hygiene completed. Due again 22 Nov 2027.');
    expect(api.completeTraining).toHaveBeenCalledWith('c2');
  });

  it('says why a start was refused', async () => {
    renderPage({
      startTraining: vi.fn().mockRejectedValue(new ApiError(409, 'conflict', 'this course has no seat for you: ask an administrator to assign it again', 'seats')),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Start Forklift' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Forklift: This course has no seat for you: ask an administrator to assign it again');
  });

  it('says when there are no courses', async () => {
    renderPage({ myTraining: vi.fn().mockResolvedValue({ items: [] }) });
    expect(await screen.findByText(/You have no courses yet/)).toBeTruthy();
  });
});
