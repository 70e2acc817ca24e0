import { useEffect, useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext';
import { asApiError, type ApiError } from '../api/client';
import type { LinkCheck, LinkPurpose } from '../api/types';
import { formatDateTime, fullName } from '../lib/format';
import { navigate } from '../router/router';
import { landingPath } from '../session/landing';
import { useSession } from '../session/SessionContext';
import { errorText, fieldErrorText } from '../ui/errorText';
import { focusField } from '../ui/fields';
import { forgetFragmentToken, takeFragmentToken } from './fragmentToken';
import { LinkFailurePage, linkFailure, type LinkFailure } from './LinkFailure';
import { NO_PASSWORD, PasswordFields, confirmationError } from './PasswordFields';
import { PublicCard } from './PublicCard';

type Phase =
  | { name: 'checking' }
  | { name: 'unchecked'; error: ApiError }
  | { name: 'failed'; failure: LinkFailure }
  | { name: 'ready'; link: LinkCheck };

const WORDS: Record<LinkPurpose, { title: string; button: string; busy: string }> = {
  invitation: { title: 'Set your password', button: 'Set password and sign in', busy: 'Setting your password…' },
  'password-reset': { title: 'Choose a new password', button: 'Save password and sign in', busy: 'Saving your password…' },
};

/**
 * The page an invitation or password reset email links to (/invitation#<token>,
 * /reset-password#<token>). Opening it only checks the link, which email
 * scanners do too; the form spends it, sets the password and signs in.
 */
export function LinkPasswordPage({ purpose }: { purpose: LinkPurpose }) {
  const api = useApi();
  const [token] = useState(takeFragmentToken);
  const [phase, setPhase] = useState<Phase>(() =>
    token ? { name: 'checking' } : { name: 'failed', failure: { kind: 'missing' } },
  );
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!token) return;
    const controller = new AbortController();
    setPhase({ name: 'checking' });
    api.checkLink(token, { signal: controller.signal }).then(
      (link) => setPhase({ name: 'ready', link }),
      (caught: unknown) => {
        if (controller.signal.aborted) return;
        const error = asApiError(caught);
        const failure = linkFailure(error);
        setPhase(failure ? { name: 'failed', failure } : { name: 'unchecked', error });
      },
    );
    return () => controller.abort();
  }, [api, token, attempt]);

  switch (phase.name) {
    case 'checking':
      return (
        <PublicCard title={WORDS[purpose].title}>
          <p className="muted" role="status">
            Checking your link…
          </p>
        </PublicCard>
      );
    case 'unchecked':
      return (
        <PublicCard title={WORDS[purpose].title}>
          <p className="alert alert-error" role="alert">
            Your link could not be checked. {errorText(phase.error)}
          </p>
          <button type="button" className="button button-block" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </PublicCard>
      );
    case 'failed':
      return <LinkFailurePage failure={phase.failure} purpose={purpose} />;
    case 'ready':
      return (
        <SetPasswordForm
          token={token!}
          link={phase.link}
          onFailed={(failure) => {
            forgetFragmentToken();
            setPhase({ name: 'failed', failure });
          }}
        />
      );
  }
}

interface SetPasswordFormProps {
  token: string;
  link: LinkCheck;
  onFailed: (failure: LinkFailure) => void;
}

function SetPasswordForm({ token, link, onFailed }: SetPasswordFormProps) {
  const api = useApi();
  const { session, adopt } = useSession();
  const [value, setValue] = useState(NO_PASSWORD);
  const [mismatch, setMismatch] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const [submitting, setSubmitting] = useState(false);
  const words = WORDS[link.purpose];
  const invitation = link.purpose === 'invitation';

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const notSame = confirmationError(value);
    setMismatch(notSame);
    setError(undefined);
    if (notSame) {
      focusField(form, 'confirmation');
      return;
    }
    setSubmitting(true);
    try {
      const signedIn = await api.redeemLink({ token, password: value.password });
      forgetFragmentToken();
      adopt(signedIn);
      navigate(landingPath(signedIn), { replace: true });
    } catch (caught) {
      const apiError = asApiError(caught);
      const failure = linkFailure(apiError);
      if (failure) {
        onFailed(failure);
        return;
      }
      setError(apiError);
      setSubmitting(false);
      focusField(form, apiError.field);
    }
  }

  const otherAccount = session && session.user.email !== link.login && session.user.userId !== link.login;
  return (
    <PublicCard title={words.title} onSubmit={submit}>
      <p>
        {invitation
          ? `Welcome to ${link.organization.name}, ${link.firstName}. Choose a password to finish setting up your account.`
          : `Hello ${link.firstName}. Choose a new password for your ${link.organization.name} account.`}
      </p>
      <dl className="sign-in-facts">
        <div>
          <dt>Organization</dt>
          <dd>{link.organization.slug}</dd>
        </div>
        <div>
          <dt>Email or user ID</dt>
          <dd>{link.login}</dd>
        </div>
      </dl>
      {otherAccount && (
        <p className="alert alert-warning" role="status">
          You are signed in as {fullName(session.user)}. Saving this password signs you in as {link.firstName} instead.
        </p>
      )}
      {error && error.field !== 'password' && (
        <p className="alert alert-error" role="alert">
          {errorText(error)}
        </p>
      )}
      <PasswordFields
        name="password"
        value={value}
        onChange={setValue}
        error={error?.field === 'password' ? fieldErrorText('New password', error.message) : undefined}
        confirmationError={mismatch}
      />
      <p className="field-hint">
        This link works once, until {formatDateTime(link.expiresAt)}.
        {!invitation && ' Saving signs you out everywhere else.'}
      </p>
      <button type="submit" className="button button-primary button-block" disabled={submitting}>
        {submitting ? words.busy : words.button}
      </button>
    </PublicCard>
  );
}
