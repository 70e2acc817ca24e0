import { useState, type FormEvent } from 'react';
import type { ActionRequest, AssignableRole } from '../../api/types';
import { ROLE_LABELS } from '../../lib/format';
import { SelectField } from '../../ui/fields';
import { StepActions } from './StepActions';

const ASSIGNABLE_ROLES: readonly AssignableRole[] = ['learner', 'admin'];

interface RoleStepProps {
  initialRole: AssignableRole;
  onContinue: (request: ActionRequest) => void;
  onCancel: () => void;
}

/** Asks for the role to give: learner or admin (an owner's role is never changed here). */
export function RoleStep({ initialRole, onContinue, onCancel }: RoleStepProps) {
  const [role, setRole] = useState<AssignableRole>(initialRole);

  function submit(event: FormEvent) {
    event.preventDefault();
    onContinue({ action: 'set-role', role });
  }

  return (
    <form onSubmit={submit} noValidate>
      <SelectField
        name="role"
        label="Role"
        options={ASSIGNABLE_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
        value={role}
        onChange={(event) => setRole(event.target.value as AssignableRole)}
        autoFocus
      />
      <StepActions onCancel={onCancel} />
    </form>
  );
}
