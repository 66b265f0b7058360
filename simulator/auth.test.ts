import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AUTH, DOMAIN, startTestSimulator, type TestSimulator } from './test-support';

/** Authentication and authorization as HQ does them, and the OAuth2 server. */

const OTHER = 'other-project';
const REDIRECT = 'http://localhost:3999/auth/commcare/callback';
const DATA_PATHS = [`/a/${DOMAIN}/api/case/v2/`, `/a/${DOMAIN}/api/v0.5/case/`, `/a/${DOMAIN}/api/v0.5/form/`, `/a/${DOMAIN}/api/v0.5/application/`];

async function statusAndBody(response: Response): Promise<[number, string]> {
  return [response.status, await response.text()];
}

interface Tokens {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
  scope: string;
}

/** Drives the authorize page like a browser: sign in, then Allow (or Deny). Returns the redirect URL. */
async function authorize(sim: TestSimulator, query: Record<string, string>, decision = 'allow', password = 'demo-password'): Promise<URL> {
  const url = `${sim.url}/oauth/authorize/?${new URLSearchParams({ response_type: 'code', client_id: 'scout', redirect_uri: REDIRECT, ...query })}`;
  const page = await fetch(url);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('name="password"');
  const login = await fetch(url, { method: 'POST', body: new URLSearchParams({ step: 'login', username: 'demo@example.com', password }) });
  const consent = await login.text();
  const ticket = /name="ticket" value="([^"]+)"/.exec(consent)?.[1];
  if (!ticket) throw new Error(`no consent page: ${consent}`);
  expect(consent).toContain('Allow');
  const decided = await fetch(url, { method: 'POST', body: new URLSearchParams({ step: 'consent', ticket, decision }), redirect: 'manual' });
  expect(decided.status).toBe(302);
  return new URL(decided.headers.get('location')!);
}

async function token(sim: TestSimulator, body: Record<string, string>): Promise<Response> {
  return fetch(`${sim.url}/oauth/token/`, { method: 'POST', body: new URLSearchParams(body) });
}

const pkce = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

describe('API authentication', () => {
  let sim: TestSimulator;

  beforeAll(async () => {
    sim = await startTestSimulator({ cases: 40, domains: [DOMAIN, OTHER] });
  });
  afterAll(() => sim.close());

  it('answers 401 with an empty body and no challenge to a wrong API key or token', async () => {
    const attempts: Record<string, string>[] = [{ Authorization: 'ApiKey demo@example.com:wrong' }, { Authorization: 'ApiKey nobody@example.com:demo-key' }, { Authorization: 'Bearer nope' }, { Authorization: 'ApiKey demo-key' }];
    for (const headers of attempts) {
      for (const path of [...DATA_PATHS, '/api/v0.5/identity/']) {
        const response = await sim.get(path, headers);
        expect(await statusAndBody(response)).toEqual([401, '']);
        expect(response.headers.get('www-authenticate')).toBeNull();
      }
    }
  });

  it('challenges with Digest when there are no credentials (HQ default), and with Basic after a wrong password', async () => {
    for (const path of DATA_PATHS) {
      const bare = await sim.get(path, {});
      expect(await statusAndBody(bare)).toEqual([401, 'Authorization Required']);
      expect(bare.headers.get('content-type')).toContain('text/plain');
      expect(bare.headers.get('www-authenticate')).toMatch(/^Digest realm="DJANGO", qop="auth", nonce="[\d.]+:[0-9A-F]{4}:[0-9a-f]{32}", opaque="[0-9A-F]{32}", algorithm="MD5", stale="false"$/);
      const basic = await sim.get(path, { Authorization: `Basic ${Buffer.from('demo@example.com:nope').toString('base64')}` });
      expect(await statusAndBody(basic)).toEqual([401, '']);
      expect(basic.headers.get('www-authenticate')).toBe('Basic realm=""');
    }
    // Identity uses LoginAuthentication: a bare 401, no challenge.
    const identity = await sim.get('/api/v0.5/identity/', {});
    expect(await statusAndBody(identity)).toEqual([401, '']);
    expect(identity.headers.get('www-authenticate')).toBeNull();
  });

  it('answers 401 on user_domains with HQ plain-text message', async () => {
    const response = await sim.get('/api/v0.5/user_domains/', { Authorization: 'ApiKey demo@example.com:wrong' });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toBe('Username or API Key is incorrect, expired or deactivated');
  });

  it('accepts the ApiKey scheme in any case, and Basic with the password', async () => {
    for (const scheme of ['ApiKey', 'apikey', 'APIKEY', 'apiKey']) {
      expect((await sim.get(DATA_PATHS[0]!, { Authorization: `${scheme} demo@example.com:demo-key` })).status).toBe(200);
    }
    expect((await sim.get(DATA_PATHS[0]!, { Authorization: 'ApiKey DEMO@example.com:demo-key' })).status).toBe(200);
    const basic = Buffer.from('demo@example.com:demo-password').toString('base64');
    expect((await sim.get(DATA_PATHS[0]!, { Authorization: `Basic ${basic}` })).status).toBe(200);
    const wrong = Buffer.from('demo@example.com:demo-key').toString('base64');
    expect((await sim.get(DATA_PATHS[0]!, { Authorization: `Basic ${wrong}` })).status).toBe(401);
  });

  it('answers 403 with an empty body to a user who is not a member of the domain', async () => {
    for (const path of DATA_PATHS) {
      expect(await statusAndBody(await sim.get(path, { Authorization: 'ApiKey outsider@example.com:outsider-key' }))).toEqual([403, '']);
      const otherPath = path.replace(DOMAIN, OTHER);
      expect(await statusAndBody(await sim.get(otherPath, { Authorization: 'ApiKey limited@example.com:limited-key' }))).toEqual([403, '']);
      expect((await sim.get(path, { Authorization: 'ApiKey limited@example.com:limited-key' })).status).toBe(200);
    }
  });

  it('answers 404 for a domain that does not exist', async () => {
    for (const path of DATA_PATHS) expect((await sim.get(path.replace(DOMAIN, 'no-such-domain'))).status).toBe(404);
  });

  it('tells each user who they are and which domains they belong to', async () => {
    expect(await sim.json('/api/v0.5/identity/')).toEqual({
      email: 'demo@example.com',
      first_name: 'Demo',
      id: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown,
      last_name: 'User',
      username: 'demo@example.com',
    });
    expect(await sim.json('/api/v0.5/user_domains/')).toEqual({
      meta: { total_count: 2 },
      objects: [
        { domain_name: DOMAIN, project_name: 'Demo Clinic' },
        { domain_name: OTHER, project_name: 'Other Project' },
      ],
    });
    expect(await sim.json('/api/user_domains/v1/', { Authorization: 'ApiKey limited@example.com:limited-key' })).toEqual({
      meta: { total_count: 1 },
      objects: [{ domain_name: DOMAIN, project_name: 'Demo Clinic' }],
    });
    expect(await sim.json('/api/user_domains/v1/', { Authorization: 'ApiKey outsider@example.com:outsider-key' })).toEqual({ meta: { total_count: 0 }, objects: [] });
  });
});

