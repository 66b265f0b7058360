import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../../simulator';
import { HttpClient, startScoutWithSimulator, type SimulatedScout } from '../../../../test/support/scout';
import type { MembersResponse } from '../../../shared/members';
import { CommCareAuthError } from '../commcare';

type Sim = RunningSimulator;
let sim: Sim;
let scout: SimulatedScout;

beforeAll(async () => {
  scout = await startScoutWithSimulator({ seed: 5, domains: ['demo-clinic', 'maternal-health'], cases: 10, formsPerCase: 1 }, { env: { COMMCARE_OAUTH_CLIENT_ID: 'scout', COMMCARE_OAUTH_CLIENT_SECRET: 'scout-secret' } });
  sim = scout.sim;
});
afterAll(async () => {
  await scout?.stop();
});

/** The browser's part of the authorization-code flow, with Scout's cookies kept in `client`. */
async function signInWithCommCare(client: HttpClient, username = 'demo@example.com', password = 'demo-password'): Promise<Response> {
  const start = await client.request('GET', '/api/auth/providers/commcare/login?next=/data', undefined, {}, 'manual');
  expect(start.status).toBe(302);
  const authorize = start.headers.get('location')!;
  expect(authorize.startsWith(`${sim.url}/oauth/authorize`)).toBe(true);
  const login = await fetch(authorize, { method: 'POST', body: new URLSearchParams({ step: 'login', username, password }), redirect: 'manual' });
  const ticket = (await login.text()).match(/name="ticket" value="([^"]+)"/)?.[1];
  const consent = await fetch(authorize, { method: 'POST', body: new URLSearchParams({ step: 'consent', ticket: ticket!, decision: 'allow' }), redirect: 'manual' });
  const callback = new URL(consent.headers.get('location')!);
  expect(callback.pathname).toBe('/api/auth/callback/commcare');
  return client.request('GET', `${callback.pathname}${callback.search}`, undefined, {}, 'manual');
}

async function userIdOf(client: HttpClient): Promise<string> {
  return ((await (await client.get('/api/me')).json()) as { user: { id: string } }).user.id;
}

/** A domain the user owns through CommCare OAuth that CommCare no longer lists for them; its tenant id. */
async function ownedThroughOAuth(userId: string, domain: string): Promise<string> {
  const pool = scout.database.pool;
  const tenant = await pool.query(`INSERT INTO tenant (provider, external_id, hq_base_url, schema_name) VALUES ('commcare', $1, $2, $3) RETURNING id`, [domain, sim.url, `t_${domain.replace('-', '_')}_test`]);
  const tenantId = tenant.rows[0].id as string;
  const membership = await pool.query(`INSERT INTO tenant_membership (user_id, tenant_id, role, tenant_name) VALUES ($1, $2, 'owner', $3) RETURNING id`, [userId, tenantId, domain]);
  await pool.query(`INSERT INTO tenant_credential (membership_id, credential_type, secret) VALUES ($1, 'oauth', 'v1.x.y.z.w')`, [membership.rows[0].id]);
  return tenantId;
}

