import { useState, type FormEvent } from 'react';
import type { Credentials } from '../api/types';
import { PublicCard } from '../identity/PublicCard';
import { LoginField, OrganizationField } from '../identity/SignInFields';
import { FormError, useSubmission } from '../identity/submission';
import { Link } from '../router/router';
import { useSession } from '../session/SessionContext';
import { TextField } from '../ui/fields';

export function LoginPage() {
  const { signIn, endedBecause } = useSession();
  const [credentials, setCredentials] = useState<Credentials>({ org: '', login: '', password: '' });
  const { error, submitting, send, fieldError } = useSubmission();

  const update = (field: keyof Credentials) => (event: { target: { value: string } }) =>
    setCredentials((c) => ({ ...c, [field]: event.target.value }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void send(event.currentTarget, () =>
      signIn({ ...credentials, org: credentials.org.trim(), login: credentials.login.trim() }),
    );
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
      <FormError error={error} fields={['org', 'login', 'password']} />
      <OrganizationField value={credentials.org} onChange={update('org')} formError={error} />
      <LoginField value={credentials.login} onChange={update('login')} formError={error} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        value={credentials.password}
        onChange={update('password')}
        error={fieldError('password', 'Password')}
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
