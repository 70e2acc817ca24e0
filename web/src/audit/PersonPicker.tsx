import { useId, useState, type KeyboardEvent } from 'react';
import { useApi } from '../api/ApiContext';
import type { Person, User } from '../api/types';
import { fullName, signInName } from '../lib/format';
import { useDebouncedValue } from '../lib/useDebouncedValue';
import { useResource } from '../lib/useResource';

const SEARCH_DEBOUNCE_MS = 250;
const MAX_OPTIONS = 8;

interface PersonPickerProps {
  label: string;
  /** The person chosen, or null for anyone. */
  value: Person | null;
  onChange: (person: Person | null) => void;
  placeholder?: string;
}

/**
 * Picks one person by searching the roster as one types (the ARIA combobox
 * pattern): arrow keys move through the matches, Enter picks, Escape closes.
 */
export function PersonPicker({ label, value, onChange, placeholder = 'Name, email or user ID' }: PersonPickerProps) {
  const api = useApi();
  const id = useId();
  const listId = `${id}-list`;
  const [text, setText] = useState(value?.name ?? '');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);

  // The chosen person's name shows in the box; a new choice from outside replaces it.
  const [shownValue, setShownValue] = useState(value);
  if (shownValue?.id !== value?.id || shownValue?.name !== value?.name) {
    setShownValue(value);
    setText(value?.name ?? '');
  }

  const query = useDebouncedValue(value ? '' : text.trim(), SEARCH_DEBOUNCE_MS);
  const search = useResource(
    (signal) =>
      query
        ? api.listUsers({ q: query, archived: 'include', limit: MAX_OPTIONS }, { signal })
        : Promise.resolve(undefined),
    [api, query],
  );
  const matches: User[] = query ? (search.data?.items ?? []) : [];
  const expanded = open && text.trim() !== '' && !value;

  function choose(user: User) {
    onChange({ id: user.id, name: fullName(user) });
    setOpen(false);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
      if (matches.length > 0) {
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActive((i) => (i + step + matches.length) % matches.length);
      }
    } else if (event.key === 'Enter' && expanded && matches[active]) {
      event.preventDefault();
      choose(matches[active]);
    } else if (event.key === 'Escape' && expanded) {
      event.preventDefault();
      setOpen(false);
    }
  }

  const activeId = expanded && matches[active] ? `${id}-option-${active}` : undefined;
  const searching = query !== text.trim() || search.loading;

  return (
    <div className="field person-picker">
      <label htmlFor={id}>{label}</label>
      <div className="person-picker-box">
        <input
          id={id}
          type="text"
          role="combobox"
          autoComplete="off"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={activeId}
          placeholder={placeholder}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setActive(0);
            setOpen(true);
            if (value) onChange(null);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
        />
        {(value || text) && (
          <button
            type="button"
            className="person-picker-clear"
            aria-label={`Clear ${label}`}
            onClick={() => {
              setText('');
              onChange(null);
            }}
          >
            ×
          </button>
        )}
      </div>
      <div className="person-picker-popup" hidden={!expanded}>
        <ul id={listId} role="listbox" aria-label={label} className="person-picker-list">
          {matches.map((user, index) => (
            <li
              key={user.id}
              id={`${id}-option-${index}`}
              role="option"
              aria-selected={index === active}
              className="person-picker-option"
              // Keep the focus in the box, so that the click picks before the box closes the list.
              onMouseDown={(event) => event.preventDefault()}
              onMouseEnter={() => setActive(index)}
              onClick={() => choose(user)}
            >
              <span className="person-picker-name">{fullName(user)}</span>
              <span className="person-picker-login">{signInName(user)}</span>
            </li>
          ))}
        </ul>
        {matches.length === 0 && (
          <p className="person-picker-empty" role="status">
            {searching ? 'Searching…' : 'No user matches.'}
          </p>
        )}
      </div>
    </div>
  );
}
