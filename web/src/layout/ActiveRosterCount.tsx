import { useRosterCount } from './RosterCountContext';

const numberFormat = new Intl.NumberFormat('en-US');

export function ActiveRosterCount() {
  const { organization } = useRosterCount();
  const count = organization.data?.activeCount;
  const shown = count !== undefined ? numberFormat.format(count) : organization.error ? '—' : '…';
  return (
    <p className="roster-count" aria-live="polite" title="Users on the active roster (not archived)">
      Active roster: <strong>{shown}</strong>
    </p>
  );
}
