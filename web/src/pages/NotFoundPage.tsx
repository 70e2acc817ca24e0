import { Link } from '../router/router';

export function NotFoundPage() {
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. Go to <Link to="/users">Enrolled Users</Link>.
      </p>
    </section>
  );
}
