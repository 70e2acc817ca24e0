import type { ApiError } from '../api/client';

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The text to show for an error on a form field. The API words field errors as a
 * predicate ("is required"), so they follow the field's label; full sentences stay as they are.
 */
export function fieldErrorText(label: string, message: string): string {
  return /^[a-z]/.test(message) ? `${label} ${message}` : message;
}

/** The text to show for an error that is not tied to a form field, as a sentence. */
export function errorText(error: ApiError): string {
  const text = capitalize(error.message);
  // Only internal errors ask the person to quote the request ID.
  return error.code === 'internal' && error.requestId ? `${text} (request ID: ${error.requestId})` : text;
}
