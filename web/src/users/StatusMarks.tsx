import type { User } from '../api/types';
import { STATUS_LABELS, formatDate, formatDay } from '../lib/format';

export function PersonIcon() {
  return (
    <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false">
      <circle cx="10" cy="6.5" r="3.5" fill="currentColor" />
      <path d="M3 17.5c0-3.6 3.1-6 7-6s7 2.4 7 6z" fill="currentColor" />
    </svg>
  );
}

export function EnvelopeIcon() {
  return (
    <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false">
      <rect x="2" y="4.5" width="16" height="11" rx="1.8" fill="currentColor" />
      <path d="M3 6l7 5 7-5" fill="none" stroke="#fff" strokeWidth="1.5" strokeLinejoin="round" />
    </svg>
  );
}

export function CheckBadge() {
  return (
    <svg className="mark-check" viewBox="0 0 12 12" width="11" height="11" aria-hidden="true" focusable="false">
      <circle cx="6" cy="6" r="6" />
      <path d="M3.2 6.2l1.9 1.9 3.7-3.9" fill="none" stroke="#fff" strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  );
}

interface MarkProps {
  /** When it happened, or null when it has not. */
  at: string | null;
  /** "Approved", "Notified". */
  what: string;
  icon: 'person' | 'envelope';
}

/** One mark: an icon, with a green check once it happened, named for screen readers and on hover. */
function Mark({ at, what, icon }: MarkProps) {
  const text = at ? `${what} on ${formatDate(at)}` : `Not ${what.toLowerCase()}`;
  return (
    <span className={at ? 'mark mark-on' : 'mark'} role="img" aria-label={text} title={text}>
      {icon === 'person' ? <PersonIcon /> : <EnvelopeIcon />}
      {at && <CheckBadge />}
    </span>
  );
}

/** When the user's access ends or ended, for the status cell. */
function expiryText(expiresAt: string | null, now: Date): string {
  if (!expiresAt) return '';
  const past = new Date(expiresAt).getTime() <= now.getTime();
  return `${past ? 'Expired' : 'Expires'} ${formatDay(expiresAt)}`;
}

export function StatusBadge({ status }: { status: User['status'] }) {
  return <span className={`badge badge-${status}`}>{STATUS_LABELS[status]}</span>;
}

/** The status of a user: the state's badge, the Approved and Notified marks, and the expiration date. */
export function StatusMarks({ user, now = new Date() }: { user: User; now?: Date }) {
  const expiry = expiryText(user.expiresAt, now);
  return (
    <div className="status-cell">
      <div className="status-line">
        <StatusBadge status={user.status} />
        <span className="marks">
          <Mark at={user.approvedAt} what="Approved" icon="person" />
          <Mark at={user.notifiedAt} what="Notified" icon="envelope" />
        </span>
      </div>
      {expiry && <span className="status-expiry">{expiry}</span>}
    </div>
  );
}

/** What the icons of the Users page mean: the status icon, and the Approved and Notified marks. */
export function MarksLegend() {
  return (
    <p className="marks-legend">
      <span className="legend-item">
        <span className="status-toggle status-toggle-on legend-dot" aria-hidden="true" /> Has access
      </span>
      <span className="legend-item">
        <span className="status-toggle status-toggle-off legend-dot" aria-hidden="true" /> Deactivated (click the icon to change)
      </span>
      <span className="legend-item">
        <span className="mark mark-on" aria-hidden="true">
          <PersonIcon />
          <CheckBadge />
        </span>{' '}
        Approved
      </span>
      <span className="legend-item">
        <span className="mark mark-on" aria-hidden="true">
          <EnvelopeIcon />
          <CheckBadge />
        </span>{' '}
        Notified (invitation sent)
      </span>
      <span className="legend-item muted">A gray mark: not yet.</span>
    </p>
  );
}
