import { useState, type FormEvent } from 'react';
import { asApiError, type ApiError } from '../api/client';
import type { Credentials } from '../api/types';
import { PublicCard } from '../identity/PublicCard';
import { Link } from '../router/router';
import { useSession } from '../session/SessionContext';
import { errorText, fieldErrorText } from '../ui/errorText';
import { TextField, focusField } from '../ui/fields';

const FIELD_LABELS: Record<keyof Credentials, string> = {
  org: 'Organization',
  login: 'Email or user ID',
  password: 'Password',
};

function isCredentialField(field: string | undefined): field is keyof Credentials {
  return field !== undefined && field in FIELD_LABELS;
}

export function LoginPage() {
  const { signIn, endedBecause } = useSession();
  const [credentials, setCredentials] = useState<Credentials>({ org: '', login: '', password: '' });
  const [error, setError] = useState<ApiError>();
  const [submitting, setSubmitting] = useState(false);

  const fieldError = (field: keyof Credentials) =>
    error?.field === field ? fieldErrorText(FIELD_LABELS[field], error.message) : undefined;

  const update = (field: keyof Credentials) => (event: { target: { value: string } }) =>
    setCredentials((c) => ({ ...c, [field]: event.target.value }));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setSubmitting(true);
    setError(undefined);
    try {
      await signIn({ ...credentials, org: credentials.org.trim(), login: credentials.login.trim() });
    } catch (caught) {
      const apiError = asApiError(caught);
      setError(apiError);
      setSubmitting(false);
      focusField(form, apiError.field);
    }
  }

  const org = credentials.org.trim();
  return (
    <PublicCard title="Sign in" onSubmit={submit}>
      <p className="muted">Sign in to your organization’s training.</p>
      {endedBecause && !error && (
        <p className="alert alert-info" role="status">
          {endedBecause}
        </p>
      )}
      {error && !isCredentialField(error.field) && (
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
        value={credentials.org}
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
        value={credentials.login}
        onChange={update('login')}
        error={fieldError('login')}
        required
      />
      <TextField
        label={FIELD_LABELS.password}
        name="password"
        type="password"
        autoComplete="current-password"
        value={credentials.password}
        onChange={update('password')}
        error={fieldError('password')}
        required
      />
      <button type="submit" className="button button-primary button-block" disabled={submitting}>
        {submitting ? 'Signing in…' : 'Sign in'}
      </button>
      <p className="card-footer">
        <Link to={org ? `/forgot-password?org=${encodeURIComponent(org)}` : '/forgot-password'}>Forgot password?</Link>
      </p>
    </PublicCard>
  );
}
