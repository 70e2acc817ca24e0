import { ROLES, STATUSES, type NamedItem, type Role, type Status } from '../api/types';
import { ROLE_LABELS, STATUS_LABELS } from '../lib/format';
import { SelectField, TextField, type Option } from '../ui/fields';

/** The filters as the controls hold them: '' means "any". */
export interface FilterValues {
  location: string;
  group: string;
  course: string;
  status: Status | '';
  role: Role | '';
  showArchived: boolean;
}

export const NO_FILTERS: FilterValues = { location: '', group: '', course: '', status: '', role: '', showArchived: false };

interface UserFiltersProps {
  values: FilterValues;
  onChange: (changes: Partial<FilterValues>) => void;
  searchText: string;
  onSearchTextChange: (text: string) => void;
  groups: NamedItem[];
  locations: NamedItem[];
  courses: Pick<NamedItem, 'id' | 'name'>[];
  /** Clears every filter and the search; absent when there is nothing to clear. */
  onClear?: () => void;
}

function withAny(anyLabel: string, options: Option[]): Option[] {
  return [{ value: '', label: anyLabel }, ...options];
}

const itemOptions = (items: Pick<NamedItem, 'id' | 'name'>[]): Option[] => items.map((item) => ({ value: item.id, label: item.name }));
const statusOptions = withAny(
  'All statuses',
  STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
);
const roleOptions = withAny(
  'All roles',
  ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] })),
);

export function UserFilters({
  values,
  onChange,
  searchText,
  onSearchTextChange,
  groups,
  locations,
  courses,
  onClear,
}: UserFiltersProps) {
  return (
    <search className="filters" aria-label="Filter users">
      <TextField
        label="Search"
        type="search"
        placeholder="Name, email or user ID"
        value={searchText}
        onChange={(event) => onSearchTextChange(event.target.value)}
      />
      <SelectField
        label="Location"
        options={withAny('All locations', itemOptions(locations))}
        value={values.location}
        onChange={(event) => onChange({ location: event.target.value })}
      />
      <SelectField
        label="Group"
        options={withAny('All groups', itemOptions(groups))}
        value={values.group}
        onChange={(event) => onChange({ group: event.target.value })}
      />
      <SelectField
        label="Course"
        options={withAny('All courses', itemOptions(courses))}
        value={values.course}
        onChange={(event) => onChange({ course: event.target.value })}
      />
      <SelectField
        label="Status"
        options={statusOptions}
        value={values.status}
        onChange={(event) => onChange({ status: event.target.value as Status | '' })}
      />
      <SelectField
        label="Role"
        options={roleOptions}
        value={values.role}
        onChange={(event) => onChange({ role: event.target.value as Role | '' })}
      />
      <label className="checkbox-label filter-archived">
        <input
          type="checkbox"
          checked={values.showArchived}
          onChange={(event) => onChange({ showArchived: event.target.checked })}
        />
        Show archived users
      </label>
      {onClear && (
        <button type="button" className="button button-quiet filters-clear-all" onClick={onClear}>
          Clear filters
        </button>
      )}
    </search>
  );
}
