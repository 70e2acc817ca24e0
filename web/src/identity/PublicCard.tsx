import { useId, type FormEvent, type ReactNode } from 'react';

interface PublicCardProps {
  title: string;
  children: ReactNode;
  /** Makes the card a form, submitted with this. */
  onSubmit?: (event: FormEvent<HTMLFormElement>) => void;
}

/** The card of the pages seen without a session (sign-in, links from emails), centred under the brand. */
export function PublicCard({ title, children, onSubmit }: PublicCardProps) {
  const titleId = useId();
  const content = (
    <>
      <p className="brand brand-large" aria-hidden="true">
        Roster
      </p>
      <h1 id={titleId}>{title}</h1>
      {children}
    </>
  );
  return (
    <main className="login-page">
      {onSubmit ? (
        <form className="login-card" onSubmit={onSubmit} aria-labelledby={titleId} noValidate>
          {content}
        </form>
      ) : (
        <section className="login-card" aria-labelledby={titleId}>
          {content}
        </section>
      )}
    </main>
  );
}
