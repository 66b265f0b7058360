import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestScout, type TestScout } from '../../../test/support/scout';
import { findFreePort } from '../../server/platform/net';
import { ApiError, createApiClient, NETWORK_ERROR } from './client';

// Against the real Scout server over HTTP, plus a plain HTTP server for the
// answers Scout itself never gives (a proxy's HTML page, an empty 204).
let scout: TestScout;
let foreign: Server;
let foreignUrl: string;

beforeAll(async () => {
  scout = await startTestScout();
  foreign = createServer((req, res) => {
    if (req.url === '/empty') res.writeHead(204).end();
    else res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad gateway</html>');
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await scout?.stop();
  await new Promise((resolve) => foreign?.close(resolve));
});

async function failureOf(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('api client', () => {
  it('sends JSON and returns the parsed body', async () => {
    const api = createApiClient(scout.baseUrl);
    const email = `client-${Date.now()}@example.org`;
    const body = await api.post<{ user: { email: string } }>('/api/auth/sign-up/email', { name: 'Client', email, password: 'client-pass-1' });
    expect(body.user.email).toBe(email);
  });

  it("turns Scout's error body into an ApiError with status, code and field messages", async () => {
    const api = createApiClient(scout.baseUrl);
    const error = await failureOf(api.post('/api/auth/sign-up/email', { name: '', email: 'nope', password: 'x' }));
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_ERROR', message: 'Some fields need attention' });
    expect(Object.keys(error.fields).sort()).toEqual(['email', 'name', 'password']);
    expect(error.hasFieldErrors).toBe(true);
  });

  it('carries the message of an error without fields', async () => {
    const error = await failureOf(createApiClient(scout.baseUrl).get('/api/me'));
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', message: 'Sign in to continue', fields: {} });
    expect(error.hasFieldErrors).toBe(false);
  });

  it('reports an unreachable server as NETWORK_ERROR with a message a person can act on', async () => {
    const error = await failureOf(createApiClient(`http://127.0.0.1:${await findFreePort()}`).get('/api/me'));
    expect(error).toMatchObject({ status: 0, code: NETWORK_ERROR, message: "Can't reach Scout. Check your connection and try again." });
  });

  it('reports a non-JSON answer, like a proxy error page, as NETWORK_ERROR', async () => {
    const error = await failureOf(createApiClient(foreignUrl).get('/api/me'));
    expect(error).toMatchObject({ status: 502, code: NETWORK_ERROR });
  });

  it('resolves an empty success response to undefined', async () => {
    await expect(createApiClient(foreignUrl).delete('/empty')).resolves.toBeUndefined();
  });

  it('rethrows an abort rather than calling it a network problem', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(createApiClient(scout.baseUrl).get('/api/me', { signal: controller.signal })).rejects.toThrow(/abort/i);
  });
});
