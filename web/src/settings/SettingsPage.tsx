import { useId } from 'react';
import { RegistrationLinkCard } from './RegistrationLinkCard';

/** The organization's settings (/settings): for now, its registration link. */
export function SettingsPage() {
  const titleId = useId();
  return (
    <section className="page" aria-labelledby={titleId}>
      <h1 id={titleId}>Settings</h1>
      <RegistrationLinkCard />
    </section>
  );
}
