import { useState, type FormEvent } from 'react';
import { ROLES, type ActionRequest, type Role } from '../../api/types';
import { OWNER_WARNING, ROLE_LABELS } from '../../lib/format';
import { SelectField } from '../../ui/fields';
import { StepActions } from './StepActions';

interface RoleStepProps {
  initialRole: Role;
  onContinue: (request: ActionRequest) => void;
  onCancel: () => void;
}

/** Asks an owner for the role to give: learner, admin or owner, warning what owners can do. */
export function RoleStep({ initialRole, onContinue, onCancel }: RoleStepProps) {
  const [role, setRole] = useState<Role>(initialRole);

  function submit(event: FormEvent) {
    event.preventDefault();
    onContinue({ action: 'set-role', role });
  }

  return (
    <form onSubmit={submit} noValidate>
      <SelectField
        name="role"
        label="Role"
        options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
        value={role}
        hint={role === 'owner' ? OWNER_WARNING : undefined}
        onChange={(event) => setRole(event.target.value as Role)}
        autoFocus
      />
      <StepActions onCancel={onCancel} />
    </form>
  );
}
