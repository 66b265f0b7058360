import http from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, startTestScout, type TestScout } from '../../test/support/scout';
import { Kysely, PostgresDialect } from 'kysely';
import { createApp } from './app';
import { HqServerDirectory } from './features/tenants/hq-servers';
import { KeyRing } from './platform/crypto/keyring';
import type { Database } from './platform/db/schema';
import { createAuth } from './platform/auth/auth';
import { findFreePort } from './platform/net';

let scout: TestScout;
beforeAll(async () => {
  scout = await startTestScout();
});
afterAll(async () => {
  await scout?.stop();
});

function silentLogger(lines: string[] = []) {
  return pino({ level: 'debug', base: undefined }, new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }));
}

/** An app over a real pool, for routes a test adds or a database that is down. */
function appWith(pool: pg.Pool, webRoot?: string, lines: string[] = []) {
  const logger = silentLogger(lines);
  const auth = createAuth({ pool, secret: 'y'.repeat(40), baseUrl: 'http://localhost', trustedOrigins: ['http://localhost'], secureCookies: false, logger });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const servers = new HqServerDirectory({});
  return createApp({ pool, db, auth, keyRing: KeyRing.parse(`k:${Buffer.alloc(32).toString('base64')}`), logger, servers, trustedOrigins: ['http://localhost'], origin: 'http://localhost', oauthProviders: [], warehousePool: pool, schemaTtlSeconds: 3600, ...(webRoot ? { webRoot } : {}) });
}

describe('health', () => {
  it('reports ok when the database answers', async () => {
    const response = await fetch(`${scout.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', db: 'ok' });
  });

  it('answers 503 when the database is unreachable', async () => {
    const pool = new pg.Pool({ host: '127.0.0.1', port: await findFreePort(), user: 'x', password: 'x', database: 'x', connectionTimeoutMillis: 500 });
    pool.on('error', () => undefined);
    const response = await appWith(pool).request('/healthz');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unavailable', db: 'unreachable' });
    await pool.end();
  });
});

describe('error shape', () => {
  it('answers unknown API routes with 404 JSON, with or without a trailing slash', async () => {
    for (const route of ['/api/does-not-exist', '/api/does-not-exist/']) {
      const response = await fetch(`${scout.baseUrl}${route}`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/application\/json/);
      expect(await response.json()).toEqual({ error: 'No API route matches GET /api/does-not-exist', code: 'NOT_FOUND' });
    }
  });

  it('refuses request bodies over 1 MB with 413 before reading them, on the API and MCP', async () => {
    const big = JSON.stringify({ name: 'x', email: 'big@example.org', password: 'y'.repeat(1024 * 1024) });
    for (const path of ['/api/auth/sign-up/email', '/mcp']) {
      // Its own connection: the server closes it after refusing, which would break a pooled one for later tests.
      const { status, body } = await postOnce(`${scout.baseUrl}${path}`, big);
      expect(status).toBe(413);
      expect(JSON.parse(body)).toEqual({ error: 'The request body is larger than 1024 kB', code: 'VALIDATION_ERROR' });
    }
  });

  it('accepts a trailing slash on existing routes', async () => {
    expect((await fetch(`${scout.baseUrl}/api/me/`)).status).toBe(401);
  });

  it('answers an unexpected error with 500, a request id and no internals, and logs the stack', async () => {
    const lines: string[] = [];
    const app = appWith(scout.database.pool, undefined, lines);
    app.get('/api/explode', () => {
      throw new Error('connection string postgres://admin:hunter2@db leaked');
    });
    const response = await app.request('/api/explode');
    expect(response.status).toBe(500);
    const body = await response.json();
    expect(body.code).toBe('INTERNAL_ERROR');
    expect(body.requestId).toBe(response.headers.get('x-request-id'));
    expect(JSON.stringify(body)).not.toContain('hunter2');
    const logged = lines.join('');
    expect(logged).toContain(body.requestId);
    expect(logged).toContain('"status":500');
  });

  it('logs method, path, status and duration for each request but never a body or cookie', async () => {
    const client = new HttpClient(scout.baseUrl);
    await client.post('/api/auth/sign-up/email', { name: 'Log Check', email: `log-${Date.now()}@example.org`, password: 'Body-Secret-77' });
    await client.get('/api/me');
    const requestLines = scout.logs.filter((line) => line.includes('"msg":"request"')).map((line) => JSON.parse(line));
    const me = requestLines.filter((line) => line.path === '/api/me').at(-1);
    expect(me).toMatchObject({ method: 'GET', path: '/api/me', status: 200, requestId: expect.any(String), durationMs: expect.any(Number) });
    const all = scout.logs.join('');
    expect(all).not.toContain('Body-Secret-77');
    expect(all).not.toContain('session_token');
  });
});

describe('web app', () => {
  let webRoot: string;
  beforeAll(async () => {
    webRoot = await mkdtemp(path.join(tmpdir(), 'scout-web-'));
    await mkdir(path.join(webRoot, 'assets'));
    await writeFile(path.join(webRoot, 'index.html'), '<!doctype html><title>Scout</title><div id="root"></div>');
    await writeFile(path.join(webRoot, 'assets', 'app-abc123.js'), 'console.log(1)');
  });
  afterAll(async () => {
    await rm(webRoot, { recursive: true, force: true });
  });

  it('serves hashed assets with a long cache and deep links with index.html', async () => {
    const app = appWith(scout.database.pool, webRoot);
    const asset = await app.request('/assets/app-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const deepLink = await app.request('/settings/connections', { headers: { accept: 'text/html' } });
    expect(deepLink.status).toBe(200);
    expect(deepLink.headers.get('cache-control')).toBe('no-cache');
    expect(await deepLink.text()).toContain('<div id="root">');
  });

  it('serves the app itself at the root, as HTML that is always revalidated', async () => {
    const root = await appWith(scout.database.pool, webRoot).request('/', { headers: { accept: 'text/html' } });
    expect(root.status).toBe(200);
    expect(root.headers.get('content-type')).toMatch(/text\/html/);
    expect(root.headers.get('cache-control')).toBe('no-cache');
  });

  it('keeps JSON 404s for API paths even with the web app mounted', async () => {
    const app = appWith(scout.database.pool, webRoot);
    const response = await app.request('/api/nothing', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(404);
    expect((await response.json()).code).toBe('NOT_FOUND');
  });

  it('refuses cross-origin writes to the API', async () => {
    const response = await fetch(`${scout.baseUrl}/api/auth/sign-out`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'text/plain' }, body: '{}' });
    expect(response.status).toBe(403);
    expect((await response.json()).code).toBe('FORBIDDEN');
  });
});

/** POSTs on a fresh connection (no keep-alive pool) and reads the answer even if the server stops reading the body. */
function postOnce(url: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), origin: new URL(url).origin } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    // The server may hang up before the body is sent: the answer has already come.
    request.on('error', (error) => (error as NodeJS.ErrnoException).code === 'EPIPE' || (error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error));
    request.end(body);
  });
}
