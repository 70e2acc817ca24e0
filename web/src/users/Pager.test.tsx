import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { Pager } from './Pager';

describe('Pager', () => {
  it('says which users of the total the page shows, and offers only the pages there are', () => {
    const onPrevious = vi.fn();
    const onNext = vi.fn();
    const pager = (pageIndex: number, itemsOnPage: number) => (
      <Pager
        pageIndex={pageIndex}
        pageSize={50}
        itemsOnPage={itemsOnPage}
        total={1051}
        hasPrevious={pageIndex > 0}
        hasNext={itemsOnPage === 50}
        onPrevious={onPrevious}
        onNext={onNext}
      />
    );
    const { rerender } = render(pager(0, 50));
    expect(screen.getByText('Showing 1–50 of 1,051')).toBeTruthy();
    const previous = screen.getByRole('button', { name: 'Previous' }) as HTMLButtonElement;
    const next = screen.getByRole('button', { name: 'Next' }) as HTMLButtonElement;
    expect(previous.disabled).toBe(true);
    fireEvent.click(next);
    expect(onNext).toHaveBeenCalledOnce();

    rerender(pager(21, 1));
    expect(screen.getByText('Showing 1,051–1,051 of 1,051')).toBeTruthy();
    expect(next.disabled).toBe(true);
    fireEvent.click(previous);
    expect(onPrevious).toHaveBeenCalledOnce();

    rerender(pager(0, 0));
    expect(screen.queryByText(/Showing/)).toBeNull();
  });
});