describe('OAuth with CommCare', () => {
  it('lists the configured provider, signed in or not', async () => {
    const response = await new HttpClient(scout.baseUrl).get('/api/auth/providers/');
    expect(await response.json()).toEqual([{ id: 'commcare', name: 'CommCare HQ', login_url: '/api/auth/providers/commcare/login', connected: false }]);
  });

  it('signs a new user in and connects every domain CommCare lists, as the owner', async () => {
    const client = new HttpClient(scout.baseUrl);
    const finished = await signInWithCommCare(client);
    expect(finished.status).toBe(302);
    expect(finished.headers.get('location')).toBe('/data');
    const tenants = (await (await client.get('/api/auth/tenants/')).json()) as Array<{ tenant_id: string; role: string; tenant_name: string }>;
    expect(tenants.map((t) => t.tenant_id).sort()).toEqual(['demo-clinic', 'maternal-health']);
    expect(tenants.every((t) => t.role === 'owner')).toBe(true);
    const credentials = (await (await client.get('/api/auth/tenant-credentials/')).json()) as Array<{ credential_type: string; last_error: string | null }>;
    expect(credentials.every((c) => c.credential_type === 'oauth' && c.last_error === null)).toBe(true);
    expect((await (await client.get('/api/auth/providers/')).json())[0].connected).toBe(true);
  });

  it('refreshes an expired token on a 401 and keeps working, never logging or returning a token', async () => {
    const client = new HttpClient(scout.baseUrl);
    await signInWithCommCare(client);
    const userId = await userIdOf(client);
    const [membership] = await scout.services.tenants.list(userId);
    const credentials = await scout.services.tenants.credentialsFor(membership!);
    expect(credentials.kind).toBe('oauth');
    const firstToken = credentials.kind === 'oauth' ? credentials.accessToken : '';
    expect(sim.simulator.expireAccessTokens(firstToken)).toBe(1);

    const commcare = scout.services.tenants.clientFor(membership!.hq_base_url, credentials);
    expect((await commcare.verifyDomainAccess(membership!.domain)).caseCount).toBe(10);
    const fresh = await scout.services.tenants.credentialsFor(membership!);
    expect(fresh.kind === 'oauth' && fresh.accessToken).not.toBe(firstToken);

    const everything = scout.logs.join('');
    expect(everything).not.toContain(firstToken);
    expect(everything).not.toContain(fresh.kind === 'oauth' ? fresh.accessToken : 'unreachable');
    const stored = await scout.database.pool.query(`SELECT "accessToken", "refreshToken" FROM account WHERE "userId" = $1`, [userId]);
    expect(JSON.stringify(stored.rows)).not.toContain(fresh.kind === 'oauth' ? fresh.accessToken : 'unreachable');
  });

  it('refreshes a token that is about to expire before using it', async () => {
    const client = new HttpClient(scout.baseUrl);
    await signInWithCommCare(client);
    const userId = await userIdOf(client);
    const [membership] = await scout.services.tenants.list(userId);
    const current = await scout.services.tenants.credentialsFor(membership!);
    await scout.database.pool.query(`UPDATE account SET "accessTokenExpiresAt" = now() + interval '30 seconds' WHERE "userId" = $1`, [userId]);
    const renewed = await scout.services.tenants.credentialsFor(membership!);
    expect(renewed.kind === 'oauth' && current.kind === 'oauth' && renewed.accessToken !== current.accessToken).toBe(true);
    const expiry = await scout.database.pool.query(`SELECT "accessTokenExpiresAt" > now() + interval '5 minutes' AS fresh FROM account WHERE "userId" = $1`, [userId]);
    expect(expiry.rows[0].fresh).toBe(true);
  });

  it('marks the credentials when a refresh fails, so the UI can ask to reconnect', async () => {
    const client = new HttpClient(scout.baseUrl);
    await signInWithCommCare(client);
    const userId = await userIdOf(client);
    await scout.database.pool.query(`UPDATE account SET "refreshToken" = 'revoked' WHERE "userId" = $1`, [userId]);
    const [membership] = await scout.services.tenants.list(userId);
    const credentials = await scout.services.tenants.credentialsFor(membership!);
    sim.simulator.expireAccessTokens();
    await expect(scout.services.tenants.clientFor(membership!.hq_base_url, credentials).identity()).rejects.toBeInstanceOf(CommCareAuthError);
    const listed = (await (await client.get('/api/auth/tenant-credentials/')).json()) as Array<{ last_error: string | null }>;
    expect(listed.every((c) => c.last_error?.includes('Connect with CommCare again'))).toBe(true);
  });

  it('archives OAuth memberships of domains CommCare no longer lists, and leaves API-key ones alone', async () => {
    const client = new HttpClient(scout.baseUrl);
    await signInWithCommCare(client);
    const userId = await userIdOf(client);
    // A domain this user reached through CommCare before, which CommCare no longer lists for them.
    await ownedThroughOAuth(userId, 'closed-project');

    const result = await scout.services.tenants.syncOAuthMemberships(userId, 'commcare');
    expect(result).toEqual({ domains: expect.arrayContaining(['demo-clinic', 'maternal-health']), archived: 1 });
    const names = ((await (await client.get('/api/auth/tenants/')).json()) as Array<{ tenant_id: string }>).map((t) => t.tenant_id).sort();
    expect(names).toEqual(['demo-clinic', 'maternal-health']);
  });

  it("makes the longest-standing admin owner when the owner's CommCare access to a shared domain ends", async () => {
    const client = new HttpClient(scout.baseUrl);
    await signInWithCommCare(client);
    const ownerId = await userIdOf(client);
    const tenantId = await ownedThroughOAuth(ownerId, 'handed-over');
    const join = async (userId: string, role: string) =>
      (await scout.database.pool.query(`INSERT INTO tenant_membership (user_id, tenant_id, role, tenant_name) VALUES ($1, $2, $3, 'Handed over') RETURNING id`, [userId, tenantId, role])).rows[0].id as string;
    const colleague = async (name: string, role: string) => {
      const c = new HttpClient(scout.baseUrl);
      await c.post('/api/auth/sign-up/email', { name, email: `${name.toLowerCase()}-${Date.now()}@example.org`, password: 'colleague-pass-1' });
      return { client: c, membershipId: await join(await userIdOf(c), role) };
    };
    const analyst = await colleague('Ana', 'analyst');
    const admin = await colleague('Adam', 'admin');

    await scout.services.tenants.syncOAuthMemberships(ownerId, 'commcare');
    const members = (await (await admin.client.get(`/api/tenants/${admin.membershipId}/members`)).json()) as MembersResponse;
    expect(members.members.map((m) => [m.name, m.role])).toEqual([
      ['Adam', 'owner'],
      ['Ana', 'analyst'],
    ]);
    expect(members.changes?.[0]).toMatchObject({ actor: null, member: 'Adam', action: 'owner_succeeded', from_role: 'admin', to_role: 'owner' });
    expect((await analyst.client.get(`/api/tenants/${analyst.membershipId}/members`)).status).toBe(200);
  });

  it('refuses to disconnect the only way a user signs in', async () => {
    const client = new HttpClient(scout.baseUrl);
    await signInWithCommCare(client);
    const response = await client.post('/api/auth/providers/commcare/disconnect/');
    expect(response.status).toBe(400);
    expect((await response.json()).code).toBe('LAST_SIGN_IN_METHOD');
  });

  it('links CommCare to a password account, and disconnecting archives its OAuth domains', async () => {
    const client = new HttpClient(scout.baseUrl);
    await client.post('/api/auth/sign-up/email', { name: 'Linker', email: `linker-${Date.now()}@example.org`, password: 'linker-pass-1' });
    const finished = await signInWithCommCare(client, 'limited@example.com', 'limited-password');
    expect(finished.status).toBe(302);
    const tenants = (await (await client.get('/api/auth/tenants/')).json()) as Array<{ tenant_id: string }>;
    expect(tenants.map((t) => t.tenant_id)).toEqual(['demo-clinic']);

    const response = await client.post('/api/auth/providers/commcare/disconnect/');
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(await (await client.get('/api/auth/tenants/')).json()).toEqual([]);
    expect((await (await client.get('/api/auth/providers/')).json())[0].connected).toBe(false);
  });

  it('answers 404 for a provider that is not configured', async () => {
    const response = await new HttpClient(scout.baseUrl).request('GET', '/api/auth/providers/commcare_connect/login', undefined, {}, 'manual');
    expect(response.status).toBe(404);
  });
});
