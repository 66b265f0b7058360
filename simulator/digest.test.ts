import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDigestParts } from './digest';
import { DOMAIN, startTestSimulator, type TestSimulator } from './test-support';

/** HTTP Digest as django-digest does it, computed by hand (RFC 2617, MD5, qop=auth). */

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const PATH = `/a/${DOMAIN}/api/v0.5/case/`;

interface Challenge {
  realm: string;
  nonce: string;
  opaque: string;
}

async function challengeOf(sim: TestSimulator, path = PATH): Promise<Challenge> {
  const response = await sim.get(path, {});
  expect(response.status).toBe(401);
  const header = response.headers.get('www-authenticate')!;
  expect(header.startsWith('Digest ')).toBe(true);
  const parts = parseDigestParts(header.slice('Digest '.length))!;
  return { realm: parts.realm!, nonce: parts.nonce!, opaque: parts.opaque! };
}

function authorization(challenge: Challenge, options: { username?: string; password?: string; uri?: string; nc?: number; method?: string } = {}): string {
  const { username = 'demo@example.com', password = 'demo-password', uri = PATH, nc = 1, method = 'GET' } = options;
  const cnonce = '0a4f113b';
  const ncHex = nc.toString(16).padStart(8, '0');
  const ha1 = md5(`${username}:${challenge.realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  const response = md5(`${ha1}:${challenge.nonce}:${ncHex}:${cnonce}:auth:${ha2}`);
  return `Digest username="${username}", realm="${challenge.realm}", nonce="${challenge.nonce}", uri="${uri}", response="${response}", algorithm="MD5", opaque="${challenge.opaque}", qop="auth", nc=${ncHex}, cnonce="${cnonce}"`;
}

describe('HTTP Digest authentication', () => {
  let sim: TestSimulator;

  beforeAll(async () => {
    sim = await startTestSimulator({ cases: 40, domains: [DOMAIN, 'other-project'] });
  });
  afterAll(() => sim.close());

  it("challenges like django-digest: realm DJANGO, qop auth, MD5, a signed nonce and an opaque", async () => {
    const challenge = await challengeOf(sim);
    expect(challenge.realm).toBe('DJANGO');
    expect(challenge.nonce).toMatch(/^\d+(\.\d+)?:[0-9A-F]{4}:[0-9a-f]{32}$/);
    expect(challenge.opaque).toMatch(/^[0-9A-F]{32}$/);
  });

  it('accepts a hand-computed response, on the data APIs and on identity', async () => {
    const challenge = await challengeOf(sim);
    const response = await sim.get(PATH, { Authorization: authorization(challenge) });
    expect(response.status).toBe(200);
    expect((await response.json()) as { objects: unknown[] }).toHaveProperty('objects');
    // The same nonce goes on with a higher nonce count, for another path too.
    const identity = await sim.get('/api/v0.5/identity/', { Authorization: authorization(challenge, { uri: '/api/v0.5/identity/', nc: 2 }) });
    expect(await identity.json()).toMatchObject({ username: 'demo@example.com' });
  });

  it('refuses a wrong password with a fresh challenge', async () => {
    const challenge = await challengeOf(sim);
    const response = await sim.get(PATH, { Authorization: authorization(challenge, { password: 'demo-key' }) });
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('Authorization Required');
    expect(response.headers.get('www-authenticate')).toMatch(/^Digest realm="DJANGO"/);
  });

  it('refuses a bogus nonce, a replayed nonce count, another path and another realm', async () => {
    const challenge = await challengeOf(sim);
    const bogus = { ...challenge, nonce: `${Date.now() / 1000}:ABCD:${'0'.repeat(32)}` };
    expect((await sim.get(PATH, { Authorization: authorization(bogus) })).status).toBe(401);

    expect((await sim.get(PATH, { Authorization: authorization(challenge, { nc: 5 }) })).status).toBe(200);
    expect((await sim.get(PATH, { Authorization: authorization(challenge, { nc: 5 }) })).status).toBe(401);
    expect((await sim.get(PATH, { Authorization: authorization(challenge, { nc: 4 }) })).status).toBe(401);
    expect((await sim.get(PATH, { Authorization: authorization(challenge, { nc: 6 }) })).status).toBe(200);

    // The digest covers the uri, which must be the path requested.
    expect((await sim.get(`/a/${DOMAIN}/api/v0.5/form/`, { Authorization: authorization(challenge, { nc: 7 }) })).status).toBe(401);
    expect((await sim.get(PATH, { Authorization: authorization({ ...challenge, realm: 'OTHER' }, { nc: 8 }) })).status).toBe(401);
  });

  it('refuses a truncated or malformed header', async () => {
    const challenge = await challengeOf(sim);
    const full = authorization(challenge);
    for (const header of [full.replace(/, cnonce="[^"]*"/, ''), 'Digest username="demo@example.com"', 'Digest ===', `Digest ${'x'.repeat(5000)}`]) {
      expect((await sim.get(PATH, { Authorization: header })).status).toBe(401);
    }
  });

  it('challenges a Digest user who is not a member, instead of a 403', async () => {
    const challenge = await challengeOf(sim);
    const path = `/a/other-project/api/v0.5/case/`;
    const response = await sim.get(path, { Authorization: authorization(challenge, { username: 'limited@example.com', password: 'limited-password', uri: path }) });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Digest /);
  });

  it('refuses a stale nonce when opening a session', async () => {
    const stale = await startTestSimulator({ cases: 10, digestNonceTimeoutSeconds: 0 });
    try {
      const challenge = await challengeOf(stale);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect((await stale.get(PATH, { Authorization: authorization(challenge) })).status).toBe(401);
    } finally {
      await stale.close();
    }
  });
});
