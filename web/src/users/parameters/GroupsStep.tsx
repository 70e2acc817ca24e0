import { useId, useState, type FormEvent } from 'react';
import type { ActionRequest, NamedItem } from '../../api/types';
import { StepActions } from './StepActions';

interface GroupsStepProps {
  action: 'add-to-groups' | 'remove-from-groups';
  /** The groups to choose from, sorted. */
  groups: NamedItem[];
  initialIds?: string[];
  /** Said when there is no group to choose. */
  emptyText: string;
  onContinue: (request: ActionRequest) => void;
  onCancel: () => void;
}

/** Past this many groups, a box narrows the list by name. */
const FILTER_FROM = 12;

/** Asks for one or more groups. */
export function GroupsStep({ action, groups, initialIds = [], emptyText, onContinue, onCancel }: GroupsStepProps) {
  const [chosen, setChosen] = useState<string[]>(initialIds);
  const [narrow, setNarrow] = useState('');
  const [error, setError] = useState('');
  const errorId = useId();

  const needle = narrow.trim().toLocaleLowerCase();
  const shown = needle ? groups.filter((g) => g.name.toLocaleLowerCase().includes(needle)) : groups;

  function toggle(id: string, checked: boolean) {
    setError('');
    setChosen((ids) => (checked ? [...ids, id] : ids.filter((g) => g !== id)));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (chosen.length === 0) {
      setError('Choose at least one group.');
      return;
    }
    // In the order of the list, so the confirmation names them as the list shows them.
    onContinue({ action, groupIds: groups.filter((g) => chosen.includes(g.id)).map((g) => g.id) });
  }

  return (
    <form onSubmit={submit} noValidate>
      <fieldset
        className={error ? 'field field-invalid' : 'field'}
        aria-describedby={error ? errorId : undefined}
      >
        <legend>Groups</legend>
        {groups.length === 0 ? (
          <p className="muted">{emptyText}</p>
        ) : (
          <>
            {groups.length > FILTER_FROM && (
              <input
                type="search"
                aria-label="Find a group"
                placeholder="Find a group"
                value={narrow}
                onChange={(event) => setNarrow(event.target.value)}
              />
            )}
            <div className="checkbox-grid">
              {shown.map((group) => (
                <label key={group.id} className="checkbox-label">
                  <input
                    type="checkbox"
                    name="groupIds"
                    value={group.id}
                    checked={chosen.includes(group.id)}
                    onChange={(event) => toggle(group.id, event.target.checked)}
                  />
                  {group.name}
                </label>
              ))}
              {shown.length === 0 && <p className="muted">No group is called that.</p>}
            </div>
            <p className="field-hint" aria-live="polite">
              {chosen.length === 0 ? 'No group chosen.' : `${chosen.length} chosen.`}
            </p>
          </>
        )}
        {error && (
          <p id={errorId} className="field-error">
            {error}
          </p>
        )}
      </fieldset>
      <StepActions onCancel={onCancel} continueDisabled={groups.length === 0} />
    </form>
  );
}
