import { TextField } from '../ui/fields';

/** The rules the server checks, said before anyone trips on them. */
export const PASSWORD_HINT = 'From 8 to 128 characters, and not your email or user ID.';

export interface NewPassword {
  password: string;
  confirmation: string;
}

export const NO_PASSWORD: NewPassword = { password: '', confirmation: '' };

/** Why the two entries cannot be sent, or undefined when they can. */
export function confirmationError(value: NewPassword): string | undefined {
  return value.password === value.confirmation ? undefined : 'The two passwords are not the same: type them again.';
}

interface PasswordFieldsProps {
  value: NewPassword;
  onChange: (value: NewPassword) => void;
  /** The form control name of the new password, as the API names its field (password, newPassword). */
  name: string;
  label?: string;
  error?: string;
  confirmationError?: string;
}

/** A new password typed twice, with the rules as a hint. */
export function PasswordFields({
  value,
  onChange,
  name,
  label = 'New password',
  error,
  confirmationError: mismatch,
}: PasswordFieldsProps) {
  return (
    <>
      <TextField
        label={label}
        name={name}
        type="password"
        autoComplete="new-password"
        hint={PASSWORD_HINT}
        value={value.password}
        onChange={(event) => onChange({ ...value, password: event.target.value })}
        error={error}
        required
      />
      <TextField
        label={`Type the ${label.toLowerCase()} again`}
        name="confirmation"
        type="password"
        autoComplete="new-password"
        value={value.confirmation}
        onChange={(event) => onChange({ ...value, confirmation: event.target.value })}
        error={mismatch}
        required
      />
    </>
  );
}
