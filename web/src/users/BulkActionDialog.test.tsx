import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { fakeApi, withApi } from '../test/fakeApi';
import { BulkActionDialog, confirmLabel } from './BulkActionDialog';

describe('confirmLabel', () => {
  it('names the exact count', () => {
    expect(confirmLabel('archive', 1)).toBe('Yes, archive 1 user');
    expect(confirmLabel('archive', 2)).toBe('Yes, archive 2 users');
    expect(confirmLabel('unarchive', 3)).toBe('Yes, unarchive 3 users');
  });
});

describe('BulkActionDialog', () => {
  it('runs the action once confirmed and reports each outcome', async () => {
    const runBulkAction = vi.fn().mockResolvedValue({
      action: 'archive',
      total: 2,
      done: 1,
      skipped: 1,
      failed: 0,
      results: [
        { id: 'u1', outcome: 'done' },
        { id: 'u2', outcome: 'skipped', reason: 'already archived' },
      ],
    });
    const onClose = vi.fn();
    render(<BulkActionDialog action="archive" count={2} target={{ userIds: ['u1', 'u2'] }} onClose={onClose} />, {
      wrapper: withApi(fakeApi({ runBulkAction })),
    });

    expect(screen.getByRole('dialog', { name: 'Archive 2 users?' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Yes, archive 2 users' }));

    expect(await screen.findByText('1 user archived')).toBeTruthy();
    expect(screen.getByText('1 user skipped: already archived')).toBeTruthy();
    expect(runBulkAction).toHaveBeenCalledWith('archive', { userIds: ['u1', 'u2'] });

    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalledWith(true);
  });

  it('closes without running when cancelled', () => {
    const onClose = vi.fn();
    const api = fakeApi();
    render(<BulkActionDialog action="unarchive" count={1} target={{ userIds: ['u1'] }} onClose={onClose} />, {
      wrapper: withApi(api),
    });
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onClose).toHaveBeenCalledWith(false);
    expect(api.runBulkAction).not.toHaveBeenCalled();
  });

  it('shows why the action was refused', async () => {
    const runBulkAction = vi
      .fn()
      .mockRejectedValue(
        new ApiError(409, 'conflict', 'the filter now matches 12 users, not 10: review the selection and try again'),
      );
    render(
      <BulkActionDialog
        action="archive"
        count={10}
        target={{ filter: { archived: 'exclude' }, expectedCount: 10 }}
        onClose={vi.fn()}
      />,
      { wrapper: withApi(fakeApi({ runBulkAction })) },
    );
    expect(screen.getByText(/every user that matches the current filters/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Yes, archive 10 users' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The filter now matches 12 users, not 10: review the selection and try again',
    );
  });
});
