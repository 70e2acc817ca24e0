interface PagerProps {
  /** Zero-based. */
  pageIndex: number;
  pageSize: number;
  itemsOnPage: number;
  total: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  /** The page sizes to choose from, with the handler; no choice when absent. */
  pageSizes?: readonly number[];
  onPageSize?: (size: number) => void;
}

const numberFormat = new Intl.NumberFormat('en-US');

export function Pager({
  pageIndex,
  pageSize,
  itemsOnPage,
  total,
  hasPrevious,
  hasNext,
  onPrevious,
  onNext,
  pageSizes,
  onPageSize,
}: PagerProps) {
  const first = pageIndex * pageSize + 1;
  const last = pageIndex * pageSize + itemsOnPage;
  return (
    <nav className="pager" aria-label="Pages">
      <p className="muted">
        {itemsOnPage > 0 &&
          `Showing ${numberFormat.format(first)}–${numberFormat.format(last)} of ${numberFormat.format(total)}`}
      </p>
      <div className="button-row">
        {pageSizes && onPageSize && (
          <label className="page-size">
            Per page{' '}
            <select value={pageSize} onChange={(event) => onPageSize(Number(event.target.value))}>
              {pageSizes.map((size) => (
                <option key={size} value={size}>
                  {size}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="button" className="button" onClick={onPrevious} disabled={!hasPrevious}>
          Previous
        </button>
        <button type="button" className="button" onClick={onNext} disabled={!hasNext}>
          Next
        </button>
      </div>
    </nav>
  );
}
