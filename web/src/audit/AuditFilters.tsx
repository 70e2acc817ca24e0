import { AUDIT_ACTIONS, type AuditAction } from '../api/types';
import { SelectField, TextField } from '../ui/fields';
import { PersonPicker } from './PersonPicker';
import { ACTION_LABELS } from './auditWords';
import { dateRangeError, type AuditFilterValues } from './auditFilters';

interface AuditFiltersProps {
  values: AuditFilterValues;
  onChange: (changes: Partial<AuditFilterValues>) => void;
  onClear: () => void;
}

const actionOptions = [
  { value: '', label: 'All actions' },
  ...AUDIT_ACTIONS.map((action) => ({ value: action, label: ACTION_LABELS[action] })),
];

function isFiltered(values: AuditFilterValues): boolean {
  return Boolean(values.action || values.user || values.actor || values.from || values.to);
}

/** The audit log's filters: the action, the user changed, who changed them, and a range of days. */
export function AuditFilters({ values, onChange, onClear }: AuditFiltersProps) {
  const rangeError = dateRangeError(values);
  return (
    <search className="filters audit-filters" aria-label="Filter the audit log">
      <SelectField
        label="Action"
        options={actionOptions}
        value={values.action}
        onChange={(event) => onChange({ action: event.target.value as AuditAction | '' })}
      />
      <PersonPicker label="User" value={values.user} onChange={(user) => onChange({ user })} />
      <PersonPicker label="Changed by" value={values.actor} onChange={(actor) => onChange({ actor })} />
      <TextField
        label="From"
        type="date"
        value={values.from}
        max={values.to || undefined}
        onChange={(event) => onChange({ from: event.target.value })}
      />
      <TextField
        label="To"
        type="date"
        value={values.to}
        min={values.from || undefined}
        error={rangeError}
        onChange={(event) => onChange({ to: event.target.value })}
      />
      <button type="button" className="button button-quiet filters-clear" onClick={onClear} disabled={!isFiltered(values)}>
        Clear filters
      </button>
    </search>
  );
}
