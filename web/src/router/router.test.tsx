import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Link, Redirect, navigate, usePath } from './router';

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
});
