import { useEffect, useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext';
import { asApiError, type ApiError } from '../api/client';
import type { NewRegistration, OrganizationRef } from '../api/types';
import { Link } from '../router/router';
import { TextField } from '../ui/fields';
import { takeFragmentToken } from './fragmentToken';
import { CheckingLinkCard, UncheckedLinkCard } from './LinkCheckCards';
import { PublicCard } from './PublicCard';
import { FormError, useSubmission } from './submission';

type Person = Omit<NewRegistration, 'token'>;

const FIELD_LABELS: Record<keyof Person, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  email: 'Email',
};

type Phase =
  | { name: 'checking' }
  | { name: 'unchecked'; error: ApiError }
  /** No token in the address, or one the server does not know (renewed, or registration turned off). */
  | { name: 'invalid'; missing: boolean }
  | { name: 'ready'; organization: OrganizationRef }
  | { name: 'registered'; organization: OrganizationRef; person: Person };

/**
 * The organization's registration page (/register#<token>): a person gives
 * their name and email and waits, Pending, for an administrator's approval.
 */
export function RegisterPage() {
  const api = useApi();
  const [token] = useState(takeFragmentToken);
  const [phase, setPhase] = useState<Phase>(() => (token ? { name: 'checking' } : { name: 'invalid', missing: true }));
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!token) return;
    const controller = new AbortController();
    setPhase({ name: 'checking' });
    api.checkRegistration(token, { signal: controller.signal }).then(
      ({ organization }) => setPhase({ name: 'ready', organization }),
      (caught: unknown) => {
        if (controller.signal.aborted) return;
        const error = asApiError(caught);
        setPhase(error.status === 404 ? { name: 'invalid', missing: false } : { name: 'unchecked', error });
      },
    );
    return () => controller.abort();
  }, [api, token, attempt]);

  switch (phase.name) {
    case 'checking':
      return <CheckingLinkCard title="Register" />;
    case 'unchecked':
      return <UncheckedLinkCard title="Register" error={phase.error} onRetry={() => setAttempt((n) => n + 1)} />;
    case 'invalid':
      return (
        <PublicCard title={phase.missing ? 'This link is incomplete' : 'This registration link is not valid'}>
          <p>
            {phase.missing
              ? 'The address has lost the code at its end: copy the whole link into the address bar.'
              : 'It may have been renewed, or registration may have been turned off.'}{' '}
            Ask your organization for its current registration link.
          </p>
          <Link to="/login" className="button button-block">
            Go to sign in
          </Link>
        </PublicCard>
      );
    case 'registered':
      return (
        <PublicCard title={`Thank you, ${phase.person.firstName}`}>
          <p className="alert alert-info" role="status">
            Your registration is waiting for approval.
          </p>
          <p>
            An administrator of {phase.organization.name} will look at it. Once you are approved, an email to{' '}
            <strong>{phase.person.email}</strong> brings you a link to set your password.
          </p>
          <p className="muted">You can close this page.</p>
        </PublicCard>
      );
    case 'ready':
      return (
        <RegisterForm
          token={token!}
          organization={phase.organization}
          onRegistered={(person) => setPhase({ name: 'registered', organization: phase.organization, person })}
          onInvalid={() => setPhase({ name: 'invalid', missing: false })}
        />
      );
  }
}

interface RegisterFormProps {
  token: string;
  organization: OrganizationRef;
  onRegistered: (person: Person) => void;
  onInvalid: () => void;
}

function RegisterForm({ token, organization, onRegistered, onInvalid }: RegisterFormProps) {
  const api = useApi();
  const [person, setPerson] = useState<Person>({ firstName: '', lastName: '', email: '' });
  const { error, submitting, send, fieldError } = useSubmission();

  const update = (field: keyof Person) => (event: { target: { value: string } }) =>
    setPerson((p) => ({ ...p, [field]: event.target.value }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = { firstName: person.firstName.trim(), lastName: person.lastName.trim(), email: person.email.trim() };
    void send(
      event.currentTarget,
      async () => {
        await api.register({ token, ...trimmed });
        onRegistered(trimmed);
      },
      (failure) => {
        if (failure.status !== 404) return false;
        onInvalid();
        return true;
      },
    );
  }

  return (
    <PublicCard title={`Register with ${organization.name}`} onSubmit={submit}>
      <p className="muted">
        An administrator approves each registration. Then you get an email with a link to set your password.
      </p>
      <FormError error={error} fields={Object.keys(FIELD_LABELS)} />
      <TextField
        label={FIELD_LABELS.firstName}
        name="firstName"
        autoComplete="given-name"
        value={person.firstName}
        onChange={update('firstName')}
        error={fieldError('firstName', FIELD_LABELS.firstName)}
        required
      />
      <TextField
        label={FIELD_LABELS.lastName}
        name="lastName"
        autoComplete="family-name"
        value={person.lastName}
        onChange={update('lastName')}
        error={fieldError('lastName', FIELD_LABELS.lastName)}
        required
      />
      <TextField
        label={FIELD_LABELS.email}
        name="email"
        type="email"
        autoComplete="email"
        autoCapitalize="none"
        spellCheck={false}
        value={person.email}
        onChange={update('email')}
        error={fieldError('email', FIELD_LABELS.email)}
        required
      />
      <button type="submit" className="button button-primary button-block" disabled={submitting}>
        {submitting ? 'Registering…' : 'Register'}
      </button>
      <p className="card-footer">
        Already have an account? <Link to="/login">Sign in</Link>
      </p>
    </PublicCard>
  );
}
