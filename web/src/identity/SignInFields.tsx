import type { ChangeEventHandler } from 'react';
import type { ApiError } from '../api/client';
import { fieldErrorText } from '../ui/errorText';
import { TextField } from '../ui/fields';

interface SignInFieldProps {
  value: string;
  onChange: ChangeEventHandler<HTMLInputElement>;
  /** The form's error: the field shows it when it names the field. */
  formError: ApiError | undefined;
  hint?: string;
}

function errorFor(formError: ApiError | undefined, field: string, label: string) {
  return formError?.field === field ? fieldErrorText(label, formError.message) : undefined;
}

/** Where the person signs in: the organization's slug (name "org"). */
export function OrganizationField({ formError, ...props }: SignInFieldProps) {
  return (
    <TextField
      label="Organization"
      name="org"
      autoComplete="organization"
      autoCapitalize="none"
      spellCheck={false}
      error={errorFor(formError, 'org', 'Organization')}
      required
      {...props}
    />
  );
}

/** Who signs in: their email or user ID (name "login"). */
export function LoginField({ formError, ...props }: SignInFieldProps) {
  return (
    <TextField
      label="Email or user ID"
      name="login"
      autoComplete="username"
      autoCapitalize="none"
      spellCheck={false}
      error={errorFor(formError, 'login', 'Email or user ID')}
      required
      {...props}
    />
  );
}
