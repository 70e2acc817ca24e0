import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeApi, makeUser, withApi } from '../test/fakeApi';
import { UserCourses } from './UserCourses';

const user = makeUser({
  id: 'u1',
  courses: [
    { courseId: 'c1', dueAt: '2027-01-31T23:59:59Z' },
    { courseId: 'c2', dueAt: null },
  ],
});
const courseName = (id: string) => ({ c1: 'Fire safety', c2: 'First aid' })[id] ?? 'Unknown course';

describe('UserCourses', () => {
  it("changes one course's due date, keeping the assignment", async () => {
    const runAction = vi.fn().mockResolvedValue({ action: 'set-due-date', total: 1, done: 1, skipped: 0, failed: 0, results: [] });
    const onChanged = vi.fn();
    render(<UserCourses user={user} courseName={courseName} canChange onChanged={onChanged} />, {
      wrapper: withApi(fakeApi({ runAction })),
    });
    const due = screen.getByLabelText('Due date of Fire safety') as HTMLInputElement;
    expect(due.value).toBe('2027-01-31');
    const saves = screen.getAllByRole('button', { name: 'Save' }) as HTMLButtonElement[];
    expect(saves.every((b) => b.disabled)).toBe(true);
    fireEvent.change(due, { target: { value: '2027-03-01' } });
    fireEvent.click(saves[0]!);
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(runAction).toHaveBeenCalledWith(
      { action: 'set-due-date', courseIds: ['c1'], dueAt: '2027-03-01T23:59:59Z' },
      { userIds: ['u1'] },
    );
  });

  it('shows the due dates read-only to a viewer who may not change them', () => {
    render(<UserCourses user={user} courseName={courseName} canChange={false} onChanged={() => {}} />, {
      wrapper: withApi(fakeApi()),
    });
    expect(screen.getByText('due 31 Jan 2027')).toBeTruthy();
    expect(screen.getByText('no due date')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
  });

  it("archives one course's activity after asking, and reads the user again", async () => {
    const runAction = vi.fn().mockResolvedValue({ action: 'archive-activity', total: 1, done: 1, skipped: 0, failed: 0, results: [{ id: 'u1', outcome: 'done' }] });
    const onChanged = vi.fn();
    render(<UserCourses user={user} courseName={courseName} canChange onChanged={onChanged} />, {
      wrapper: withApi(fakeApi({ runAction })),
    });
    fireEvent.click(screen.getByRole('button', { name: 'Archive activity of First aid' }));
    const dialog = screen.getByRole('dialog', { name: 'Archive First aid activity?' });
    expect(dialog.textContent).toMatch(/moves to training records, marked archived/);
    expect(runAction).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Yes, archive the activity' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(runAction).toHaveBeenCalledWith({ action: 'archive-activity', courseIds: ['c2'] }, { userIds: ['u1'] });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('keeps the dialog open with the reason when the user was skipped', async () => {
    const runAction = vi.fn().mockResolvedValue({
      action: 'archive-activity', total: 1, done: 0, skipped: 1, failed: 0,
      results: [{ id: 'u1', outcome: 'skipped', reason: 'not assigned to these courses' }],
    });
    const onChanged = vi.fn();
    render(<UserCourses user={user} courseName={courseName} canChange onChanged={onChanged} />, {
      wrapper: withApi(fakeApi({ runAction })),
    });
    fireEvent.click(screen.getByRole('button', { name: 'Archive activity of Fire safety' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, archive the activity' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Not archived: not assigned to these courses.');
    expect(onChanged).not.toHaveBeenCalled();
  });
});
