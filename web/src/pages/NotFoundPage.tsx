import { Link } from '../router/router';

/** Nothing at this address; a link to the signed-in person's first page. */
export function NotFoundPage({ home, homeName }: { home: string; homeName: string }) {
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. Go to <Link to={home}>{homeName}</Link>.
      </p>
    </section>
  );
}
