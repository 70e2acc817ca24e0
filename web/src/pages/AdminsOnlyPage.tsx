import { fullName } from '../lib/format';
import { useSession, useSignedInSession } from '../session/SessionContext';

/** What a learner sees here: these pages are for administrators. */
export function AdminsOnlyPage() {
  const { user, organization } = useSignedInSession();
  const { signOut } = useSession();
  return (
    <main className="login-page">
      <section className="login-card" aria-labelledby="admins-only-title">
        <p className="brand brand-large" aria-hidden="true">
          Roster
        </p>
        <h1 id="admins-only-title">For administrators</h1>
        <p>
          You are signed in to {organization.name} as {fullName(user)}, a learner. These pages are for the
          organization’s administrators.
        </p>
        <button type="button" className="button button-block" onClick={() => void signOut()}>
          Sign out
        </button>
      </section>
    </main>
  );
}
