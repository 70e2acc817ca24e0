import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiClient } from '../api/client';
import { fakeApi, withApi } from '../test/fakeApi';
import { CoursesPage } from './CoursesPage';
import { makeCourse } from './testCourses';

function renderCourses(overrides: Partial<ApiClient> = {}) {
  const api = fakeApi({
    listCourses: vi.fn(async (retired?: string) => ({
      items: [
        makeCourse(),
        makeCourse({ id: 'c2', name: 'Allergen Awareness', retakeMonths: 12, seats: null, free: null, reserved: 4, used: 9 }),
        ...(retired ? [makeCourse({ id: 'c3', name: 'Old Course', retiredAt: '2026-02-01T00:00:00Z' })] : []),
      ],
    })),
    ...overrides,
  });
  render(<CoursesPage />, { wrapper: withApi(api) });
  return api;
}

const row = (name: string) => screen.getByRole('row', { name: new RegExp(`^${name}`) });
const cells = (name: string) => within(row(name)).getAllByRole('cell').map((cell) => cell.textContent);

describe('CoursesPage', () => {
  it('lists the courses with their retake and pool figures, and a bar for limited pools', async () => {
    renderCourses();
    expect(await screen.findByText('2 courses')).toBeTruthy();
    expect(cells('Food Hygiene')).toEqual(['Every 36 months', '400', '30', '70', '300', '']);
    expect(within(row('Food Hygiene')).getByRole('img').getAttribute('aria-label')).toBe(
      '70 used, 30 reserved, 300 free of 400',
    );
    expect(cells('Allergen Awareness')).toEqual(['Every 12 months', 'Unlimited', '4', '9', 'Unlimited', '']);
    expect(within(row('Allergen Awareness')).queryByRole('img')).toBeNull();
    expect(within(row('Food Hygiene')).getByRole('link', { name: 'Food Hygiene' }).getAttribute('href')).toBe(
      '/courses/c1',
    );
  });

  it('shows retired courses, marked, when asked', async () => {
    const api = renderCourses();
    await screen.findByText('2 courses');
    fireEvent.click(screen.getByLabelText('Show retired courses'));
    expect(await screen.findByText('3 courses')).toBeTruthy();
    expect(within(row('Old Course')).getByText('Retired')).toBeTruthy();
    expect(api.listCourses).toHaveBeenLastCalledWith('include', expect.anything());
  });

  it('adds a course with a pool, and says what is wrong with a field', async () => {
    const createCourse = vi
      .fn()
      .mockRejectedValueOnce(new ApiError(409, 'conflict', 'a course with this name exists', 'name'))
      .mockResolvedValue(makeCourse({ id: 'c9', name: 'Fire Safety' }));
    const api = renderCourses({ createCourse });
    await screen.findByText('2 courses');
    fireEvent.click(screen.getByRole('button', { name: 'Add course' }));
    const dialog = screen.getByRole('dialog', { name: 'Add a course' });
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: ' Fire Safety ' } });
    fireEvent.change(within(dialog).getByLabelText('Retake every (months)'), { target: { value: '12' } });
    fireEvent.click(within(dialog).getByLabelText('Limited:'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add course' }));
    expect(await within(dialog).findByText('Seats must be a whole number of seats, 0 or more')).toBeTruthy();
    expect(createCourse).not.toHaveBeenCalled();

    fireEvent.change(within(dialog).getByLabelText('Seats bought'), { target: { value: '60' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add course' }));
    expect(await within(dialog).findByText('Name a course with this name exists')).toBeTruthy();
    expect(createCourse).toHaveBeenLastCalledWith({ name: 'Fire Safety', retakeMonths: 12, seats: 60 });

    fireEvent.click(within(dialog).getByRole('button', { name: 'Add course' }));
    expect(await screen.findByText('Added Fire Safety.')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.listCourses).toHaveBeenCalledTimes(2);
  });

  it('offers to try again when the courses cannot be loaded', async () => {
    const listCourses = vi
      .fn()
      .mockRejectedValueOnce(new ApiError(500, 'internal', 'something failed', undefined, 'req-9'))
      .mockResolvedValue({ items: [makeCourse()] });
    renderCourses({ listCourses });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The courses could not be loaded. Something failed (request ID: req-9)');
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('1 course')).toBeTruthy();
  });
});
