import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../simulator';
import type { TenantCredentialSummary } from '../src/shared/tenants';
import { browserAvailable } from './support/browser';
import { useBrowserScout } from './support/scout';

const PASSWORD = 'browse-all-the-things-1';
const MOBILE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

/** The MCP client's end of the redirect: a loopback server that records each query it is sent back with. */
interface Callback {
  url: string;
  queries: URLSearchParams[];
  close: () => Promise<void>;
}

async function startCallback(): Promise<Callback> {
  const queries: URLSearchParams[] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/callback') queries.push(url.searchParams);
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Back in the client</title><p>You can close this window.</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/callback`, queries, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

/** What the MCP Inspector does before it opens the browser: a PKCE pair, a state, and the authorize URL. */
function authorization(baseUrl: string, clientId: string, redirectUri: string) {
  const verifier = base64url(randomBytes(32));
  const state = base64url(randomBytes(12));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    code_challenge: base64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
    state,
    scope: 'mcp:tools mcp:sync offline_access',
    resource: `${baseUrl}/mcp`,
  });
  return { verifier, state, url: `${baseUrl}/api/auth/oauth2/authorize?${query.toString()}` };
}

/** A tools/list call as any MCP client makes it; the answer's JSON-RPC message, whether sent as JSON or as one SSE event. */
async function listTools(baseUrl: string, accessToken: string): Promise<{ status: number; body: string; tools: string[] }> {
  const response = await fetch(`${baseUrl}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });
  const body = await response.text();
  if (!response.ok) return { status: response.status, body, tools: [] };
  const json = (response.headers.get('content-type') ?? '').includes('text/event-stream')
    ? body
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trim())
        .join('')
    : body;
  const message = JSON.parse(json) as { result?: { tools?: Array<{ name: string }> } };
  return { status: response.status, body, tools: (message.result?.tools ?? []).map((tool) => tool.name) };
}

