import { useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext';
import { asApiError, type ApiError } from '../api/client';
import type { NamedItem } from '../api/types';
import { errorText, fieldErrorText } from '../ui/errorText';
import { TextField } from '../ui/fields';
import type { NamedKind } from './kinds';

interface CreateItemFormProps {
  kind: NamedKind;
  onCreated: (item: NamedItem) => void;
}

const EXAMPLES: Record<NamedKind['singular'], string> = {
  group: 'e.g. Night shift',
  location: 'e.g. Leeds warehouse',
};

/** Adds a group or location by name. */
export function CreateItemForm({ kind, onCreated }: CreateItemFormProps) {
  const api = useApi();
  const [name, setName] = useState('');
  const [error, setError] = useState<ApiError>();
  const [saving, setSaving] = useState(false);
  const label = `New ${kind.singular}`;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem('name') as HTMLInputElement | null;
    setSaving(true);
    setError(undefined);
    try {
      const item = await kind.calls(api).create(name.trim());
      setName('');
      onCreated(item);
    } catch (caught) {
      setError(asApiError(caught));
      input?.focus();
    } finally {
      setSaving(false);
    }
  }

  const fieldError = error && error.field === 'name' ? fieldErrorText('Name', error.message) : undefined;
  return (
    <form className="create-form" onSubmit={submit} noValidate aria-label={`Add a ${kind.singular}`}>
      <TextField
        name="name"
        label={label}
        placeholder={EXAMPLES[kind.singular]}
        value={name}
        maxLength={100}
        autoComplete="off"
        error={fieldError ?? (error ? errorText(error) : undefined)}
        onChange={(event) => {
          setName(event.target.value);
          setError(undefined);
        }}
      />
      <button type="submit" className="button button-primary" disabled={saving || name.trim() === ''}>
        {saving ? 'Adding…' : `Add ${kind.singular}`}
      </button>
    </form>
  );
}
