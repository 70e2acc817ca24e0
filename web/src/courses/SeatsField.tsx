import { useId } from 'react';

interface SeatsFieldProps {
  /** Whether the pool is limited, and the number typed for its seats. */
  limited: boolean;
  seats: string;
  onChange: (limited: boolean, seats: string) => void;
  hint?: string;
  error?: string;
  disabled?: boolean;
}

/** The license pool's choice: unlimited, or a number of seats bought. */
export function SeatsField({ limited, seats, onChange, hint, error, disabled }: SeatsFieldProps) {
  const id = useId();
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset className={error ? 'field field-invalid plain-fieldset' : 'field plain-fieldset'} disabled={disabled}>
      <legend>License pool</legend>
      <div className="seats-choice">
        <label className="checkbox-label">
          <input
            type="radio"
            name={`${id}-pool`}
            checked={!limited}
            onChange={() => onChange(false, seats)}
          />
          Unlimited seats
        </label>
        <div className="seats-limited">
          <label className="checkbox-label">
            <input type="radio" name={`${id}-pool`} checked={limited} onChange={() => onChange(true, seats)} />
            Limited:
          </label>
          <input
            type="number"
            name="seats"
            min={0}
            step={1}
            inputMode="numeric"
            aria-label="Seats bought"
            value={seats}
            disabled={disabled || !limited}
            aria-invalid={error ? true : undefined}
            aria-describedby={described}
            onChange={(event) => onChange(true, event.target.value)}
          />
          <span aria-hidden="true">seats bought</span>
        </div>
      </div>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
