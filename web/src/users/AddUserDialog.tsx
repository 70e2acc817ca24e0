import { useId, useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext';
import { asApiError, type ApiError } from '../api/client';
import { ROLES, type NamedItem, type NewUser, type Role, type User } from '../api/types';
import { OWNER_WARNING, ROLE_LABELS } from '../lib/format';
import { Dialog } from '../ui/Dialog';
import { errorText, fieldErrorText } from '../ui/errorText';
import { SelectField, TextField, focusField } from '../ui/fields';

interface Draft {
  firstName: string;
  lastName: string;
  email: string;
  userId: string;
  role: Role;
  locationId: string;
  groupIds: string[];
  /** Approve at once, giving access. */
  approve: boolean;
  /** And send the invitation email: only when approving, to an email address. */
  notify: boolean;
}

type DraftField = keyof Draft;

const EMPTY_DRAFT: Draft = {
  firstName: '',
  lastName: '',
  email: '',
  userId: '',
  role: 'learner',
  locationId: '',
  groupIds: [],
  approve: false,
  notify: false,
};

/** Labels by the API's field names, which are also the form controls' names. */
const FIELD_LABELS: Record<DraftField, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  email: 'Email',
  userId: 'User ID',
  role: 'Role',
  locationId: 'Location',
  groupIds: 'Groups',
  approve: 'Approve now',
  notify: 'Send invitation email',
};

function isDraftField(field: string | undefined): field is DraftField {
  return field !== undefined && field in FIELD_LABELS;
}

/** Whether the invitation can be sent: only to an approved user with an email address. */
export function canNotify(draft: Pick<Draft, 'approve' | 'email'>): boolean {
  return draft.approve && draft.email.trim() !== '';
}

/** The request body: trimmed, with empty optional fields left out. */
export function toNewUser(draft: Draft): NewUser {
  const user: NewUser = { firstName: draft.firstName.trim(), lastName: draft.lastName.trim(), role: draft.role };
  const email = draft.email.trim();
  const userId = draft.userId.trim();
  if (email) user.email = email;
  if (userId) user.userId = userId;
  if (draft.locationId) user.locationId = draft.locationId;
  if (draft.groupIds.length > 0) user.groupIds = draft.groupIds;
  if (draft.approve) user.approve = true;
  if (draft.notify && canNotify(draft)) user.notify = true;
  return user;
}

/** A user just added, and what became of the invitation asked for with them. */
export interface AddedUser {
  user: User;
  /** 'none' when no invitation was asked for; 'failed' when the email could not be sent. */
  invitation: 'none' | 'sent' | 'failed';
}

interface AddUserDialogProps {
  groups: NamedItem[];
  locations: NamedItem[];
  /** Only owners give the admin and owner roles; an admin adds learners. */
  canChooseRole: boolean;
  onAdded: (added: AddedUser) => void;
  onCancel: () => void;
}

