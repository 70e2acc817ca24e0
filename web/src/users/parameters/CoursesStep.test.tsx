import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { CoursesStep } from './CoursesStep';

const courses = [
  { id: 'c2', name: 'Fire safety' },
  { id: 'c1', name: 'First aid' },
];

function renderStep(action: 'assign-courses' | 'unassign-courses' | 'set-due-date' | 'archive-activity') {
  const onContinue = vi.fn();
  render(<CoursesStep action={action} courses={courses} emptyText="None." onContinue={onContinue} onCancel={() => {}} />);
  return onContinue;
}

describe('CoursesStep', () => {
  it('assigns several courses with a due date and the shortage choice', () => {
    const onContinue = renderStep('assign-courses');
    fireEvent.click(screen.getByLabelText('First aid'));
    fireEvent.click(screen.getByLabelText('Fire safety'));
    fireEvent.change(screen.getByLabelText('Due date (optional)'), { target: { value: '2027-01-31' } });
    fireEvent.click(screen.getByLabelText('Assign as many as fit'));
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(onContinue).toHaveBeenCalledWith({
      action: 'assign-courses',
      courseIds: ['c2', 'c1'],
      dueAt: '2027-01-31T23:59:59Z',
      whenShort: 'fit',
    });
  });

  it('assigns nobody when seats run short unless told otherwise, with no due date', () => {
    const onContinue = renderStep('assign-courses');
    fireEvent.click(screen.getByLabelText('First aid'));
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(onContinue).toHaveBeenCalledWith({ action: 'assign-courses', courseIds: ['c1'], dueAt: null, whenShort: 'none' });
  });

  it('asks for a course before going on', () => {
    const onContinue = renderStep('unassign-courses');
    expect(screen.queryByLabelText('Due date (optional)')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(screen.getByText('Choose at least one course.')).toBeTruthy();
    expect(onContinue).not.toHaveBeenCalled();
    fireEvent.click(screen.getByLabelText('Fire safety'));
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(onContinue).toHaveBeenCalledWith({ action: 'unassign-courses', courseIds: ['c2'] });
  });

  it('sets a new due date on the chosen courses, or clears it', () => {
    const onContinue = renderStep('set-due-date');
    expect(screen.queryByLabelText('Assign as many as fit')).toBeNull();
    fireEvent.click(screen.getByLabelText('Fire safety'));
    fireEvent.change(screen.getByLabelText('New due date'), { target: { value: '2027-03-01' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(onContinue).toHaveBeenLastCalledWith({ action: 'set-due-date', courseIds: ['c2'], dueAt: '2027-03-01T23:59:59Z' });
    fireEvent.change(screen.getByLabelText('New due date'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(onContinue).toHaveBeenLastCalledWith({ action: 'set-due-date', courseIds: ['c2'], dueAt: null });
  });

  it('archives the activity of the chosen courses, asking no date', () => {
    const onContinue = renderStep('archive-activity');
    expect(screen.queryByLabelText('New due date')).toBeNull();
    fireEvent.click(screen.getByLabelText('First aid'));
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(onContinue).toHaveBeenCalledWith({ action: 'archive-activity', courseIds: ['c1'] });
  });
});
