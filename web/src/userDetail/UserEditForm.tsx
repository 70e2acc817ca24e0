import { useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext';
import { asApiError, type ApiError } from '../api/client';
import { ROLES, type NamedItem, type Role, type User } from '../api/types';
import { OWNER_WARNING, ROLE_LABELS, fullName } from '../lib/format';
import { errorText, fieldErrorText } from '../ui/errorText';
import { CheckboxListField } from '../ui/CheckboxListField';
import { SelectField, TextField, focusField } from '../ui/fields';
import { EDIT_LABELS, draftChanges, editFieldOf, hasChanges, toDraft, type EditDraft, type EditField } from './editDraft';

interface UserEditFormProps {
  user: User;
  groups: NamedItem[];
  locations: NamedItem[];
  /** Why the form cannot be used, or undefined when it can. */
  lockedBecause: string | undefined;
  /** Only owners give or take the admin and owner roles, and not their own. */
  canChangeRole: boolean;
  onSaved: (user: User) => void;
  /** Reads the user again, after someone else changed them. */
  onReload: () => void;
}

function isConflict(error: ApiError | undefined): boolean {
  return error?.status === 409 && error.field === 'version';
}

/**
 * Edits the user's names, sign-in, location, groups, expiration and (for owners)
 * role, sending only what changed with the version read. When someone else
 * changed the user meanwhile, it offers to read them again.
 */
export function UserEditForm({ user, groups, locations, lockedBecause, canChangeRole, onSaved, onReload }: UserEditFormProps) {
  const api = useApi();
  const [draft, setDraft] = useState<EditDraft>(() => toDraft(user));
  const [error, setError] = useState<ApiError>();
  const [saving, setSaving] = useState(false);

  // A new version (saved here, changed by an action, or read again) starts the form afresh.
  const [base, setBase] = useState(user);
  if (base.id !== user.id || base.version !== user.version) {
    setBase(user);
    setDraft(toDraft(user));
    setError(undefined);
  }

  const changes = draftChanges(user, draft);
  const dirty = hasChanges(changes);
  const set = <K extends EditField>(field: K, value: EditDraft[K]) => setDraft((d) => ({ ...d, [field]: value }));
  const errorField = editFieldOf(error?.field);
  const fieldError = (field: EditField) =>
    error && !isConflict(error) && errorField === field ? fieldErrorText(EDIT_LABELS[field], error.message) : undefined;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!dirty) return;
    const form = event.currentTarget;
    setSaving(true);
    setError(undefined);
    try {
      onSaved(await api.updateUser(user.id, { ...changes, version: user.version }));
    } catch (caught) {
      const apiError = asApiError(caught);
      setError(apiError);
      if (!isConflict(apiError)) focusField(form, editFieldOf(apiError.field));
    } finally {
      setSaving(false);
    }
  }

  const text = (field: 'firstName' | 'lastName' | 'email' | 'userId') => ({
    name: field,
    label: EDIT_LABELS[field],
    value: draft[field],
    error: fieldError(field),
    autoComplete: 'off',
    onChange: (event: { target: { value: string } }) => set(field, event.target.value),
  });

  return (
    <form onSubmit={submit} noValidate aria-label={`Edit ${fullName(user)}`}>
      {lockedBecause && <p className="alert alert-info form-note">{lockedBecause}</p>}
      {isConflict(error) && (
        <div className="alert alert-warning form-note" role="alert">
          <span>
            Someone else changed {fullName(user)} while you were editing, so your changes were not saved. Reload to see
            theirs, then make yours again.
          </span>
          <button type="button" className="button button-small" onClick={onReload}>
            Reload
          </button>
        </div>
      )}
      {error && !isConflict(error) && !errorField && (
        <p className="alert alert-error form-note" role="alert">
          {errorText(error)}
        </p>
      )}
      <fieldset className="form-grid plain-fieldset" disabled={lockedBecause !== undefined}>
        <legend className="visually-hidden">Details</legend>
        <TextField {...text('firstName')} />
        <TextField {...text('lastName')} />
        <TextField {...text('email')} type="email" hint="Or a user ID: a user needs one of the two." />
        <TextField {...text('userId')} hint="For people without email." />
        <SelectField
          name="locationId"
          label={EDIT_LABELS.locationId}
          options={[{ value: '', label: 'No location' }, ...locations.map((l) => ({ value: l.id, label: l.name }))]}
          value={draft.locationId}
          error={fieldError('locationId')}
          onChange={(event) => set('locationId', event.target.value)}
        />
        {canChangeRole ? (
          <SelectField
            name="role"
            label={EDIT_LABELS.role}
            options={ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }))}
            value={draft.role}
            hint={draft.role === 'owner' && user.role !== 'owner' ? OWNER_WARNING : undefined}
            error={fieldError('role')}
            onChange={(event) => set('role', event.target.value as Role)}
          />
        ) : (
          <div />
        )}
        <TextField
          name="expiresOn"
          label={EDIT_LABELS.expiresOn}
          type="date"
          value={draft.expiresOn}
          error={fieldError('expiresOn')}
          hint="Access ends as this day begins (UTC). Empty: no expiration."
          onChange={(event) => set('expiresOn', event.target.value)}
        />
        <div className="field-aside">
          {draft.expiresOn && (
            <button type="button" className="button button-small" onClick={() => set('expiresOn', '')}>
              No expiration
            </button>
          )}
        </div>
        <CheckboxListField
          className="span-2"
          name="groupIds"
          legend={EDIT_LABELS.groupIds}
          options={groups}
          chosen={draft.groupIds}
          emptyText="This organization has no groups yet."
          error={fieldError('groupIds')}
          onChange={(ids) => set('groupIds', ids)}
        />
        <div className="form-actions span-2">
          <span className="muted" aria-live="polite">
            {dirty ? 'Unsaved changes' : ''}
          </span>
          <button
            type="button"
            className="button"
            disabled={!dirty || saving}
            onClick={() => {
              setDraft(toDraft(user));
              setError(undefined);
            }}
          >
            Discard changes
          </button>
          <button type="submit" className="button button-primary" disabled={!dirty || saving}>
            {saving ? 'Saving…' : 'Save changes'}
          </button>
        </div>
      </fieldset>
    </form>
  );
}
