import { useEffect, useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext';
import { asApiError, type ApiError } from '../api/client';
import type { LinkCheck, LinkPurpose } from '../api/types';
import { formatDateTime, fullName } from '../lib/format';
import { navigate } from '../router/router';
import { landingPath } from '../session/landing';
import { useSession } from '../session/SessionContext';
import { focusField } from '../ui/fields';
import { forgetFragmentToken, takeFragmentToken } from './fragmentToken';
import { CheckingLinkCard, UncheckedLinkCard } from './LinkCheckCards';
import { LinkFailurePage, linkFailure, type LinkFailure } from './LinkFailure';
import { NO_PASSWORD, PasswordFields, confirmationError } from './PasswordFields';
import { PublicCard } from './PublicCard';
import { FormError, useSubmission } from './submission';

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
      return <CheckingLinkCard title={WORDS[purpose].title} />;
    case 'unchecked':
      return (
        <UncheckedLinkCard title={WORDS[purpose].title} error={phase.error} onRetry={() => setAttempt((n) => n + 1)} />
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
  const { error, submitting, send, fieldError, clearError } = useSubmission();
  const words = WORDS[link.purpose];
  const invitation = link.purpose === 'invitation';

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const notSame = confirmationError(value);
    setMismatch(notSame);
    if (notSame) {
      clearError();
      focusField(form, 'confirmation');
      return;
    }
    void send(
      form,
      async () => {
        const signedIn = await api.redeemLink({ token, password: value.password });
        forgetFragmentToken();
        adopt(signedIn);
        navigate(landingPath(signedIn), { replace: true });
      },
      (failure) => {
        const linkFailed = linkFailure(failure);
        if (linkFailed) onFailed(linkFailed);
        return linkFailed !== undefined;
      },
    );
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
      <FormError error={error} fields={['password']} />
      <PasswordFields
        name="password"
        value={value}
        onChange={setValue}
        error={fieldError('password', 'New password')}
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
