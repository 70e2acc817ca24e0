import { describe, expect, it, vi } from 'vitest';
import { ApiError, BAD_RESPONSE, NETWORK_ERROR, asApiError, createApiClient, toQueryString } from './client';

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function clientAnswering(answer: () => Promise<Response> | Response) {
  const fetch = vi.fn<typeof globalThis.fetch>(async () => answer());
  const onUnauthorized = vi.fn();
  return { api: createApiClient({ fetch, onUnauthorized }), fetch, onUnauthorized };
}

async function rejectionOf(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('toQueryString', () => {
  it('leaves out empty parameters', () => {
    expect(toQueryString({ status: 'active', q: '', location: undefined, cursor: null, limit: 50 })).toBe(
      '?status=active&limit=50',
    );
  });

  it('is empty when nothing is set, and encodes values', () => {
    expect(toQueryString({})).toBe('');
    expect(toQueryString({ q: 'o’brien & co' })).toBe('?q=o%E2%80%99brien+%26+co');
  });
});

describe('API client requests', () => {
  it('sends JSON with the session cookie and returns the parsed body', async () => {
    const session = { user: { id: 'u1' }, organization: { id: 'o1', slug: 'acme', name: 'Acme' } };
    const { api, fetch } = clientAnswering(() => jsonResponse(200, session));

    await expect(api.login({ org: 'acme', login: 'ada@example.com', password: 'pw' })).resolves.toEqual(session);

    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/auth/login');
    expect(init?.method).toBe('POST');
    expect(init?.credentials).toBe('same-origin');
    expect(init?.headers).toMatchObject({ 'Content-Type': 'application/json' });
    expect(JSON.parse(String(init?.body))).toEqual({ org: 'acme', login: 'ada@example.com', password: 'pw' });
  });

  it('puts the filter, limit and cursor of a listing in the query string', async () => {
    const { api, fetch } = clientAnswering(() => jsonResponse(200, { items: [], nextCursor: null, total: 0, totalExact: true }));
    await api.listUsers({ status: 'active', q: 'ada', archived: 'include', limit: 50, cursor: 'abc' });
    expect(fetch.mock.calls[0]![0]).toBe('/api/users?status=active&q=ada&archived=include&limit=50&cursor=abc');
    expect(fetch.mock.calls[0]![1]?.credentials).toBe('same-origin');
  });

  it('sends a bulk action to its endpoint with the target', async () => {
    const result = {
      action: 'archive',
      total: 1,
      done: 1,
      skipped: 0,
      failed: 0,
      results: [{ id: 'u1', outcome: 'done' }],
    };
    const { api, fetch } = clientAnswering(() => jsonResponse(200, result));
    await expect(api.runAction({ action: 'archive' }, { userIds: ['u1'] })).resolves.toEqual(result);
    expect(fetch.mock.calls[0]![0]).toBe('/api/users/actions/archive');
    expect(JSON.parse(String(fetch.mock.calls[0]![1]?.body))).toEqual({ userIds: ['u1'] });
  });

  it("sends an action's own parameters beside the target, and nothing else", async () => {
    const { api, fetch } = clientAnswering(() => jsonResponse(200, { action: 'x', results: [] }));
    const body = (n: number) => JSON.parse(String(fetch.mock.calls[n]![1]?.body)) as unknown;

    await api.runAction({ action: 'set-expiration', expiresAt: null }, { filter: { q: 'a' }, expectedCount: 3 });
    expect(fetch.mock.calls[0]![0]).toBe('/api/users/actions/set-expiration');
    expect(body(0)).toEqual({ filter: { q: 'a' }, expectedCount: 3, expiresAt: null });

    await api.runAction({ action: 'add-to-groups', groupIds: ['g1', 'g2'] }, { userIds: ['u1'] });
    expect(fetch.mock.calls[1]![0]).toBe('/api/users/actions/add-to-groups');
    expect(body(1)).toEqual({ userIds: ['u1'], groupIds: ['g1', 'g2'] });

    await api.runAction({ action: 'approve', notify: true }, { userIds: ['u1'] });
    expect(body(2)).toEqual({ userIds: ['u1'], notify: true });
  });

  it('patches a user by its escaped id', async () => {
    const { api, fetch } = clientAnswering(() => jsonResponse(200, { id: 'a/b' }));
    await api.updateUser('a/b', { firstName: 'Ada', version: 3 });
    expect(fetch.mock.calls[0]![0]).toBe('/api/users/a%2Fb');
    expect(fetch.mock.calls[0]![1]?.method).toBe('PATCH');
  });

  it('sends a link token only in the body of the link routes', async () => {
    const { api, fetch } = clientAnswering(() => jsonResponse(200, {}));
    const call = (n: number) => ({
      url: fetch.mock.calls[n]![0],
      method: fetch.mock.calls[n]![1]?.method,
      body: JSON.parse(String(fetch.mock.calls[n]![1]?.body)) as unknown,
    });

    await api.checkLink('tok-1');
    await api.redeemLink({ token: 'tok-1', password: 'a long password' });
    await api.checkRegistration('reg-1');
    await api.register({ token: 'reg-1', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' });
    await api.forgotPassword({ org: 'acme', login: 'ada@example.com' });
    await api.changePassword({ currentPassword: 'old one', newPassword: 'new one!' });
    await api.setRegistration({ enabled: true, renew: true });

    expect(call(0)).toEqual({ url: '/api/auth/links/check', method: 'POST', body: { token: 'tok-1' } });
    expect(call(1)).toEqual({
      url: '/api/auth/links/redeem',
      method: 'POST',
      body: { token: 'tok-1', password: 'a long password' },
    });
    expect(call(2)).toEqual({ url: '/api/auth/register/check', method: 'POST', body: { token: 'reg-1' } });
    expect(call(3).url).toBe('/api/auth/register');
    expect(call(4)).toEqual({
      url: '/api/auth/password/forgot',
      method: 'POST',
      body: { org: 'acme', login: 'ada@example.com' },
    });
    expect(call(5)).toEqual({
      url: '/api/me/password',
      method: 'POST',
      body: { currentPassword: 'old one', newPassword: 'new one!' },
    });
    expect(call(6)).toEqual({
      url: '/api/organization/registration',
      method: 'PUT',
      body: { enabled: true, renew: true },
    });
  });

  it("posts a user's password actions to their escaped id, with no body", async () => {
    const { api, fetch } = clientAnswering(() => jsonResponse(200, { password: 'x' }));
    await api.sendPasswordReset('a/b');
    await api.setOneTimePassword('a/b');
    expect(fetch.mock.calls.map(([url, init]) => [url, init?.method, init?.body])).toEqual([
      ['/api/users/a%2Fb/password-reset', 'POST', undefined],
      ['/api/users/a%2Fb/one-time-password', 'POST', undefined],
    ]);
  });

  it('resolves a 204 with nothing', async () => {
    const { api } = clientAnswering(() => new Response(null, { status: 204 }));
    await expect(api.logout()).resolves.toBeUndefined();
  });
});

describe('API client errors', () => {
  it("carries the server's code, message and field", async () => {
    const { api } = clientAnswering(() =>
      jsonResponse(422, {
        error: { code: 'invalid', message: 'is not a valid email address', field: 'email', requestId: 'r1' },
      }),
    );
    const error = await rejectionOf(api.createUser({ firstName: 'A', lastName: 'B', email: 'nope' }));
    expect(error).toMatchObject({
      status: 422,
      code: 'invalid',
      message: 'is not a valid email address',
      field: 'email',
      requestId: 'r1',
    });
  });

  it('reports a stale bulk count as a conflict with the new count in the message', async () => {
    const { api } = clientAnswering(() =>
      jsonResponse(409, {
        error: {
          code: 'conflict',
          message: 'the filter now matches 12 users, not 10: review the selection and try again',
        },
      }),
    );
    const error = await rejectionOf(api.runAction({ action: 'archive' }, { filter: { q: 'a' }, expectedCount: 10 }));
    expect(error).toMatchObject({ status: 409, code: 'conflict', field: undefined });
    expect(error.message).toContain('12 users');
  });

  it('tells the session owner when the session is gone, but not for a failed sign-in', async () => {
    const unauthorized = () => jsonResponse(401, { error: { code: 'unauthorized', message: 'Please sign in.' } });
    const { api, onUnauthorized } = clientAnswering(unauthorized);

    await rejectionOf(api.login({ org: 'acme', login: 'x', password: 'bad' }));
    expect(onUnauthorized).not.toHaveBeenCalled();

    // Nor for a public route's refusal, such as a link whose user has no access.
    await rejectionOf(api.redeemLink({ token: 't', password: 'a long password' }));
    await rejectionOf(api.checkLink('t'));
    expect(onUnauthorized).not.toHaveBeenCalled();

    const error = await rejectionOf(api.listGroups());
    expect(error).toMatchObject({ status: 401, code: 'unauthorized', message: 'Please sign in.' });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(onUnauthorized).toHaveBeenCalledWith(error);
  });

  it('explains an error that is not the JSON shape, without showing its body', async () => {
    const { api } = clientAnswering(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    const error = await rejectionOf(api.organization());
    expect(error.status).toBe(502);
    expect(error.code).toBe(BAD_RESPONSE);
    expect(error.message).toContain('HTTP 502');
    expect(error.message).not.toContain('html');
  });

  it('treats an unreadable success body as an error', async () => {
    const { api } = clientAnswering(() => new Response('not json', { status: 200 }));
    expect((await rejectionOf(api.me())).code).toBe(BAD_RESPONSE);
  });

  it('reports a network failure as such', async () => {
    const { api } = clientAnswering(() => Promise.reject(new TypeError('Failed to fetch')));
    const error = await rejectionOf(api.listLocations());
    expect(error).toMatchObject({ status: 0, code: NETWORK_ERROR });
    expect(error.message).toMatch(/could not reach the server/i);
  });

  it('lets an aborted request reject with the abort, not a network error', async () => {
    const controller = new AbortController();
    controller.abort();
    const abort = new DOMException('Aborted', 'AbortError');
    const { api } = clientAnswering(() => Promise.reject(abort));
    await expect(api.listUsers({}, { signal: controller.signal })).rejects.toBe(abort);
  });
});

describe('asApiError', () => {
  it('keeps an ApiError and wraps anything else', () => {
    const original = new ApiError(404, 'not_found', 'No such user.');
    expect(asApiError(original)).toBe(original);
    expect(asApiError(new Error('boom'))).toMatchObject({
      code: BAD_RESPONSE,
      message: 'Something went wrong. Please try again.',
    });
  });
});
