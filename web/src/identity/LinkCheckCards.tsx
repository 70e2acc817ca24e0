import type { ApiError } from '../api/client';
import { errorText } from '../ui/errorText';
import { PublicCard } from './PublicCard';

/** What a page opened from an email link shows while it checks the link. */
export function CheckingLinkCard({ title }: { title: string }) {
  return (
    <PublicCard title={title}>
      <p className="muted" role="status">
        Checking your link…
      </p>
    </PublicCard>
  );
}

/** What it shows when the check itself failed (the server or the network), with a way to try again. */
export function UncheckedLinkCard({ title, error, onRetry }: { title: string; error: ApiError; onRetry: () => void }) {
  return (
    <PublicCard title={title}>
      <p className="alert alert-error" role="alert">
        Your link could not be checked. {errorText(error)}
      </p>
      <button type="button" className="button button-block" onClick={onRetry}>
        Try again
      </button>
    </PublicCard>
  );
}