describe.runIf(browserAvailable())('an MCP client signs in to Scout with OAuth', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let callback: Callback;
  let clientId: string;

  beforeAll(async () => {
    // A second domain beside the built-in demo one, so the consent page has a choice to offer.
    sim = await startSimulator({ port: 0, seed: 5, domains: ['maternal-health'], cases: 20, formsPerCase: 1, rateLimit: false });
    callback = await startCallback();
  });
  afterAll(async () => {
    await callback?.close();
    await sim?.close();
  });
  // After the simulator's hooks: it starts once the simulator is up and stops before it closes.
  // CommCare HQ's OAuth too (the simulator plays it), for the "Continue with CommCare HQ" way in.
  const scout = useBrowserScout(() => ({ COMMCARE_BASE_URL: sim.url, COMMCARE_OAUTH_CLIENT_ID: 'scout', COMMCARE_OAUTH_CLIENT_SECRET: 'scout-secret' }));

  const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  /** From the top, skeletons stopped, at 1280 and at 390 px wide (checking nothing overflows there). */
  async function snapBoth(page: Page, name: string) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await scout.snap(page, name);
    await page.setViewportSize(MOBILE);
    await expect.poll(() => fitsWidth(page)).toBe(true);
    await scout.snap(page, `${name}-mobile`);
    await page.setViewportSize(DESKTOP);
    await expect.poll(() => page.evaluate(() => window.innerWidth)).toBe(DESKTOP.width);
  }

  /** Registers the client the way the MCP Inspector does (dynamic client registration, a public native client). */
  async function register(): Promise<string> {
    const response = await fetch(`${scout.baseUrl}/api/auth/oauth2/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'Inspector test',
        redirect_uris: [callback.url],
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        application_type: 'native',
      }),
    });
    const body = await response.text();
    expect(response.status, body).toBe(201);
    return (JSON.parse(body) as { client_id: string }).client_id;
  }

  async function signUp(page: Page, name: string, email: string) {
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
  }

  const waitForCallback = (page: Page) => page.waitForURL((url) => url.toString().startsWith(callback.url));
  const lastCallback = () => callback.queries.at(-1)!;

  it('signs in, asks which domains it may use, and gets a token that works until the app is revoked', async () => {
    // A user with two connected domains (the demo one and one on CommCare HQ), signed in elsewhere.
    const email = `grace-${Date.now()}@example.org`;
    const setup = await scout.newPage();
    await setup.goto(`${scout.baseUrl}/sign-up`);
    await signUp(setup, 'Grace Hopper', email);
    await setup.waitForURL(/\/onboarding$/);
    const demo = await setup.evaluate(async () => (await fetch('/api/auth/tenant-credentials/demo', { method: 'POST' })).json() as Promise<TenantCredentialSummary>);
    const hq = await setup.evaluate(async () => {
      const connected = await fetch('/api/auth/tenant-credentials/', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ provider: 'commcare', tenant_id: 'maternal-health', credential: 'demo@example.com:demo-key' }),
      });
      return connected.json() as Promise<TenantCredentialSummary>;
    });
    expect(hq.tenant_id).toBe('maternal-health');
    await setup.context().close();

    clientId = await register();
    const request = authorization(scout.baseUrl, clientId, callback.url);

    // Signed out: the authorization server sends the browser to sign in, with its signed request.
    const page = await scout.newPage();
    await page.goto(request.url);
    await page.waitForURL(/\/sign-in\?/);
    const signIn = new URL(page.url()).searchParams;
    expect(signIn.get('client_id')).toBe(clientId);
    expect(signIn.has('sig')).toBe(true);
    await expect.poll(() => page.getByText('An MCP client asks to use Scout for you').isVisible()).toBe(true);
    await scout.snap(page, 'mcp-oauth-sign-in');

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // Signed in: the consent page, for the client's redirect host and the user's domains, none picked for them.
    await page.waitForURL(/\/oauth\/consent\?/);
    await expect.poll(() => page.getByRole('heading', { name: 'Inspector test wants to use Scout', level: 1 }).isVisible()).toBe(true);
    expect(await page.getByText(`It will send you back to ${new URL(callback.url).host}.`).isVisible()).toBe(true);
    const demoBox = page.getByRole('checkbox', { name: new RegExp(demo.tenant_name) });
    const hqBox = page.getByRole('checkbox', { name: new RegExp(hq.tenant_name) });
    expect([await demoBox.isChecked(), await hqBox.isChecked()]).toEqual([false, false]);
    const sync = page.getByRole('checkbox', { name: 'Start syncs from CommCare HQ' });
    expect(await sync.isChecked()).toBe(false);

    // Allowing nothing is refused next to the list, before anything is sent.
    await page.getByRole('button', { name: 'Allow' }).click();
    await expect.poll(() => page.getByText('Choose at least one domain').isVisible()).toBe(true);
    expect(callback.queries).toHaveLength(0);
    await scout.snap(page, 'mcp-oauth-consent-no-domain');

    // Picked in this order: the client starts in the first.
    await hqBox.check();
    await demoBox.check();
    await expect.poll(() => page.getByText('Choose at least one domain').count()).toBe(0);
    await expect.poll(() => page.getByRole('listitem').filter({ hasText: hq.tenant_name }).getByText('Starts here').isVisible()).toBe(true);
    await sync.check();
    await snapBoth(page, 'mcp-oauth-consent');

    await page.getByRole('button', { name: 'Allow' }).click();
    await waitForCallback(page);
    expect(lastCallback().get('state')).toBe(request.state);
    const code = lastCallback().get('code');
    expect(code).toBeTruthy();

    // The client trades the code for tokens, then lists the tools with the access token.
    const tokenResponse = await fetch(`${scout.baseUrl}/api/auth/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: code!, code_verifier: request.verifier, redirect_uri: callback.url, client_id: clientId, resource: `${scout.baseUrl}/mcp` }),
    });
    const tokenBody = await tokenResponse.text();
    expect(tokenResponse.status, tokenBody).toBe(200);
    const tokens = JSON.parse(tokenBody) as { access_token: string; token_type: string; scope?: string };
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    const listed = await listTools(scout.baseUrl, tokens.access_token);
    expect(listed.status, listed.body).toBe(200);
    expect(listed.tools).toEqual(expect.arrayContaining(['list_tables', 'query']));

    // Settings → MCP access lists the app with its domains in the order picked; revoking it stops the token at once.
    await page.goto(`${scout.baseUrl}/settings/mcp`);
    const apps = page.getByRole('list', { name: 'Connected apps' });
    await expect.poll(() => apps.getByText('Inspector test').isVisible()).toBe(true);
    expect(await apps.locator('code').allTextContents()).toEqual([hq.tenant_id, demo.tenant_id]);
    expect(await apps.getByText(`returns to ${new URL(callback.url).host}`).isVisible()).toBe(true);
    expect(await apps.getByText('May start syncs').isVisible()).toBe(true);
    expect(await page.getByText(`${scout.baseUrl}/mcp`, { exact: true }).first().isVisible()).toBe(true);
    await snapBoth(page, 'mcp-access-connected-apps');

    await page.getByRole('button', { name: 'Revoke Inspector test' }).click();
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(true);
    await scout.snap(page, 'mcp-access-revoke-app');
    await page.getByRole('button', { name: 'Revoke access' }).click();
    await expect.poll(() => page.getByText('No connected apps').isVisible()).toBe(true);
    await snapBoth(page, 'mcp-access-no-apps');

    const afterRevoke = await listTools(scout.baseUrl, tokens.access_token);
    expect(afterRevoke.status, afterRevoke.body).toBe(401);
  });

  it('carries the request through creating an account, and a denial reaches the client as access_denied', async () => {
    clientId ??= await register();
    const request = authorization(scout.baseUrl, clientId, callback.url);
    const page = await scout.newPage();
    await page.goto(request.url);
    await page.waitForURL(/\/sign-in\?/);
    const signInUrl = page.url();

    // "Create one" keeps the signed request; a new account goes straight on to the consent page.
    await page.getByRole('link', { name: 'Create one' }).click();
    await page.waitForURL(/\/sign-up\?/);
    expect(new URL(page.url()).searchParams.get('client_id')).toBe(clientId);
    await expect.poll(() => page.getByText('Create your account first').isVisible()).toBe(true);
    await scout.snap(page, 'mcp-oauth-sign-up');
    await signUp(page, 'Alan Turing', `alan-${Date.now()}@example.org`);
    await page.waitForURL(/\/oauth\/consent\?/);

    // No domains yet: the page says to connect one first, and only Deny is offered.
    await expect.poll(() => page.getByText('Connect a domain first').isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Connect a domain' }).getAttribute('href')).toBe('/settings/connections');
    expect(await page.getByRole('button', { name: 'Allow' }).count()).toBe(0);
    await snapBoth(page, 'mcp-oauth-consent-no-domains');

    await page.getByRole('button', { name: 'Deny' }).click();
    await waitForCallback(page);
    expect(lastCallback().get('error')).toBe('access_denied');
    expect(lastCallback().get('state')).toBe(request.state);
    expect(lastCallback().has('code')).toBe(false);

    // Already signed in, the sign-in page with the server's signed request goes straight on to the consent page.
    await page.goto(signInUrl);
    await page.waitForURL(/\/oauth\/consent\?/);
    await expect.poll(() => page.getByRole('heading', { name: 'Inspector test wants to use Scout', level: 1 }).isVisible()).toBe(true);

    // A request for a client Scout doesn't know (or no longer has): loading, then a dead end that says what to do.
    const consentApi = /\/api\/mcp\/oauth\/consent\?/;
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route(consentApi, async (route) => {
      await released;
      // A development build's StrictMode mounts the page twice: the first request is aborted by then.
      await route.continue().catch(() => undefined);
    });
    await page.goto(`${scout.baseUrl}/oauth/consent?client_id=no-such-client&exp=1&sig=x`);
    await expect.poll(() => page.getByRole('status', { name: 'Loading the request' }).isVisible()).toBe(true);
    await snapBoth(page, 'mcp-oauth-consent-loading');
    release();
    await expect.poll(() => page.getByRole('heading', { name: 'This request has ended', level: 1 }).isVisible()).toBe(true);
    await page.unroute(consentApi);
    expect(await page.getByText('start again from your MCP client').isVisible()).toBe(true);
    await snapBoth(page, 'mcp-oauth-consent-ended');
  });

  it('carries the request through signing in with CommCare HQ', async () => {
    clientId ??= await register();
    const request = authorization(scout.baseUrl, clientId, callback.url);
    const page = await scout.newPage();
    await page.goto(request.url);
    await page.waitForURL(/\/sign-in\?/);

    await page.getByRole('link', { name: 'Continue with CommCare HQ' }).click();
    await page.waitForURL(new RegExp(`^${sim.url}/oauth/authorize`));
    await page.getByLabel('Email address').fill('demo@example.com');
    await page.getByLabel('Password').fill('demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();

    // Back from CommCare signed in, with its domain connected: straight on to Scout's consent page.
    await page.waitForURL(/\/oauth\/consent\?/);
    const domain = page.getByRole('checkbox', { name: /maternal-health/ });
    await expect.poll(() => domain.isVisible()).toBe(true);
    expect(await domain.isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Allow' }).click();
    await waitForCallback(page);
    expect(lastCallback().get('state')).toBe(request.state);
    expect(lastCallback().get('code')).toBeTruthy();
  });
});
