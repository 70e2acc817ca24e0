import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiClient } from '../api/client';
import type { LedgerQuery } from '../api/types';
import { fakeApi, makeUser, withApi } from '../test/fakeApi';
import { CourseDetailPage } from './CourseDetailPage';
import { LEDGER_PAGE } from './SeatLedger';
import { makeCourse, makeLedgerEntry } from './testCourses';

function renderCourse(overrides: Partial<ApiClient> = {}) {
  const api = fakeApi({
    getCourse: vi.fn().mockResolvedValue(makeCourse()),
    listUsers: vi.fn().mockResolvedValue({
      items: [
        makeUser({ id: 'u1', courses: [{ courseId: 'c1', dueAt: '2027-01-31T23:59:59Z' }] }),
        makeUser({ id: 'u2', firstName: 'Alan', lastName: 'Turing', courses: [{ courseId: 'c1', dueAt: null }] }),
      ],
      nextCursor: null,
      total: 2,
      totalExact: true,
    }),
    courseLedger: vi.fn(async (_id: string, query: LedgerQuery) =>
      query.cursor
        ? { items: [makeLedgerEntry({ id: 'l0' })], nextCursor: null }
        : {
            items: [
              makeLedgerEntry({ id: 'l2', kind: 'reserved', count: 3, seatsAfter: null, cause: 'Assigned', user: { id: 'u1', name: 'Ada Lovelace' }, after: { reserved: 30, used: 70, free: 300 } }),
              makeLedgerEntry({ id: 'l1', kind: 'bought', count: -8, seatsAfter: 400, cause: '8 seats taken off (408 to 400)' }),
            ],
            nextCursor: 'next-page',
          },
    ),
    ...overrides,
  });
  render(<CourseDetailPage id="c1" />, { wrapper: withApi(api) });
  return api;
}

