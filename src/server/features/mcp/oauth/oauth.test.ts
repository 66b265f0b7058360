import { createHash, randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { auth, UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpConsentRequest, McpOAuthClientSummary } from '../../../../shared/mcp';
import type { ToolEnvelope } from '../../../../shared/tools';
import { connectDomain, syncDomain } from '../../../../../test/support/runs';
import { HttpClient, startScoutWithSimulator, type SimulatedScout } from '../../../../../test/support/scout';

/**
 * Scout as the OAuth 2.1 authorization server of its own MCP endpoint, driven
 * the way an MCP client drives it: the official SDK's client discovers
 * everything from the 401, registers itself, and sends "the browser" (a
 * signed-in HTTP client here; e2e/mcp-oauth.test.ts does it in Chromium) to
 * authorize and consent.
 */
const REDIRECT = 'http://127.0.0.1:8976/callback';
const REGISTRATIONS_PER_MINUTE = 12;
const TOKEN_REQUESTS_PER_MINUTE = 40;
let scout: SimulatedScout;

interface Member {
  browser: HttpClient;
  demo: string;
  other: string;
}

async function signUpWithDomains(): Promise<Member> {
  const browser = new HttpClient(scout.baseUrl);
  await browser.post('/api/auth/sign-up/email', { name: 'OAuth User', email: `oauth-${Math.random().toString(36).slice(2)}@example.org`, password: 'oauth-user-pass-1' });
  return { browser, demo: await connectDomain(browser, 'demo-clinic'), other: await connectDomain(browser, 'other-clinic') };
}

/** An MCP client's OAuth state, in memory; `authorizationUrl` is where it would open the browser. */
class TestProvider implements OAuthClientProvider {
  client: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = '';
  authorizationUrl: URL | undefined;
  constructor(private readonly name = 'SDK test client') {}
  get redirectUrl() {
    return REDIRECT;
  }
  get clientMetadata(): OAuthClientMetadata {
    return { client_name: this.name, redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none', application_type: 'native' } as OAuthClientMetadata;
  }
  state() {
    return 'state-' + randomBytes(8).toString('hex');
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.client = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

/** The browser's part: authorize (signed in) → Scout's consent page → the answer → the redirect with a code. */
async function consentInBrowser(browser: HttpClient, authorizationUrl: URL, answer: { accept: boolean; membership_ids: string[]; allow_sync?: boolean }) {
  const authorize = await browser.get(`${authorizationUrl.pathname}${authorizationUrl.search}`);
  expect(authorize.status).toBe(200);
  const { url } = (await authorize.json()) as { url: string };
  const consentPage = new URL(url, scout.baseUrl);
  expect(consentPage.pathname).toBe('/oauth/consent');
  const oauthQuery = consentPage.search.slice(1);
  const request = await browser.get(`/api/mcp/oauth/consent?${oauthQuery}`);
  expect(request.status).toBe(200);
  const consent = await browser.post('/api/mcp/oauth/consent', { oauth_query: oauthQuery, allow_sync: false, ...answer });
  return { request: (await request.json()) as McpConsentRequest, consent, oauthQuery };
}

function codeFrom(redirectUri: string, state: string | null): string {
  const url = new URL(redirectUri);
  expect(`${url.origin}${url.pathname}`).toBe(REDIRECT);
  expect(url.searchParams.get('state')).toBe(state);
  return url.searchParams.get('code')!;
}

/** Connects the SDK client through the whole flow; answers the connected client and its state. */
async function signInWithOAuth(member: Member, membershipIds: string[], options: { path?: string; allowSync?: boolean } = {}) {
  const provider = new TestProvider();
  const serverUrl = new URL(`${scout.baseUrl}${options.path ?? '/mcp'}`);
  const first = new Client({ name: 'oauth-test', version: '1.0.0' });
  await expect(first.connect(new StreamableHTTPClientTransport(serverUrl, { authProvider: provider }))).rejects.toBeInstanceOf(UnauthorizedError);
  expect(provider.authorizationUrl).toBeDefined();
  const { consent, request } = await consentInBrowser(member.browser, provider.authorizationUrl!, { accept: true, membership_ids: membershipIds, allow_sync: options.allowSync ?? false });
  expect(consent.status).toBe(200);
  const code = codeFrom(((await consent.json()) as { redirect_uri: string }).redirect_uri, provider.authorizationUrl!.searchParams.get('state'));
  const transport = new StreamableHTTPClientTransport(serverUrl, { authProvider: provider });
  await transport.finishAuth(code);
  const client = new Client({ name: 'oauth-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(serverUrl, { authProvider: provider }));
  return { client, provider, request };
}

function envelope(result: Awaited<ReturnType<Client['callTool']>>): ToolEnvelope {
  return JSON.parse(((result as CallToolResult).content[0] as { text: string }).text) as ToolEnvelope;
}

function rpc(path: string, token: string | undefined, method = 'tools/list') {
  return fetch(`${scout.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: {} }),
  });
}

function tokenRequest(body: Record<string, string>) {
  return fetch(`${scout.baseUrl}/api/auth/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) });
}

function register(metadata: Record<string, unknown> = {}) {
  return fetch(`${scout.baseUrl}/api/auth/oauth2/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'Raw client', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], application_type: 'native', ...metadata }),
  });
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeQuery(clientId: string, extra: Record<string, string> = {}) {
  return new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, state: 'raw-state', scope: 'mcp:tools offline_access', resource: `${scout.baseUrl}/mcp`, ...extra });
}

beforeAll(async () => {
  scout = await startScoutWithSimulator(
    { domains: ['demo-clinic', 'other-clinic'], cases: 8, formsPerCase: 1 },
    { worker: true, env: { SCOUT_MCP_REGISTRATIONS_PER_MINUTE: String(REGISTRATIONS_PER_MINUTE), SCOUT_MCP_TOKEN_REQUESTS_PER_MINUTE: String(TOKEN_REQUESTS_PER_MINUTE) } },
  );
}, 60_000);

afterAll(async () => {
  await scout?.stop();
});

describe('discovery', () => {
  it('answers /mcp without a token with a 401 that points to the protected-resource metadata, which points to the authorization server', async () => {
    const response = await rpc('/mcp', undefined);
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate')!;
    expect(challenge).toContain(`resource_metadata="${scout.baseUrl}/.well-known/oauth-protected-resource/mcp"`);
    expect(challenge).toContain('scope="mcp:tools mcp:sync offline_access"');

    for (const path of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
      const metadata = (await (await fetch(`${scout.baseUrl}${path}`)).json()) as Record<string, unknown>;
      expect(metadata).toMatchObject({ resource: `${scout.baseUrl}/mcp`, authorization_servers: [`${scout.baseUrl}/api/auth`], scopes_supported: ['mcp:tools', 'mcp:sync'] });
    }
    for (const path of ['/.well-known/oauth-protected-resource/mcp/some-domain-id']) {
      expect(((await (await fetch(`${scout.baseUrl}${path}`)).json()) as { resource: string }).resource).toBe(`${scout.baseUrl}/mcp`);
    }
    for (const path of ['/.well-known/oauth-authorization-server/api/auth', '/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const server = (await (await fetch(`${scout.baseUrl}${path}`)).json()) as Record<string, unknown>;
      expect(server).toMatchObject({
        issuer: `${scout.baseUrl}/api/auth`,
        authorization_endpoint: `${scout.baseUrl}/api/auth/oauth2/authorize`,
        token_endpoint: `${scout.baseUrl}/api/auth/oauth2/token`,
        registration_endpoint: `${scout.baseUrl}/api/auth/oauth2/register`,
        revocation_endpoint: `${scout.baseUrl}/api/auth/oauth2/revoke`,
        code_challenge_methods_supported: ['S256'],
      });
    }
  });
});

describe('the whole flow with the SDK client', () => {
  let member: Member;
  beforeAll(async () => {
    member = await signUpWithDomains();
    await syncDomain(member.browser, member.demo);
    await syncDomain(member.browser, member.other);
  }, 60_000);

  it('registers, signs in, consents to one domain, calls tools there, refreshes with rotation, and stops at once when revoked', { timeout: 30_000 }, async () => {
    const { client, provider, request } = await signInWithOAuth(member, [member.demo]);
    // The consent page knew the client by the name it registered with, and the user's two domains.
    expect(request.client).toMatchObject({ name: 'SDK test client', redirect_host: '127.0.0.1:8976' });
    expect(request.domains.map((d) => d.domain).sort()).toEqual(['demo-clinic', 'other-clinic']);

    // Not allowed to sync: the tool is not even listed, and calling it is refused.
    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools).toContain('query');
    expect(tools).not.toContain('run_materialization');
    const refused = envelope(await client.callTool({ name: 'run_materialization', arguments: {} }));
    expect(refused).toMatchObject({ success: false, error: { code: 'FORBIDDEN' } });
    const metadata = envelope(await client.callTool({ name: 'get_metadata', arguments: {} }));
    expect(metadata).toMatchObject({ success: true, tenant_id: 'demo-clinic' });

    // The access token is a JWT for this resource, from this issuer, with the granted scopes only.
    const access = provider.saved!.access_token;
    const claims = JSON.parse(Buffer.from(access.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ aud: `${scout.baseUrl}/mcp`, iss: `${scout.baseUrl}/api/auth`, scope: 'mcp:tools offline_access' });

    // Refresh: a new access token and a rotated refresh token.
    const before = provider.saved!;
    expect(await auth(provider, { serverUrl: `${scout.baseUrl}/mcp` })).toBe('AUTHORIZED');
    expect(provider.saved!.refresh_token).toBeDefined();
    expect(provider.saved!.refresh_token).not.toBe(before.refresh_token);
    expect(provider.saved!.access_token).not.toBe(before.access_token);
    expect((await rpc('/mcp', provider.saved!.access_token)).status).toBe(200);

    // Settings → MCP access lists it, with the domain it may use.
    const listed = (await (await member.browser.get('/api/mcp/clients')).json()) as McpOAuthClientSummary[];
    expect(listed).toEqual([
      expect.objectContaining({ name: 'SDK test client', domains: [{ membership_id: member.demo, domain: 'demo-clinic' }], may_sync: false, last_used_at: expect.any(String) }),
    ]);
    const clientId = listed[0]!.client_id;

    // Revoke: the very next call is a 401 with the challenge, and the refresh token is dead too.
    expect((await member.browser.request('DELETE', `/api/mcp/clients/${clientId}`)).status).toBe(204);
    const after = await rpc('/mcp', provider.saved!.access_token);
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const refresh = await tokenRequest({ grant_type: 'refresh_token', refresh_token: provider.saved!.refresh_token!, client_id: clientId, resource: `${scout.baseUrl}/mcp` });
    expect(refresh.status).toBe(400);
    expect(await (await member.browser.get('/api/mcp/clients')).json()).toEqual([]);
    // Another user can't revoke (or even see) someone's client: 404.
    expect((await member.browser.request('DELETE', `/api/mcp/clients/${clientId}`)).status).toBe(404);
  });

  it('keeps a token for domain A out of domain B, uses the first granted domain at /mcp, and grants syncing only when asked and allowed', { timeout: 30_000 }, async () => {
    const { client, provider } = await signInWithOAuth(member, [member.other], { path: `/mcp/${member.other}`, allowSync: true });
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('run_materialization');
    const token = provider.saved!.access_token;
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString())).toMatchObject({ scope: expect.stringContaining('mcp:sync') });
    expect((await rpc(`/mcp/${member.other}`, token)).status).toBe(200);
    // The user's other domain is outside the grant: it answers exactly like a domain they do not have.
    expect((await rpc(`/mcp/${member.demo}`, token)).status).toBe(404);
    const meta = await (await fetch(`${scout.baseUrl}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_metadata', arguments: {} } }),
    })).json() as { result: CallToolResult };
    expect(JSON.parse((meta.result.content[0] as { text: string }).text)).toMatchObject({ tenant_id: 'other-clinic' });
  });

  it('sends the client back with access_denied when the user denies, and issues nothing', async () => {
    const provider = new TestProvider('Denied client');
    await expect(new Client({ name: 'x', version: '1' }).connect(new StreamableHTTPClientTransport(new URL(`${scout.baseUrl}/mcp`), { authProvider: provider }))).rejects.toBeInstanceOf(UnauthorizedError);
    const { consent } = await consentInBrowser(member.browser, provider.authorizationUrl!, { accept: false, membership_ids: [] });
    expect(consent.status).toBe(200);
    const back = new URL(((await consent.json()) as { redirect_uri: string }).redirect_uri);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('code')).toBeNull();
    expect(((await (await member.browser.get('/api/mcp/clients')).json()) as McpOAuthClientSummary[]).map((c) => c.name)).not.toContain('Denied client');
  });

  it('refuses a consent without a domain or with someone else\u2019s, field by field, and issues no code', async () => {
    const stranger = await signUpWithDomains();
    const provider = new TestProvider('Picky client');
    await expect(new Client({ name: 'x', version: '1' }).connect(new StreamableHTTPClientTransport(new URL(`${scout.baseUrl}/mcp`), { authProvider: provider }))).rejects.toBeInstanceOf(UnauthorizedError);
    const none = await consentInBrowser(member.browser, provider.authorizationUrl!, { accept: true, membership_ids: [] });
    expect(none.consent.status).toBe(400);
    expect(await none.consent.json()).toMatchObject({ fields: { membership_ids: ['Choose at least one domain'] } });
    const theirs = await member.browser.post('/api/mcp/oauth/consent', { oauth_query: none.oauthQuery, accept: true, membership_ids: [stranger.demo] });
    expect(theirs.status).toBe(400);
    expect(await theirs.json()).toMatchObject({ fields: { membership_ids: ['Choose domains from your own list'] } });
    // A query that was tampered with (another client id) fails better-auth's signature check: a 400, nothing granted.
    const tampered = none.oauthQuery.replace(/client_id=[^&]+/, 'client_id=someone-else');
    const forged = await member.browser.post('/api/mcp/oauth/consent', { oauth_query: tampered, accept: true, membership_ids: [member.demo] });
    expect(forged.status).toBe(400);
    expect(((await (await member.browser.get('/api/mcp/clients')).json()) as McpOAuthClientSummary[]).map((c) => c.name)).not.toContain('Picky client');
  });
});