describe('OAuth2', () => {
  let sim: TestSimulator;

  beforeAll(async () => {
    sim = await startTestSimulator({ cases: 40 });
  });
  afterAll(() => sim.close());

  it('runs the authorization code flow with PKCE S256 and issues bearer tokens that work on the API', async () => {
    const verifier = 'a-very-long-verifier-string-with-enough-entropy-0123456789';
    const redirect = await authorize(sim, { state: 'st4te', scope: 'access_apis', code_challenge: pkce(verifier), code_challenge_method: 'S256' });
    expect(redirect.origin + redirect.pathname).toBe(REDIRECT);
    expect(redirect.searchParams.get('state')).toBe('st4te');
    const code = redirect.searchParams.get('code')!;

    const wrongVerifier = await token(sim, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: 'scout', code_verifier: 'wrong' });
    expect(wrongVerifier.status).toBe(400);
    expect(await wrongVerifier.json()).toMatchObject({ error: 'invalid_grant' });

    // The failed attempt used the code up: get a fresh one.
    const again = await authorize(sim, { scope: 'access_apis', code_challenge: pkce(verifier), code_challenge_method: 'S256' });
    const body = { grant_type: 'authorization_code', code: again.searchParams.get('code')!, redirect_uri: REDIRECT, client_id: 'scout', client_secret: 'scout-secret', code_verifier: verifier };
    const response = await token(sim, body);
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as Tokens;
    expect(tokens).toEqual({ access_token: expect.any(String) as unknown, token_type: 'Bearer', expires_in: 900, refresh_token: expect.any(String) as unknown, scope: 'access_apis' });

    const bearer = { Authorization: `Bearer ${tokens.access_token}` };
    expect((await sim.json('/api/v0.5/identity/', bearer)).username).toBe('demo@example.com');
    expect((await sim.get(`/a/${DOMAIN}/api/case/v2/`, bearer)).status).toBe(200);

    const reused = await token(sim, body);
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('supports the plain PKCE method and clients without a secret', async () => {
    const redirect = await authorize(sim, { client_id: 'some-dev-client', code_challenge: 'plain-verifier-value', code_challenge_method: 'plain' });
    const response = await token(sim, { grant_type: 'authorization_code', code: redirect.searchParams.get('code')!, client_id: 'some-dev-client', code_verifier: 'plain-verifier-value' });
    expect(response.status).toBe(200);
  });

  it('authenticates clients by HTTP Basic and rejects a wrong secret for a registered client', async () => {
    const redirect = await authorize(sim, {});
    const code = redirect.searchParams.get('code')!;
    const wrong = await fetch(`${sim.url}/oauth/token/`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from('scout:not-the-secret').toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code }),
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
    const fresh = (await authorize(sim, {})).searchParams.get('code')!;
    const right = await fetch(`${sim.url}/oauth/token/`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from('scout:scout-secret').toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: fresh, redirect_uri: REDIRECT }),
    });
    expect(right.status).toBe(200);
  });

  it('rotates refresh tokens: the new pair works, the old pair does not', async () => {
    const code = (await authorize(sim, {})).searchParams.get('code')!;
    const first = (await (await token(sim, { grant_type: 'authorization_code', code, client_id: 'scout' })).json()) as Tokens;
    const refreshed = await token(sim, { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: 'scout' });
    expect(refreshed.status).toBe(200);
    const second = (await refreshed.json()) as Tokens;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect((await sim.get(`/a/${DOMAIN}/api/case/v2/`, { Authorization: `Bearer ${second.access_token}` })).status).toBe(200);
    expect((await sim.get(`/a/${DOMAIN}/api/case/v2/`, { Authorization: `Bearer ${first.access_token}` })).status).toBe(401);
    const replay = await token(sim, { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: 'scout' });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('expires access tokens (401) and lets the refresh token recover', async () => {
    const code = (await authorize(sim, {})).searchParams.get('code')!;
    const tokens = (await (await token(sim, { grant_type: 'authorization_code', code, client_id: 'scout' })).json()) as Tokens;
    const bearer = { Authorization: `Bearer ${tokens.access_token}` };
    expect((await sim.get(`/a/${DOMAIN}/api/case/v2/`, bearer)).status).toBe(200);
    const expired = await sim.post('/_sim/tokens/expire', { access_token: tokens.access_token });
    expect(await expired.json()).toEqual({ expired: 1 });
    expect(await statusAndBody(await sim.get(`/a/${DOMAIN}/api/case/v2/`, bearer))).toEqual([401, '']);
    expect((await sim.get('/api/v0.5/identity/', bearer)).status).toBe(401);
    const refreshed = (await (await token(sim, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: 'scout' })).json()) as Tokens;
    expect((await sim.get(`/a/${DOMAIN}/api/case/v2/`, { Authorization: `Bearer ${refreshed.access_token}` })).status).toBe(200);
  });

  it('issues already-expired tokens when the lifetime is 0', async () => {
    const shortLived = await startTestSimulator({ cases: 10, accessTokenTtlSeconds: 0 });
    try {
      const code = (await authorize(shortLived, {})).searchParams.get('code')!;
      const tokens = (await (await token(shortLived, { grant_type: 'authorization_code', code, client_id: 'scout' })).json()) as Tokens;
      expect(tokens.expires_in).toBe(0);
      expect((await shortLived.get('/api/v0.5/identity/', { Authorization: `Bearer ${tokens.access_token}` })).status).toBe(401);
    } finally {
      await shortLived.close();
    }
  });

  it('limits a reports:view-only token to identity (403 on data)', async () => {
    const code = (await authorize(sim, { scope: 'reports:view' })).searchParams.get('code')!;
    const tokens = (await (await token(sim, { grant_type: 'authorization_code', code, client_id: 'scout' })).json()) as Tokens;
    expect(tokens.scope).toBe('reports:view');
    const bearer = { Authorization: `Bearer ${tokens.access_token}` };
    expect((await sim.get('/api/v0.5/identity/', bearer)).status).toBe(200);
    expect(await statusAndBody(await sim.get(`/a/${DOMAIN}/api/case/v2/`, bearer))).toEqual([403, '']);
  });

  it('handles wrong passwords, denial, bad scopes and bad requests', async () => {
    const url = `${sim.url}/oauth/authorize/?${new URLSearchParams({ response_type: 'code', client_id: 'scout', redirect_uri: REDIRECT, state: 's' })}`;
    const wrong = await fetch(url, { method: 'POST', body: new URLSearchParams({ step: 'login', username: 'demo@example.com', password: 'nope' }) });
    const html = await wrong.text();
    expect(html).toContain('Please enter a correct username and password.');
    expect(html).not.toContain('name="ticket"');

    const denied = await authorize(sim, { state: 's' }, 'deny');
    expect(Object.fromEntries(denied.searchParams)).toEqual({ error: 'access_denied', state: 's' });

    const badScope = await fetch(`${sim.url}/oauth/authorize/?${new URLSearchParams({ response_type: 'code', client_id: 'scout', redirect_uri: REDIRECT, scope: 'everything', state: 's' })}`, {
      redirect: 'manual',
    });
    expect(badScope.status).toBe(302);
    expect(new URL(badScope.headers.get('location')!).searchParams.get('error')).toBe('invalid_scope');

    expect((await fetch(`${sim.url}/oauth/authorize/?response_type=code&client_id=scout`)).status).toBe(400);
    const grant = await token(sim, { grant_type: 'password', client_id: 'scout' });
    expect(grant.status).toBe(400);
    expect(await grant.json()).toEqual({ error: 'unsupported_grant_type' });
  });

  it('keeps the API key path working alongside OAuth', async () => {
    expect((await sim.get(`/a/${DOMAIN}/api/case/v2/`, DEMO_AUTH)).status).toBe(200);
  });
});
