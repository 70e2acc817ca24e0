import { useId, useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext';
import { asApiError, type ApiError } from '../api/client';
import type { NamedItem } from '../api/types';
import { errorText } from '../ui/errorText';
import type { NamedKind } from './kinds';

interface RenameFormProps {
  kind: NamedKind;
  item: NamedItem;
  onRenamed: (item: NamedItem) => void;
  onCancel: () => void;
  /** Someone else changed the item: the list needs reading again. */
  onReload: () => void;
}

/** Renames a group or location in its row: Enter saves, Escape cancels. */
export function RenameForm({ kind, item, onRenamed, onCancel, onReload }: RenameFormProps) {
  const api = useApi();
  const [name, setName] = useState(item.name);
  const [error, setError] = useState<ApiError>();
  const [saving, setSaving] = useState(false);
  const errorId = useId();
  const stale = error?.field === 'version' || error?.status === 404;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (name.trim() === item.name) {
      onCancel();
      return;
    }
    setSaving(true);
    setError(undefined);
    try {
      onRenamed(await kind.calls(api).rename(item.id, { version: item.version, name: name.trim() }));
    } catch (caught) {
      setError(asApiError(caught));
      setSaving(false);
    }
  }

  return (
    <form className="rename-form" onSubmit={submit} noValidate>
      <div className="rename-row">
        <input
          type="text"
          name="name"
          aria-label={`New name for ${item.name}`}
          value={name}
          maxLength={100}
          required
          autoFocus
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(event) => setName(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault();
              onCancel();
            }
          }}
        />
        <button type="submit" className="button button-primary button-small" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button button-small" onClick={onCancel} disabled={saving}>
          Cancel
        </button>
      </div>
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {stale ? `${item.name} was changed by someone else since this list was read. ` : errorText(error)}
          {stale && (
            <button type="button" className="button-link" onClick={onReload}>
              Reload the {kind.plural}
            </button>
          )}
        </p>
      )}
    </form>
  );
}
