import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CommCareClient } from './client';
import { CommCareError, CommCareForeignLinkError } from './errors';

/**
 * A fake HQ whose first page links to "the next page" in the forms an
 * attacker (or a misconfigured proxy) can produce, and a listener on another
 * port standing for evil.example: it must never see a request, let alone the key.
 */
let hq: Server;
let listener: Server;
let hqPort: number;
let listenerPort: number;
let nextLink = '';
const hqRequests: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
const listenerRequests: Array<{ url: string; headers: IncomingHttpHeaders }> = [];

const KEY = 'jane@example.org:secret-api-key-123';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

beforeAll(async () => {
  listener = createServer((req, res) => {
    listenerRequests.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ cases: [], next: null }));
  });
  hq = createServer((req, res) => {
    hqRequests.push({ url: req.url ?? '', headers: req.headers });
    if (!req.url?.startsWith('/a/demo/api/case/v2/')) return res.writeHead(404).end('{}');
    const first = !req.url.includes('page=2');
    const body = first
      ? { matching_records: 2, cases: [{ case_id: 'c1', indexed_on: '2026-01-01T00:00:00.000000Z' }], next: nextLink }
      : { matching_records: 2, cases: [{ case_id: 'c2', indexed_on: '2026-01-02T00:00:00.000000Z' }], next: null };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  [hqPort, listenerPort] = await Promise.all([listen(hq), listen(listener)]);
});
afterAll(async () => {
  await Promise.all([new Promise((r) => hq.close(r)), new Promise((r) => listener.close(r))]);
});
beforeEach(() => {
  hqRequests.length = 0;
  listenerRequests.length = 0;
});

function client() {
  const [username, apiKey] = KEY.split(/:(?=[^:]*$)/) as [string, string];
  return new CommCareClient({ baseUrl: `http://127.0.0.1:${hqPort}`, credentials: { kind: 'api_key', username, apiKey }, retry: { maxAttempts: 1 } });
}

async function drain(): Promise<{ ids: string[]; error?: unknown }> {
  const ids: string[] = [];
  try {
    for await (const page of client().cases('demo')) ids.push(...page.records.map((r) => r.case_id));
    return { ids };
  } catch (error) {
    return { ids, error };
  }
}

describe('next links from HQ', () => {
  const evil = () => `127.0.0.1:${listenerPort}/x`;
  const foreign: Array<[string, () => string]> = [
    ['an absolute link to another host', () => `http://${evil()}`],
    ['a scheme-relative link with three slashes', () => `///${evil()}`],
    ['a scheme-relative link with two slashes', () => `//${evil()}`],
    ['a leading space', () => ` http://${evil()}`],
    ['a leading tab', () => `\thttp://${evil()}`],
    ['backslashes', () => `\\\\${evil()}`],
    ['mixed slashes', () => `/\\${evil()}`],
    ['another scheme without slashes', () => `https:${evil()}`],
    ['the same host on another port', () => `http://127.0.0.1:${listenerPort}/a/demo/api/case/v2/?page=2`],
  ];

  it.each(foreign)('refuses %s before sending anything', async (_name, link) => {
    nextLink = link();
    const { ids, error } = await drain();
    expect(error).toBeInstanceOf(CommCareForeignLinkError);
    expect((error as Error).message).not.toContain('secret-api-key');
    expect(listenerRequests).toEqual([]);
    expect(ids).toEqual([]);
    expect(hqRequests).toHaveLength(1);
  });

  it('reads "http:host/x" as a path on HQ itself, as a URL parser does, and never reaches the host', async () => {
    nextLink = `http:${evil()}`;
    const { error } = await drain();
    expect(error).toBeInstanceOf(CommCareError);
    expect(listenerRequests).toEqual([]);
    expect(hqRequests.every((r) => r.headers.host === `127.0.0.1:${hqPort}`)).toBe(true);
  });

  it.each([
    ['an absolute link on the configured origin', () => `http://127.0.0.1:${hqPort}/a/demo/api/case/v2/?page=2`],
    ['an absolute path', () => '/a/demo/api/case/v2/?page=2'],
    ['a query-only link', () => '?page=2'],
  ])('follows %s with the key', async (_name, link) => {
    nextLink = link();
    const { ids, error } = await drain();
    expect(error).toBeUndefined();
    expect(ids).toEqual(['c1', 'c2']);
    expect(hqRequests[1]).toMatchObject({ url: '/a/demo/api/case/v2/?page=2', headers: { authorization: `ApiKey ${KEY}` } });
    expect(listenerRequests).toEqual([]);
  });
});
