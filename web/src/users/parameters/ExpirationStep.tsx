import { useId, useRef, useState, type FormEvent } from 'react';
import type { ActionRequest } from '../../api/types';
import { StepActions } from './StepActions';

interface ExpirationStepProps {
  /** The day to start from (2026-12-31), '' for none; `clear` starts on "No expiration". */
  initialDay: string;
  clear?: boolean;
  onContinue: (request: ActionRequest) => void;
  onCancel: () => void;
}

/** Asks for an expiration date, or none. */
export function ExpirationStep({ initialDay, clear = false, onContinue, onCancel }: ExpirationStepProps) {
  const [mode, setMode] = useState<'date' | 'none'>(clear ? 'none' : 'date');
  const [day, setDay] = useState(initialDay);
  const [error, setError] = useState('');
  const id = useId();
  const dateRef = useRef<HTMLInputElement>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (mode === 'none') {
      onContinue({ action: 'set-expiration', expiresAt: null });
    } else if (/^\d{4}-\d{2}-\d{2}$/.test(day)) {
      onContinue({ action: 'set-expiration', expiresAt: day });
    } else {
      setError('Choose a date, or No expiration.');
      dateRef.current?.focus();
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <fieldset className={error ? 'field field-invalid' : 'field'}>
        <legend>Expiration</legend>
        <div className="choice-list">
          <label className="checkbox-label">
            <input type="radio" name="mode" checked={mode === 'date'} onChange={() => setMode('date')} />
            On a date
          </label>
          <div className="choice-detail">
            <label htmlFor={`${id}-date`} className="visually-hidden">
              Expiration date
            </label>
            <input
              ref={dateRef}
              id={`${id}-date`}
              type="date"
              name="expiresAt"
              value={day}
              disabled={mode !== 'date'}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
              onChange={(event) => {
                setDay(event.target.value);
                setError('');
              }}
            />
            <p id={`${id}-hint`} className="field-hint">
              Access ends as this day begins (UTC). A date that has passed takes access away at once.
            </p>
          </div>
          <label className="checkbox-label">
            <input
              type="radio"
              name="mode"
              checked={mode === 'none'}
              onChange={() => {
                setMode('none');
                setError('');
              }}
            />
            No expiration
          </label>
        </div>
        {error && (
          <p id={`${id}-error`} className="field-error">
            {error}
          </p>
        )}
      </fieldset>
      <StepActions onCancel={onCancel} />
    </form>
  );
}
