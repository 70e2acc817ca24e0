import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiClient } from '../api/client';
import { fakeApi, withApi } from '../test/fakeApi';
import { ForgotPasswordPage } from './ForgotPasswordPage';

function renderPage(overrides: Partial<ApiClient>, address = '/forgot-password') {
  window.history.replaceState(null, '', address);
  const api = fakeApi(overrides);
  const Wrapper = withApi(api);
  render(
    <Wrapper>
      <ForgotPasswordPage />
    </Wrapper>,
  );
  return api;
}

describe('ForgotPasswordPage', () => {
  it('asks for a link and says the same thing whether or not the account exists', async () => {
    const api = renderPage({ forgotPassword: vi.fn().mockResolvedValue({}) }, '/forgot-password?org=demo');
    expect((screen.getByLabelText('Organization') as HTMLInputElement).value).toBe('demo');
    fireEvent.change(screen.getByLabelText('Email or user ID'), { target: { value: ' ada@example.com ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Email me a link' }));

    expect(await screen.findByRole('heading', { name: 'Check your email' })).toBeTruthy();
    expect(screen.getByText(/a link to choose a new password is on its way\. It works once, within an hour\./)).toBeTruthy();
    expect(screen.getByText('ada@example.com')).toBeTruthy();
    expect(api.forgotPassword).toHaveBeenCalledWith({ org: 'demo', login: 'ada@example.com' });
    expect(screen.getByRole('link', { name: 'Back to sign in' }).getAttribute('href')).toBe('/login');
  });

  it('says when to try again after too many requests', async () => {
    renderPage({
      forgotPassword: vi
        .fn()
        .mockRejectedValue(new ApiError(429, 'too_many_requests', 'too many password reset requests: try again in 15 minutes')),
    });
    fireEvent.change(screen.getByLabelText('Organization'), { target: { value: 'demo' } });
    fireEvent.change(screen.getByLabelText('Email or user ID'), { target: { value: 'ada@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Email me a link' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Too many password reset requests: try again in 15 minutes',
    );
    expect(screen.getByRole('heading', { name: 'Forgot your password?' })).toBeTruthy();
  });

  it('puts a missing field’s error under it', async () => {
    renderPage({ forgotPassword: vi.fn().mockRejectedValue(new ApiError(422, 'invalid', 'is required', 'login')) });
    fireEvent.change(screen.getByLabelText('Organization'), { target: { value: 'demo' } });
    fireEvent.click(screen.getByRole('button', { name: 'Email me a link' }));
    expect(await screen.findByText('Email or user ID is required')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText('Email or user ID'));
  });
});
