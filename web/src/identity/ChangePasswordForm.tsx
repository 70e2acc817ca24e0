import { useState, type FormEvent, type ReactNode } from 'react';
import { useApi } from '../api/ApiContext';
import type { Session } from '../api/types';
import { TextField, focusField } from '../ui/fields';
import { NO_PASSWORD, PasswordFields, confirmationError } from './PasswordFields';
import { FormError, useSubmission } from './submission';

interface ChangePasswordFormProps {
  /** What the current password is called: "One-time password" when that is what the person has. */
  currentLabel: string;
  submitLabel: string;
  /** Called with the session the server answered (its passwordChangeRequired now false). */
  onChanged: (session: Session) => void;
  /** Wraps the form's fields: a page's card, or the card of a page without a session. */
  frame: (fields: ReactNode, onSubmit: (event: FormEvent<HTMLFormElement>) => void) => ReactNode;
}

/** The current password and a new one typed twice; the server ends the person's other sessions. */
export function ChangePasswordForm({ currentLabel, submitLabel, onChanged, frame }: ChangePasswordFormProps) {
  const api = useApi();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState(NO_PASSWORD);
  const [mismatch, setMismatch] = useState<string>();
  const { error, submitting, send, fieldError, clearError } = useSubmission();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const notSame = confirmationError(next);
    setMismatch(notSame);
    if (notSame) {
      clearError();
      focusField(form, 'confirmation');
      return;
    }
    void send(form, async () => {
      const session = await api.changePassword({ currentPassword: current, newPassword: next.password });
      setCurrent('');
      setNext(NO_PASSWORD);
      onChanged(session);
    });
  }

  const fields = (
    <>
      <FormError error={error} fields={['currentPassword', 'newPassword']} />
      <TextField
        label={currentLabel}
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        value={current}
        onChange={(event) => setCurrent(event.target.value)}
        error={fieldError('currentPassword', currentLabel)}
        required
      />
      <PasswordFields
        name="newPassword"
        value={next}
        onChange={setNext}
        error={fieldError('newPassword', 'New password')}
        confirmationError={mismatch}
      />
      <button type="submit" className="button button-primary" disabled={submitting}>
        {submitting ? 'Saving…' : submitLabel}
      </button>
    </>
  );
  return frame(fields, submit);
}
