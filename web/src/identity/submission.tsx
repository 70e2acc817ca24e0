import { useState } from 'react';
import { asApiError, type ApiError } from '../api/client';
import { errorText, fieldErrorText } from '../ui/errorText';
import { focusField } from '../ui/fields';

/**
 * The state of a form that sends one request: the error the server answered
 * and whether the request is on its way.
 */
export function useSubmission() {
  const [error, setError] = useState<ApiError>();
  const [submitting, setSubmitting] = useState(false);

  /**
   * Sends the form with `send`. On failure `takeOver` may handle the error
   * (returning true when the page moves on, e.g. to "link not valid");
   * otherwise the error is shown and the field it names focused.
   */
  async function send(form: HTMLFormElement, request: () => Promise<void>, takeOver?: (error: ApiError) => boolean) {
    setSubmitting(true);
    setError(undefined);
    try {
      await request();
      setSubmitting(false);
    } catch (caught) {
      const apiError = asApiError(caught);
      if (takeOver?.(apiError)) return;
      setError(apiError);
      setSubmitting(false);
      focusField(form, apiError.field);
    }
  }

  /** The text for the field `field`, labelled `label`, when the error is about it. */
  const fieldError = (field: string, label: string) =>
    error?.field === field ? fieldErrorText(label, error.message) : undefined;

  return { error, submitting, send, fieldError, clearError: () => setError(undefined) };
}

/** The alert for an error that no field of the form (named in `fields`) shows. */
export function FormError({ error, fields }: { error: ApiError | undefined; fields: readonly string[] }) {
  if (!error || (error.field && fields.includes(error.field))) return null;
  return (
    <p className="alert alert-error" role="alert">
      {errorText(error)}
    </p>
  );
}