describe('CourseDetailPage', () => {
  it("lists the course's learners with their due dates, and links to them on the roster", async () => {
    const api = renderCourse();
    const learners = await screen.findByRole('region', { name: 'Learners' });
    expect(await within(learners).findByRole('link', { name: 'Ada Lovelace' })).toBeTruthy();
    expect(within(learners).getByText(/due 31 Jan 2027/)).toBeTruthy();
    expect(within(learners).getByText(/no due date/)).toBeTruthy();
    expect(within(learners).getByRole('link', { name: '2 learners on the roster' }).getAttribute('href')).toBe('/users?course=c1');
    expect(api.listUsers).toHaveBeenCalledWith({ course: 'c1', archived: 'exclude', limit: 50 }, expect.anything());
  });

  it('shows the pool figures and the ledger, paged, with each cause in words', async () => {
    const api = renderCourse();
    expect(await screen.findByRole('heading', { level: 1, name: 'Food Hygiene' })).toBeTruthy();
    const pool = screen.getByRole('complementary', { name: 'License pool' });
    expect(within(pool).getAllByRole('definition').map((d) => d.textContent)).toEqual(['400', '30', '70', '300']);
    expect(within(pool).getByRole('img').getAttribute('aria-label')).toBe('70 used, 30 reserved, 300 free of 400');

    const ledger = screen.getByRole('table', { name: 'Seat ledger, newest first' });
    await within(ledger).findByText('3 seats reserved');
    const rows = within(ledger).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell').slice(1).map((c) => c.textContent))).toEqual([
      ['3 seats reserved', 'Assigned', 'Olive Owner, for Ada Lovelace', '30 reserved · 70 used · 300 free'],
      ['8 seats taken off', '8 seats taken off (408 to 400)', 'Olive Owner', ''],
    ]);
    expect(api.courseLedger).toHaveBeenCalledWith('c1', { limit: LEDGER_PAGE, cursor: undefined }, expect.anything());

    fireEvent.click(screen.getByRole('button', { name: 'Older' }));
    expect(await within(ledger).findByText('Course created with 400 seats')).toBeTruthy();
    expect(api.courseLedger).toHaveBeenLastCalledWith('c1', { limit: LEDGER_PAGE, cursor: 'next-page' }, expect.anything());
    expect((screen.getByRole('button', { name: 'Older' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Newer' }));
    expect(await within(ledger).findByText('Assigned')).toBeTruthy();
  });

  it('changes the seats with the version read, explains the pool rule, and shows the refusal with the numbers', async () => {
    const updateCourse = vi
      .fn()
      .mockRejectedValueOnce(
        new ApiError(422, 'invalid', '100 seats are reserved or used: the pool needs at least 100', 'seats'),
      )
      .mockResolvedValue(makeCourse({ seats: 450, free: 350, version: 2 }));
    const api = renderCourse({ updateCourse });
    await screen.findByRole('heading', { level: 1, name: 'Food Hygiene' });
    const form = screen.getByRole('form', { name: 'Edit the course' });
    expect(within(form).getByText('100 seats are reserved or used, so the pool needs at least 100.')).toBeTruthy();

    const seats = within(form).getByLabelText('Seats bought');
    fireEvent.change(seats, { target: { value: '90' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(await within(form).findByText('100 seats are reserved or used: the pool needs at least 100')).toBeTruthy();
    expect(updateCourse).toHaveBeenLastCalledWith('c1', { version: 1, seats: 90 });

    fireEvent.change(seats, { target: { value: '450' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Saved Food Hygiene.')).toBeTruthy();
    expect(updateCourse).toHaveBeenLastCalledWith('c1', { version: 1, seats: 450 });
    const pool = screen.getByRole('complementary', { name: 'License pool' });
    expect(within(pool).getAllByRole('definition').map((d) => d.textContent)).toEqual(['450', '30', '70', '350']);
    // The ledger is read again from its first page.
    expect(api.courseLedger).toHaveBeenCalledTimes(2);
  });

  it('makes a pool unlimited by sending seats null', async () => {
    const updateCourse = vi.fn().mockResolvedValue(makeCourse({ seats: null, free: null, version: 2 }));
    renderCourse({ updateCourse });
    await screen.findByRole('heading', { level: 1, name: 'Food Hygiene' });
    fireEvent.click(screen.getByLabelText('Unlimited seats'));
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Saved Food Hygiene.')).toBeTruthy();
    expect(updateCourse).toHaveBeenCalledWith('c1', { version: 1, seats: null });
  });

  it('retires after a confirmation, then allows no edit but restoring', async () => {
    const updateCourse = vi
      .fn()
      .mockResolvedValueOnce(makeCourse({ retiredAt: '2026-03-04T10:00:00Z', version: 2 }))
      .mockResolvedValueOnce(makeCourse({ version: 3 }));
    renderCourse({ updateCourse });
    await screen.findByRole('heading', { level: 1, name: 'Food Hygiene' });
    fireEvent.click(screen.getByRole('button', { name: 'Retire course' }));
    const dialog = screen.getByRole('dialog', { name: 'Retire Food Hygiene?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Yes, retire' }));
    expect(await screen.findByText('Retired Food Hygiene.')).toBeTruthy();
    expect(updateCourse).toHaveBeenLastCalledWith('c1', { version: 1, retired: true });
    expect(screen.getByText('This course is retired: restore it to edit it.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Save changes' })).toBeNull();
    expect(screen.getByLabelText('Name').matches(':disabled')).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: 'Restore course' }));
    fireEvent.click(within(screen.getByRole('dialog', { name: 'Restore Food Hygiene?' })).getByRole('button', { name: 'Yes, restore' }));
    expect(await screen.findByText('Restored Food Hygiene.')).toBeTruthy();
    expect(updateCourse).toHaveBeenLastCalledWith('c1', { version: 2, retired: false });
    expect(screen.getByRole('button', { name: 'Save changes' })).toBeTruthy();
  });

  it('says when someone else changed the course, and reloads it', async () => {
    const getCourse = vi
      .fn()
      .mockResolvedValueOnce(makeCourse())
      .mockResolvedValue(makeCourse({ name: 'Food Hygiene L2', version: 5 }));
    const updateCourse = vi.fn().mockRejectedValue(new ApiError(409, 'conflict', 'changed by someone else', 'version'));
    renderCourse({ getCourse, updateCourse });
    await screen.findByRole('heading', { level: 1, name: 'Food Hygiene' });
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Food Safety' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/^This course was changed by someone else/);
    fireEvent.click(within(alert).getByRole('button', { name: 'Reload the course' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Food Hygiene L2' })).toBeTruthy();
  });

  it('says when there is no such course', async () => {
    renderCourse({ getCourse: vi.fn().mockRejectedValue(new ApiError(404, 'not_found', 'no such course')) });
    expect(await screen.findByRole('heading', { level: 1, name: 'No such course' })).toBeTruthy();
    expect(screen.getByText('This course does not exist in your organization.')).toBeTruthy();
  });
});
