import { useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext';
import { asApiError, type ApiError } from '../api/client';
import type { ForgottenPassword } from '../api/types';
import { Link } from '../router/router';
import { errorText, fieldErrorText } from '../ui/errorText';
import { TextField, focusField } from '../ui/fields';
import { PublicCard } from './PublicCard';

const FIELD_LABELS: Record<keyof ForgottenPassword, string> = {
  org: 'Organization',
  login: 'Email or user ID',
};

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
  const [error, setError] = useState<ApiError>();
  const [submitting, setSubmitting] = useState(false);

  const fieldError = (field: keyof ForgottenPassword) =>
    error?.field === field ? fieldErrorText(FIELD_LABELS[field], error.message) : undefined;
  const update = (field: keyof ForgottenPassword) => (event: { target: { value: string } }) =>
    setRequest((r) => ({ ...r, [field]: event.target.value }));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const asked = { org: request.org.trim(), login: request.login.trim() };
    setSubmitting(true);
    setError(undefined);
    try {
      await api.forgotPassword(asked);
      setSent(asked);
    } catch (caught) {
      const apiError = asApiError(caught);
      setError(apiError);
      focusField(form, apiError.field);
    } finally {
      setSubmitting(false);
    }
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
      {error && !(error.field && error.field in FIELD_LABELS) && (
        <p className="alert alert-error" role="alert">
          {errorText(error)}
        </p>
      )}
      <TextField
        label={FIELD_LABELS.org}
        name="org"
        autoComplete="organization"
        autoCapitalize="none"
        spellCheck={false}
        value={request.org}
        onChange={update('org')}
        error={fieldError('org')}
        required
      />
      <TextField
        label={FIELD_LABELS.login}
        name="login"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        hint="No email address? Ask an administrator for a one-time password instead."
        value={request.login}
        onChange={update('login')}
        error={fieldError('login')}
        required
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
