import { useState, type FormEvent } from 'react';
import { asApiError, type ApiError } from '../api/client';
import type { Credentials } from '../api/types';
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

  return (
    <main className="login-page">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title" noValidate>
        <p className="brand brand-large" aria-hidden="true">
          Roster
        </p>
        <h1 id="login-title">Sign in</h1>
        <p className="muted">Manage your organization’s training roster.</p>
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
      </form>
    </main>
  );
}
