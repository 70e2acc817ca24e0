import { useEffect, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

// A small History API router: the current path is external state that
// navigate() changes and the browser's back and forward buttons restore.

const NAVIGATE_EVENT = 'roster:navigate';

/**
 * Counts navigations (navigate() and the browser's back and forward), but not a
 * page's own replaceState: a page keyed on it starts afresh on each navigation,
 * even to its own path with another query.
 */
let navigations = 0;
window.addEventListener('popstate', () => {
  navigations += 1;
});

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

function currentPath(): string {
  return window.location.pathname;
}

/** The current path, re-rendering on every navigation. */
export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath);
}

/** A number that changes on every navigation, to key the page with. */
export function useNavigationKey(): number {
  return useSyncExternalStore(subscribe, () => navigations);
}

/** Navigates to `path`, which may carry a query (/users?group=g1); nothing happens when already there. */
export function navigate(path: string, { replace = false } = {}): void {
  if (path === window.location.pathname + window.location.search) return;
  if (replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  navigations += 1;
  // A new page starts at its top; back and forward leave the browser to restore where it was.
  if (!replace) window.scrollTo(0, 0);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/**
 * Puts `query` in the address without navigating (no page starts afresh), so
 * that going back to the page finds it as it was left.
 */
export function replaceQuery(query: string): void {
  const url = window.location.pathname + query;
  if (url !== window.location.pathname + window.location.search) window.history.replaceState(null, '', url);
}

/** Replaces the current address with `to` once rendered. */
export function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function isPlainLeftClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  to: string;
  /** A section link is also current on the pages below it (/users for /users/u1). */
  section?: boolean;
}

function isCurrent(path: string, to: string, section: boolean): boolean {
  return path === to || (section && path.startsWith(`${to}/`));
}

/** An anchor that navigates in place; marks itself as the current page. */
export function Link({ to, section = false, onClick, ...rest }: LinkProps) {
  const path = usePath();
  return (
    <a
      {...rest}
      href={to}
      aria-current={isCurrent(path, to, section) ? 'page' : undefined}
      onClick={(event) => {
        onClick?.(event);
        if (event.defaultPrevented || !isPlainLeftClick(event)) return;
        event.preventDefault();
        navigate(to);
      }}
    />
  );
}
