import { useState, type FormEvent } from 'react';
import type { ActionRequest, NamedItem } from '../../api/types';
import { SelectField } from '../../ui/fields';
import { StepActions } from './StepActions';

interface LocationStepProps {
  locations: NamedItem[];
  /** The location to start from; '' for none. */
  initialId: string;
  onContinue: (request: ActionRequest) => void;
  onCancel: () => void;
}

/** Asks for a location, or none. */
export function LocationStep({ locations, initialId, onContinue, onCancel }: LocationStepProps) {
  const [locationId, setLocationId] = useState(initialId);

  function submit(event: FormEvent) {
    event.preventDefault();
    onContinue({ action: 'set-location', locationId: locationId || null });
  }

  return (
    <form onSubmit={submit} noValidate>
      <SelectField
        name="locationId"
        label="Location"
        options={[{ value: '', label: 'No location' }, ...locations.map((l) => ({ value: l.id, label: l.name }))]}
        value={locationId}
        onChange={(event) => setLocationId(event.target.value)}
        autoFocus
      />
      <StepActions onCancel={onCancel} />
    </form>
  );
}
