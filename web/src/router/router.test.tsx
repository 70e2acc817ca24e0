import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Link, Redirect, navigate, replaceQuery, useNavigationKey, usePath } from './router';

function ShowPath() {
  return <p>at {usePath()}</p>;
}

describe('router', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('re-renders on navigate and on browser back', () => {
    render(<ShowPath />);
    act(() => navigate('/users'));
    expect(screen.getByText('at /users')).toBeTruthy();

    act(() => {
      window.history.replaceState(null, '', '/elsewhere');
      window.dispatchEvent(new PopStateEvent('popstate'));
    });
    expect(screen.getByText('at /elsewhere')).toBeTruthy();
  });

  it('follows links in place and marks the current one', () => {
    render(
      <>
        <Link to="/users">Users</Link>
        <ShowPath />
      </>,
    );
    const link = screen.getByRole('link', { name: 'Users' });
    expect(link.getAttribute('aria-current')).toBeNull();

    fireEvent.click(link);
    expect(window.location.pathname).toBe('/users');
    expect(screen.getByText('at /users')).toBeTruthy();
    expect(link.getAttribute('aria-current')).toBe('page');
  });

  it('redirects by replacing the current entry', () => {
    window.history.replaceState(null, '', '/');
    const entries = window.history.length;
    render(
      <>
        <Redirect to="/users" />
        <ShowPath />
      </>,
    );
    expect(screen.getByText('at /users')).toBeTruthy();
    expect(window.history.length).toBe(entries);
  });

  it('counts navigations, to the same path with another query too, but not a page keeping its query', () => {
    function ShowKey() {
      return <p>key {useNavigationKey()}</p>;
    }
    render(<ShowKey />);
    const key = () => Number(screen.getByText(/^key /).textContent!.slice(4));
    const start = key();
    act(() => navigate('/users?group=g1'));
    expect(key()).toBe(start + 1);
    act(() => navigate('/users'));
    expect(key()).toBe(start + 2);
    act(() => navigate('/users'));
    expect(key()).toBe(start + 2);

    act(() => replaceQuery('?q=ada'));
    expect(window.location.search).toBe('?q=ada');
    expect(key()).toBe(start + 2);
  });

  it('marks a section link current on the pages below it', () => {
    window.history.replaceState(null, '', '/users/u1');
    render(
      <>
        <Link to="/users" section>
          Users
        </Link>
        <Link to="/groups">Groups</Link>
      </>,
    );
    expect(screen.getByRole('link', { name: 'Users' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('link', { name: 'Groups' }).getAttribute('aria-current')).toBeNull();
  });
});
