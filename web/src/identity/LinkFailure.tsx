import type { ApiError } from '../api/client';
import type { LinkPurpose } from '../api/types';
import { Link } from '../router/router';
import { errorText } from '../ui/errorText';
import { PublicCard } from './PublicCard';

/**
 * Why an emailed link cannot be used: no token in the address, unknown, expired,
 * spent, gone for another reason (a newer link was sent), or its user may not sign in.
 */
export type LinkFailure =
  | { kind: 'missing' }
  | { kind: 'invalid' }
  | { kind: 'expired' }
  | { kind: 'used' }
  | { kind: 'gone'; message: string }
  | { kind: 'refused'; message: string };

/** The failure an API error means for a link, or undefined when it is not about the link. */
export function linkFailure(error: ApiError): LinkFailure | undefined {
  if (error.status === 404) return { kind: 'invalid' };
  if (error.status === 401) return { kind: 'refused', message: errorText(error) };
  if (error.status !== 410) return undefined;
  // The server words the two ways a link goes: "was already used", "has expired".
  if (/already used/i.test(error.message)) return { kind: 'used' };
  if (/expired/i.test(error.message)) return { kind: 'expired' };
  return { kind: 'gone', message: errorText(error) };
}

const TITLES: Record<LinkFailure['kind'], string> = {
  missing: 'This link is incomplete',
  invalid: 'This link is not valid',
  expired: 'This link has expired',
  used: 'This link was already used',
  gone: 'This link no longer works',
  refused: 'You cannot sign in with this link',
};

function SignInLink() {
  return (
    <Link to="/login" className="button button-block">
      Go to sign in
    </Link>
  );
}

function NewResetLink() {
  return (
    <Link to="/forgot-password" className="button button-primary button-block">
      Ask for a new link
    </Link>
  );
}

/** What happened to the link and what to do next: whom to ask, or where to go. */
export function LinkFailurePage({ failure, purpose }: { failure: LinkFailure; purpose: LinkPurpose }) {
  const invitation = purpose === 'invitation';
  const askAgain = invitation
    ? 'Ask an administrator of your organization to send you a new invitation.'
    : 'Ask for a new link: it comes by email and works for an hour.';
  return (
    <PublicCard title={TITLES[failure.kind]}>
      {failure.kind === 'missing' && (
        <p>
          The address has lost the code at its end. Open the link from your email again; if your email program breaks
          long links in two, copy the whole link into the address bar.
        </p>
      )}
      {failure.kind === 'invalid' && (
        <p>
          It may have been copied only in part, or replaced by a newer one. Open the link from your most recent email
          again. If it still does not work: {askAgain}
        </p>
      )}
      {failure.kind === 'expired' && (
        <p>
          {invitation ? 'Invitation links work for a limited time.' : 'Password reset links work for an hour.'}{' '}
          {askAgain}
        </p>
      )}
      {failure.kind === 'used' && (
        <p>
          Each link works only once. If you chose your password with it, sign in with that password. If you no longer
          know it, ask for a password reset from the sign-in page.
        </p>
      )}
      {(failure.kind === 'gone' || failure.kind === 'refused') && <p>{failure.message}</p>}
      {failure.kind === 'used' ? (
        <div className="card-actions">
          <Link to="/login" className="button button-primary button-block">
            Sign in
          </Link>
          <Link to="/forgot-password" className="button button-block">
            Forgot password?
          </Link>
        </div>
      ) : (
        <div className="card-actions">
          {!invitation && failure.kind !== 'missing' && failure.kind !== 'refused' && <NewResetLink />}
          <SignInLink />
        </div>
      )}
    </PublicCard>
  );
}