describe('what the authorization server refuses', () => {
  let member: Member;
  let clientId: string;
  beforeAll(async () => {
    member = await signUpWithDomains();
    const registered = await register();
    expect(registered.status).toBe(201);
    clientId = ((await registered.json()) as { client_id: string }).client_id;
  });

  /** Authorize and consent for `clientId` with this query; answers the redirect back to the client. */
  async function authorizeAndConsent(query: URLSearchParams): Promise<URL> {
    const authorize = await member.browser.get(`/api/auth/oauth2/authorize?${query}`);
    const body = (await authorize.json()) as { url?: string };
    const target = new URL(body.url!, scout.baseUrl);
    if (target.pathname !== '/oauth/consent') return target;
    const consent = await member.browser.post('/api/mcp/oauth/consent', { oauth_query: target.search.slice(1), accept: true, membership_ids: [member.demo] });
    expect(consent.status).toBe(200);
    return new URL(((await consent.json()) as { redirect_uri: string }).redirect_uri);
  }

  it('requires PKCE', async () => {
    const back = await authorizeAndConsent(authorizeQuery(clientId));
    expect(back.searchParams.get('code')).toBeNull();
    expect(back.searchParams.get('error')).toBe('invalid_request');
  });

  it('matches the redirect URI exactly, and never sends a code to another one', async () => {
    const { challenge } = pkce();
    for (const redirect of ['http://127.0.0.1:8976/callback/../evil', 'http://127.0.0.1:8976/callback?x=1', 'http://127.0.0.1:8977/callback', 'https://evil.example/callback']) {
      const response = await member.browser.get(`/api/auth/oauth2/authorize?${authorizeQuery(clientId, { redirect_uri: redirect, code_challenge: challenge, code_challenge_method: 'S256' })}`);
      const text = await response.text();
      // An unregistered redirect is never followed: the answer is an error here, not a trip to that address.
      expect(text).not.toContain('code=');
      expect(response.headers.get('location') ?? '').not.toContain(new URL(redirect).host === '127.0.0.1:8976' ? 'evil' : new URL(redirect).host);
      expect(response.status === 400 || /invalid_redirect|redirect_uri/i.test(text)).toBe(true);
    }
  });

  it('takes an authorization code once: a second exchange fails and revokes what the first issued', async () => {
    const { verifier, challenge } = pkce();
    const back = await authorizeAndConsent(authorizeQuery(clientId, { code_challenge: challenge, code_challenge_method: 'S256' }));
    const code = back.searchParams.get('code')!;
    expect(code).toBeTruthy();
    const exchange = { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT, client_id: clientId, resource: `${scout.baseUrl}/mcp` };
    const first = await tokenRequest(exchange);
    expect(first.status).toBe(200);
    const tokens = (await first.json()) as { access_token: string; refresh_token: string };
    expect((await rpc('/mcp', tokens.access_token)).status).toBe(200);
    const second = await tokenRequest(exchange);
    expect(second.status).toBe(400);
    expect(await second.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('remembers the consent: the same client signing in again goes straight back with a code', async () => {
    const first = pkce();
    expect((await authorizeAndConsent(authorizeQuery(clientId, { code_challenge: first.challenge, code_challenge_method: 'S256' }))).searchParams.get('code')).toBeTruthy();
    const again = pkce();
    const authorize = await member.browser.get(`/api/auth/oauth2/authorize?${authorizeQuery(clientId, { code_challenge: again.challenge, code_challenge_method: 'S256' })}`);
    const back = new URL(((await authorize.json()) as { url: string }).url);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('code')).toBeTruthy();
  });

  it('refuses a code with the wrong PKCE verifier', async () => {
    const { challenge } = pkce();
    const back = await authorizeAndConsent(authorizeQuery(clientId, { code_challenge: challenge, code_challenge_method: 'S256' }));
    const exchange = await tokenRequest({ grant_type: 'authorization_code', code: back.searchParams.get('code')!, code_verifier: pkce().verifier, redirect_uri: REDIRECT, client_id: clientId, resource: `${scout.baseUrl}/mcp` });
    expect([400, 401]).toContain(exchange.status);
    expect(await exchange.json()).not.toHaveProperty('access_token');
  });

  it('revokes the whole grant when a rotated refresh token is used again', async () => {
    const { verifier, challenge } = pkce();
    const back = await authorizeAndConsent(authorizeQuery(clientId, { code_challenge: challenge, code_challenge_method: 'S256' }));
    const tokens = (await (await tokenRequest({ grant_type: 'authorization_code', code: back.searchParams.get('code')!, code_verifier: verifier, redirect_uri: REDIRECT, client_id: clientId, resource: `${scout.baseUrl}/mcp` })).json()) as { refresh_token: string };
    const refresh = { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clientId, resource: `${scout.baseUrl}/mcp` };
    const rotated = await tokenRequest(refresh);
    expect(rotated.status).toBe(200);
    const fresh = (await rotated.json()) as { access_token: string; refresh_token: string };
    expect((await rpc('/mcp', fresh.access_token)).status).toBe(200);
    // The old refresh token again: someone kept a copy. Everything of this grant stops, the legitimate tokens too.
    expect((await tokenRequest(refresh)).status).toBe(400);
    expect((await rpc('/mcp', fresh.access_token)).status).toBe(401);
    expect((await tokenRequest({ ...refresh, refresh_token: fresh.refresh_token })).status).toBe(400);
    expect(((await (await member.browser.get('/api/mcp/clients')).json()) as unknown[]).length).toBe(0);
  });

  it('refuses an expired access token, one for another audience, a forged one, and a session JWT', async () => {
    const { verifier, challenge } = pkce();
    const back = await authorizeAndConsent(authorizeQuery(clientId, { code_challenge: challenge, code_challenge_method: 'S256' }));
    const tokens = (await (await tokenRequest({ grant_type: 'authorization_code', code: back.searchParams.get('code')!, code_verifier: verifier, redirect_uri: REDIRECT, client_id: clientId, resource: `${scout.baseUrl}/mcp` })).json()) as { access_token: string };
    const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect((await rpc('/mcp', tokens.access_token)).status).toBe(200);
    // Signed by Scout's own key, so only the claim under test is wrong.
    // The plugins are configured at run time, so the auth type does not know the jwt plugin's server-only signer.
    const api = scout.auth.api as unknown as { signJWT(input: { body: { payload: Record<string, unknown> } }): Promise<{ token: string }> };
    const sign = async (payload: Record<string, unknown>) => (await api.signJWT({ body: { payload } })).token;
    const now = Math.floor(Date.now() / 1000);
    const expired = await sign({ ...claims, iat: now - 3600, exp: now - 60 });
    const elsewhere = await sign({ ...claims, aud: `${scout.baseUrl}/api` });
    for (const token of [expired, elsewhere]) {
      const response = await rpc('/mcp', token);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    }
    const [header, payload] = tokens.access_token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${tokens.access_token.split('.')[2]}`;
    expect(payload).toBeDefined();
    expect((await rpc('/mcp', forged)).status).toBe(401);
    // A token without the tools scope is a 403 that names it.
    const scopeless = await rpc('/mcp', await sign({ ...claims, scope: 'offline_access' }));
    expect(scopeless.status).toBe(403);
    expect(scopeless.headers.get('www-authenticate')).toContain('insufficient_scope');
  });

  it('revokes a refresh token the client hands back (RFC 7009)', async () => {
    const { verifier, challenge } = pkce();
    const back = await authorizeAndConsent(authorizeQuery(clientId, { code_challenge: challenge, code_challenge_method: 'S256' }));
    const tokens = (await (await tokenRequest({ grant_type: 'authorization_code', code: back.searchParams.get('code')!, code_verifier: verifier, redirect_uri: REDIRECT, client_id: clientId, resource: `${scout.baseUrl}/mcp` })).json()) as { refresh_token: string };
    const revoked = await fetch(`${scout.baseUrl}/api/auth/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.refresh_token, token_type_hint: 'refresh_token', client_id: clientId }),
    });
    expect(revoked.status).toBe(200);
    expect((await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clientId, resource: `${scout.baseUrl}/mcp` })).status).toBe(400);
  });

  it('keeps personal access tokens working beside OAuth', async () => {
    const created = (await (await member.browser.post('/api/mcp/tokens', { name: 'Desktop' })).json()) as { token: string };
    expect((await rpc(`/mcp/${member.demo}`, created.token)).status).toBe(200);
    expect((await rpc(`/mcp/${member.demo}`, `${created.token}x`)).status).toBe(401);
  });

  it('takes no cookie on the client endpoints and allows any origin there, but not on the consent answer', async () => {
    const fromPage = await fetch(`${scout.baseUrl}/api/auth/oauth2/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://inspector.example' },
      body: JSON.stringify({ client_name: 'Browser client', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', application_type: 'native' }),
    });
    expect(fromPage.status).toBe(201);
    expect(fromPage.headers.get('access-control-allow-origin')).toBe('*');
    const crossSiteConsent = await fetch(`${scout.baseUrl}/api/mcp/oauth/consent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example', cookie: 'whatever=1' },
      body: JSON.stringify({ oauth_query: 'client_id=x', accept: true, membership_ids: [] }),
    });
    expect(crossSiteConsent.status).toBe(403);
  });

  it('answers NUL bytes and deep nesting with a 400 before anything is stored', async () => {
    const nul = await register({ client_name: 'evil\u0000name' });
    expect(nul.status).toBe(400);
    expect(await nul.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringContaining('NUL') });
    const deep = await fetch(`${scout.baseUrl}/api/auth/oauth2/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"client_name":"x","redirect_uris":${'['.repeat(5000)}${']'.repeat(5000)}}` });
    expect(deep.status).toBe(400);
    const form = await tokenRequest({ grant_type: 'authorization_code', code: 'a\u0000b', client_id: clientId });
    expect(form.status).toBe(400);
  });

  it('rate-limits client registration and the token endpoint per address', async () => {
    const registrations: number[] = [];
    for (let i = 0; i < REGISTRATIONS_PER_MINUTE * 2 && !registrations.includes(429); i++) registrations.push((await register({ client_name: `Flood ${i}` })).status);
    expect(registrations).toContain(429);
    expect(registrations.filter((s) => s === 201).length).toBeLessThanOrEqual(REGISTRATIONS_PER_MINUTE);

    const guesses: number[] = [];
    for (let i = 0; i < TOKEN_REQUESTS_PER_MINUTE * 2 && !guesses.includes(429); i++) {
      guesses.push((await tokenRequest({ grant_type: 'authorization_code', code: `guess-${i}`, code_verifier: pkce().verifier, redirect_uri: REDIRECT, client_id: clientId })).status);
    }
    expect(guesses).toContain(429);
    expect(guesses.filter((s) => s !== 429).length).toBeLessThanOrEqual(TOKEN_REQUESTS_PER_MINUTE);
  });
});
