/** The token read from the address of the page it belongs to, kept after it left the address bar. */
let kept: { path: string; token: string } | undefined;

/**
 * The token an emailed link carries in its fragment (/invitation#<token>).
 * The first call on a page takes it out of the address bar, so that it stays
 * out of the history, bookmarks and screenshots; later calls on the same path
 * answer the kept token. Undefined when the address had none.
 */
export function takeFragmentToken(): string | undefined {
  const { pathname, search, hash } = window.location;
  const token = hash.slice(1).trim();
  if (hash) window.history.replaceState(window.history.state, '', pathname + search);
  if (token) kept = { path: pathname, token };
  return kept?.path === pathname ? kept.token : undefined;
}

/** Forgets the kept token, once spent or no longer wanted. */
export function forgetFragmentToken(): void {
  kept = undefined;
}
