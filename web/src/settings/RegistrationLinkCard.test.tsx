import { fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiClient } from '../api/client';
import { fakeApi, withApi } from '../test/fakeApi';
import { SettingsPage } from './SettingsPage';

const URL_1 = 'https://roster.example/register#first';
const URL_2 = 'https://roster.example/register#second';

function renderPage(overrides: Partial<ApiClient>) {
  const api = fakeApi(overrides);
  const Wrapper = withApi(api);
  render(
    <Wrapper>
      <SettingsPage />
    </Wrapper>,
  );
  return api;
}

const card = () => screen.getByRole('region', { name: 'Registration link' });
const linkField = () => screen.getByLabelText('Link to share') as HTMLInputElement;

describe('Registration link settings', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('turns registration on and shows the link to share', async () => {
    const api = renderPage({
      getRegistration: vi.fn().mockResolvedValue({ enabled: false, url: null }),
      setRegistration: vi.fn().mockResolvedValue({ enabled: true, url: URL_1 }),
    });
    expect(await within(card()).findByText(/Registration is off/)).toBeTruthy();
    expect(within(card()).getByText('Off')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Turn registration on' }));
    expect((await screen.findByText('Registration is on: share the link below.')).getAttribute('role')).toBe('status');
    expect(api.setRegistration).toHaveBeenCalledWith({ enabled: true });
    expect(linkField().value).toBe(URL_1);
    expect(within(card()).getByText('On')).toBeTruthy();
  });

  it('copies the link, and says how to copy it when the browser will not', async () => {
    const writeText = vi.fn().mockResolvedValueOnce(undefined).mockRejectedValueOnce(new Error('denied'));
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    renderPage({ getRegistration: vi.fn().mockResolvedValue({ enabled: true, url: URL_1 }) });
    await screen.findByLabelText('Link to share');

    fireEvent.click(screen.getByRole('button', { name: 'Copy link' }));
    expect(await screen.findByText('Copied')).toBeTruthy();
    expect(writeText).toHaveBeenCalledWith(URL_1);

    fireEvent.click(screen.getByRole('button', { name: 'Copy link' }));
    expect(await screen.findByText('Could not copy: select the text and copy it yourself.')).toBeTruthy();
  });

  it('renews the link only once confirmed, saying the old one stops working', async () => {
    const api = renderPage({
      getRegistration: vi.fn().mockResolvedValue({ enabled: true, url: URL_1 }),
      setRegistration: vi.fn().mockResolvedValue({ enabled: true, url: URL_2 }),
    });
    await screen.findByLabelText('Link to share');

    fireEvent.click(screen.getByRole('button', { name: 'Renew link…' }));
    let dialog = screen.getByRole('dialog', { name: 'Renew the registration link?' });
    expect(dialog.textContent).toContain('The current link stops working at once');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.setRegistration).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Renew link…' }));
    dialog = screen.getByRole('dialog', { name: 'Renew the registration link?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Yes, renew the link' }));
    expect((await screen.findByText('A new link is ready. The old one no longer works.')).getAttribute('role')).toBe('status');
    expect(api.setRegistration).toHaveBeenCalledWith({ enabled: true, renew: true });
    expect(linkField().value).toBe(URL_2);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('turns registration off once confirmed, and keeps the dialog open with the reason when refused', async () => {
    const setRegistration = vi
      .fn()
      .mockRejectedValueOnce(new ApiError(403, 'forbidden', 'only administrators change the registration link'))
      .mockResolvedValue({ enabled: false, url: null });
    renderPage({ getRegistration: vi.fn().mockResolvedValue({ enabled: true, url: URL_1 }), setRegistration });
    await screen.findByLabelText('Link to share');

    fireEvent.click(screen.getByRole('button', { name: 'Turn registration off…' }));
    const dialog = screen.getByRole('dialog', { name: 'Turn registration off?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Yes, turn it off' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'Nothing changed. Only administrators change the registration link',
    );

    fireEvent.click(within(dialog).getByRole('button', { name: 'Yes, turn it off' }));
    expect((await screen.findByText('Registration is off. The link no longer works.')).getAttribute('role')).toBe('status');
    expect(setRegistration).toHaveBeenLastCalledWith({ enabled: false });
    expect(screen.queryByLabelText('Link to share')).toBeNull();
  });

  it('offers to try again when the setting could not be read', async () => {
    const getRegistration = vi
      .fn()
      .mockRejectedValueOnce(new ApiError(0, 'network', 'Could not reach the server.'))
      .mockResolvedValue({ enabled: false, url: null });
    renderPage({ getRegistration });
    expect((await screen.findByRole('alert')).textContent).toContain('The registration link could not be read.');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText(/Registration is off/)).toBeTruthy();
  });
});
