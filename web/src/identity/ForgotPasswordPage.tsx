import { useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext';
import type { ForgottenPassword } from '../api/types';
import { Link } from '../router/router';
import { PublicCard } from './PublicCard';
import { LoginField, OrganizationField } from './SignInFields';
import { FormError, useSubmission } from './submission';

/** The organization the sign-in page passed along (/forgot-password?org=demo). */
function organizationInAddress(): string {
  return new URLSearchParams(window.location.search).get('org') ?? '';
}

/**
 * Asks for a password reset link by email. The answer is the same whether or
 * not the account exists, and so is what the page says.
 */
export function ForgotPasswordPage() {
  const api = useApi();
  const [request, setRequest] = useState<ForgottenPassword>(() => ({ org: organizationInAddress(), login: '' }));
  const [sent, setSent] = useState<ForgottenPassword>();
  const { error, submitting, send } = useSubmission();

  const update = (field: keyof ForgottenPassword) => (event: { target: { value: string } }) =>
    setRequest((r) => ({ ...r, [field]: event.target.value }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const asked = { org: request.org.trim(), login: request.login.trim() };
    void send(event.currentTarget, async () => {
      await api.forgotPassword(asked);
      setSent(asked);
    });
  }

  if (sent) {
    return (
      <PublicCard title="Check your email">
        <p>
          If <strong>{sent.login}</strong> has an account at <strong>{sent.org}</strong> that can receive email, a link
          to choose a new password is on its way. It works once, within an hour.
        </p>
        <p className="muted">
          Nothing after a few minutes? Look in your spam folder, or ask an administrator of your organization: they can
          send a reset link or give you a one-time password.
        </p>
        <Link to="/login" className="button button-block">
          Back to sign in
        </Link>
      </PublicCard>
    );
  }

  return (
    <PublicCard title="Forgot your password?" onSubmit={submit}>
      <p className="muted">
        Say where you sign in, and we will email you a link to choose a new password.
      </p>
      <FormError error={error} fields={['org', 'login']} />
      <OrganizationField value={request.org} onChange={update('org')} formError={error} />
      <LoginField
        hint="No email address? Ask an administrator for a one-time password instead."
        value={request.login}
        onChange={update('login')}
        formError={error}
      />
      <button type="submit" className="button button-primary button-block" disabled={submitting}>
        {submitting ? 'Sending…' : 'Email me a link'}
      </button>
      <p className="card-footer">
        <Link to="/login">Back to sign in</Link>
      </p>
    </PublicCard>
  );
}
