import { useId } from 'react';

interface CheckboxListFieldProps {
  legend: string;
  /** The form control name of every box. */
  name: string;
  options: readonly { id: string; name: string }[];
  chosen: readonly string[];
  onChange: (ids: string[]) => void;
  /** Said when there is nothing to choose. */
  emptyText: string;
  error?: string;
  className?: string;
}

/** A list of checkboxes with a legend, such as the groups a user is in; chosen ids keep the list's order. */
export function CheckboxListField({ legend, name, options, chosen, onChange, emptyText, error, className }: CheckboxListFieldProps) {
  const errorId = useId();
  const classes = ['field', className, error && 'field-invalid'].filter(Boolean).join(' ');

  function toggle(id: string, checked: boolean) {
    const next = new Set(chosen);
    if (checked) next.add(id);
    else next.delete(id);
    // Ids no longer listed (deleted meanwhile) stay chosen until the server says otherwise.
    const listed = options.map((o) => o.id);
    onChange([...listed.filter((o) => next.has(o)), ...[...next].filter((o) => !listed.includes(o))]);
  }

  return (
    <fieldset className={classes} aria-describedby={error ? errorId : undefined}>
      <legend>{legend}</legend>
      {options.length === 0 ? (
        <p className="muted">{emptyText}</p>
      ) : (
        <div className="checkbox-grid">
          {options.map((option) => (
            <label key={option.id} className="checkbox-label">
              <input
                type="checkbox"
                name={name}
                value={option.id}
                checked={chosen.includes(option.id)}
                onChange={(event) => toggle(option.id, event.target.checked)}
              />
              {option.name}
            </label>
          ))}
        </div>
      )}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
