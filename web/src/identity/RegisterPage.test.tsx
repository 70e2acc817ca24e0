import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiClient } from '../api/client';
import { ORGANIZATION, fakeApi, withApi } from '../test/fakeApi';
import { forgetFragmentToken } from './fragmentToken';
import { RegisterPage } from './RegisterPage';

const NOT_VALID = new ApiError(404, 'not_found', 'this registration link is not valid: it may have been renewed or turned off');

function renderPage(overrides: Partial<ApiClient>, address = '/register#reg-1') {
  window.history.replaceState(null, '', address);
  const api = fakeApi({ checkRegistration: vi.fn().mockResolvedValue({ organization: ORGANIZATION }), ...overrides });
  const Wrapper = withApi(api);
  render(
    <Wrapper>
      <RegisterPage />
    </Wrapper>,
  );
  return api;
}

function fill(first: string, last: string, email: string) {
  fireEvent.change(screen.getByLabelText('First name'), { target: { value: first } });
  fireEvent.change(screen.getByLabelText('Last name'), { target: { value: last } });
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: email } });
}

describe('RegisterPage', () => {
  afterEach(forgetFragmentToken);

  it("names the link's organization, registers, and says the registration waits for approval", async () => {
    const api = renderPage({ register: vi.fn().mockResolvedValue({}) });
    expect(window.location.hash).toBe('');
    expect(await screen.findByRole('heading', { name: 'Register with Demo Foods' })).toBeTruthy();
    expect(api.checkRegistration).toHaveBeenCalledWith('reg-1', expect.anything());

    fill(' Ada ', 'Lovelace', 'ada@example.com ');
    fireEvent.click(screen.getByRole('button', { name: 'Register' }));
    expect(await screen.findByRole('heading', { name: 'Thank you, Ada' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Your registration is waiting for approval.');
    expect(screen.getByText(/An administrator of Demo Foods will look at it\./)).toBeTruthy();
    expect(api.register).toHaveBeenCalledWith({
      token: 'reg-1',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
    });
  });

  it('puts a refused field’s error under it', async () => {
    renderPage({
      register: vi.fn().mockRejectedValue(new ApiError(422, 'invalid', 'is not a valid email address', 'email')),
    });
    await screen.findByRole('heading', { name: 'Register with Demo Foods' });
    fill('Ada', 'Lovelace', 'ada@');
    fireEvent.click(screen.getByRole('button', { name: 'Register' }));
    expect(await screen.findByText('Email is not a valid email address')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText('Email'));
  });

  it('says when registering is throttled', async () => {
    renderPage({
      register: vi
        .fn()
        .mockRejectedValue(new ApiError(429, 'too_many_requests', 'too many registrations: try again in 10 minutes')),
    });
    await screen.findByRole('heading', { name: 'Register with Demo Foods' });
    fill('Ada', 'Lovelace', 'ada@example.com');
    fireEvent.click(screen.getByRole('button', { name: 'Register' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Too many registrations: try again in 10 minutes');
  });

  it('says a renewed or turned-off link is not valid, and whom to ask', async () => {
    renderPage({ checkRegistration: vi.fn().mockRejectedValue(NOT_VALID) });
    expect(await screen.findByRole('heading', { name: 'This registration link is not valid' })).toBeTruthy();
    expect(screen.getByText(/Ask your organization for its current registration link\./)).toBeTruthy();
  });

  it('says so when the link stops working before the form is sent', async () => {
    renderPage({ register: vi.fn().mockRejectedValue(NOT_VALID) });
    await screen.findByRole('heading', { name: 'Register with Demo Foods' });
    fill('Ada', 'Lovelace', 'ada@example.com');
    fireEvent.click(screen.getByRole('button', { name: 'Register' }));
    expect(await screen.findByRole('heading', { name: 'This registration link is not valid' })).toBeTruthy();
  });

  it('says when the address has no token, asking nothing of the server', () => {
    const api = renderPage({}, '/register');
    expect(screen.getByRole('heading', { name: 'This link is incomplete' })).toBeTruthy();
    expect(api.checkRegistration).not.toHaveBeenCalled();
  });
});