export function AddUserDialog({ groups, locations, canChooseRole, onAdded, onCancel }: AddUserDialogProps) {
  const api = useApi();
  const [draft, setDraft] = useState<Draft>(EMPTY_DRAFT);
  const [error, setError] = useState<ApiError>();
  const [saving, setSaving] = useState(false);
  const groupsErrorId = useId();
  const invitationHintId = useId();
  const accessErrorId = useId();
  const notifyPossible = canNotify(draft);

  const set = <K extends DraftField>(field: K, value: Draft[K]) => setDraft((d) => ({ ...d, [field]: value }));
  const fieldError = (field: DraftField) =>
    error?.field === field ? fieldErrorText(FIELD_LABELS[field], error.message) : undefined;

  function toggleGroup(id: string, checked: boolean) {
    set('groupIds', checked ? [...draft.groupIds, id] : draft.groupIds.filter((g) => g !== id));
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setSaving(true);
    setError(undefined);
    try {
      const request = toNewUser(draft);
      const user = await api.createUser(request);
      // The server leaves notifiedAt empty when the email could not be sent.
      const invitation = !request.notify ? 'none' : user.notifiedAt ? 'sent' : 'failed';
      onAdded({ user, invitation });
    } catch (caught) {
      const apiError = asApiError(caught);
      setError(apiError);
      setSaving(false);
      focusField(form, apiError.field);
    }
  }

  const text = (field: 'firstName' | 'lastName' | 'email' | 'userId') => ({
    name: field,
    label: FIELD_LABELS[field],
    value: draft[field],
    error: fieldError(field),
    onChange: (event: { target: { value: string } }) => set(field, event.target.value),
  });

  return (
    <Dialog
      title="Add user"
      onClose={() => {
        if (!saving) onCancel();
      }}
      wide
    >
      <form onSubmit={submit} noValidate className="form-grid">
        {error && !isDraftField(error.field) && (
          <p className="alert alert-error span-2" role="alert">
            {errorText(error)}
          </p>
        )}
        <TextField {...text('firstName')} autoComplete="off" autoFocus />
        <TextField {...text('lastName')} autoComplete="off" />
        <TextField {...text('email')} type="email" autoComplete="off" hint="Or give a user ID." />
        <TextField {...text('userId')} autoComplete="off" hint="For people without email." />
        {canChooseRole ? (
          <SelectField
            name="role"
            label={FIELD_LABELS.role}
            options={ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }))}
            value={draft.role}
            hint={draft.role === 'owner' ? OWNER_WARNING : undefined}
            error={fieldError('role')}
            onChange={(event) => set('role', event.target.value as Role)}
          />
        ) : (
          <div />
        )}
        <SelectField
          name="locationId"
          label={FIELD_LABELS.locationId}
          options={[{ value: '', label: 'No location' }, ...locations.map((l) => ({ value: l.id, label: l.name }))]}
          value={draft.locationId}
          error={fieldError('locationId')}
          onChange={(event) => set('locationId', event.target.value)}
        />
        <fieldset
          className={fieldError('groupIds') ? 'field span-2 field-invalid' : 'field span-2'}
          aria-describedby={fieldError('groupIds') ? groupsErrorId : undefined}
        >
          <legend>{FIELD_LABELS.groupIds}</legend>
          {groups.length === 0 ? (
            <p className="muted">This organization has no groups yet.</p>
          ) : (
            <div className="checkbox-grid">
              {groups.map((group) => (
                <label key={group.id} className="checkbox-label">
                  <input
                    type="checkbox"
                    name="groupIds"
                    value={group.id}
                    checked={draft.groupIds.includes(group.id)}
                    onChange={(event) => toggleGroup(group.id, event.target.checked)}
                  />
                  {group.name}
                </label>
              ))}
            </div>
          )}
          {fieldError('groupIds') && (
            <p id={groupsErrorId} className="field-error">
              {fieldError('groupIds')}
            </p>
          )}
        </fieldset>
        <fieldset className={fieldError('approve') || fieldError('notify') ? 'field span-2 field-invalid' : 'field span-2'}>
          <legend>Access</legend>
          <div className="access-options">
            <label className="checkbox-label">
              <input
                type="checkbox"
                name="approve"
                checked={draft.approve}
                onChange={(event) => set('approve', event.target.checked)}
              />
              Approve now
            </label>
            <label className={notifyPossible ? 'checkbox-label' : 'checkbox-label checkbox-label-disabled'}>
              <input
                type="checkbox"
                name="notify"
                checked={draft.notify && notifyPossible}
                disabled={!notifyPossible}
                aria-describedby={fieldError('notify') ? `${invitationHintId} ${accessErrorId}` : invitationHintId}
                onChange={(event) => set('notify', event.target.checked)}
              />
              Send invitation email
            </label>
          </div>
          <p id={invitationHintId} className="field-hint">
            {notifyPossible
              ? 'The invitation has a link to set a password. You can also send it later with Notify.'
              : 'Approving gives access at once. The invitation can be sent to approved users with an email address.'}
          </p>
          {(fieldError('approve') || fieldError('notify')) && (
            <p id={accessErrorId} className="field-error">
              {fieldError('notify') ?? fieldError('approve')}
            </p>
          )}
        </fieldset>
        <div className="dialog-actions span-2">
          <button type="button" className="button" onClick={onCancel} disabled={saving}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? 'Adding…' : 'Add user'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
