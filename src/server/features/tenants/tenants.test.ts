import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../../../simulator';
import { HttpClient, startTestScout, type TestScout } from '../../../../test/support/scout';

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;
let scout: TestScout;
let demo: { username: string; apiKey: string };
let outsider: { username: string; apiKey: string };
const responses: string[] = [];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 7, domains: ['demo-clinic', 'other-project'], cases: 40, formsPerCase: 1, rateLimit: false });
  const demoUser = sim.simulator.users.find((u) => u.domains.includes('demo-clinic') && u.domains.includes('other-project'))!;
  const outsiderUser = sim.simulator.users.find((u) => !u.domains.includes('other-project'))!;
  demo = { username: demoUser.username, apiKey: demoUser.apiKey };
  outsider = { username: outsiderUser.username, apiKey: outsiderUser.apiKey };
  scout = await startTestScout({ env: { COMMCARE_BASE_URL: sim.url }, app: { verifyRetry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10, maxRateLimitRetries: 1, maxRetryAfterMs: 10, defaultRetryAfterMs: 5 } } });
});
afterAll(async () => {
  await scout?.stop();
  await sim?.close();
});
beforeEach(() => sim.simulator.resetFaults());

let counter = 0;
async function signedInClient(): Promise<HttpClient> {
  const client = new HttpClient(scout.baseUrl);
  const response = await client.post('/api/auth/sign-up/email', { name: 'Tenant Tester', email: `tenants-${++counter}-${Date.now()}@example.org`, password: 'tenant-pass-1' });
  expect(response.status).toBe(201);
  return client;
}

async function call(client: HttpClient, method: string, path: string, body?: unknown) {
  const response = await client.request(method, path, body);
  const text = await response.text();
  responses.push(text);
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const connect = (client: HttpClient, overrides: Record<string, unknown> = {}) =>
  call(client, 'POST', '/api/auth/tenant-credentials/', { provider: 'commcare', tenant_id: 'demo-clinic', credential: `${demo.username}:${demo.apiKey}`, ...overrides });

async function countRows(table: string): Promise<number> {
  const result = await scout.database.pool.query(`SELECT count(*)::int AS n FROM ${table}`);
  return result.rows[0].n as number;
}

describe('authentication', () => {
  it.each([
    ['GET', '/api/auth/tenants/'],
    ['POST', '/api/auth/tenants/select/'],
    ['GET', '/api/auth/tenant-credentials/'],
    ['POST', '/api/auth/tenant-credentials/'],
    ['PATCH', '/api/auth/tenant-credentials/00000000-0000-0000-0000-000000000000/'],
    ['DELETE', '/api/auth/tenant-credentials/00000000-0000-0000-0000-000000000000'],
    ['GET', '/api/auth/hq-servers'],
  ])('%s %s needs a session', async (method, path) => {
    const { status, body } = await call(new HttpClient(scout.baseUrl), method, path, method === 'GET' || method === 'DELETE' ? undefined : {});
    expect(status).toBe(401);
    expect(body.code).toBe('UNAUTHENTICATED');
  });
});

describe('connecting a domain with an API key', () => {
  it('verifies with CommCare, stores the key encrypted, and makes the first member the owner', async () => {
    const client = await signedInClient();
    const created = await connect(client, { tenant_name: 'Demo Clinic' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      membership_id: expect.any(String),
      provider: 'commcare',
      tenant_id: 'demo-clinic',
      tenant_name: 'Demo Clinic',
      hq_base_url: sim.url,
      credential_type: 'api_key',
      verified_at: expect.any(String),
      last_error: null,
      demo: false,
    });
    const tenants = await call(client, 'GET', '/api/auth/tenants');
    expect(tenants.body).toEqual([
      { id: created.body.membership_id, provider: 'commcare', tenant_id: 'demo-clinic', tenant_name: 'Demo Clinic', role: expect.any(String), last_selected_at: null, can: expect.objectContaining({ 'connectors.manage': true }) },
    ]);
    const stored = await scout.database.pool.query('SELECT secret FROM tenant_credential WHERE membership_id = $1', [created.body.membership_id]);
    expect(stored.rows[0].secret).toMatch(/^v1\./);
    expect(stored.rows[0].secret).not.toContain(demo.apiKey);
  });

  it('gives later members of the same domain the analyst role', async () => {
    const first = await signedInClient();
    const second = await signedInClient();
    await connect(first, { tenant_id: 'other-project' });
    await connect(second, { tenant_id: 'other-project' });
    const roles = await scout.database.pool.query(
      `SELECT m.role FROM tenant_membership m JOIN tenant t ON t.id = m.tenant_id WHERE t.external_id = 'other-project' ORDER BY m.created_at`,
    );
    expect(roles.rows.map((r) => r.role)).toEqual(['owner', 'analyst']);
  });

  it('uses the domain name as the label when none is given', async () => {
    const created = await connect(await signedInClient(), { tenant_id: 'other-project' });
    expect(created.body.tenant_name).toBe('other-project');
  });

  it('refuses a key CommCare rejects, with a field message, storing nothing', async () => {
    const before = await countRows('tenant_membership');
    const { status, body } = await connect(await signedInClient(), { credential: `${demo.username}:not-the-key` });
    expect(status).toBe(400);
    expect(body.code).toBe('COMMCARE_AUTH_FAILED');
    expect(body.fields.credential[0]).toMatch(/did not accept/);
    expect(await countRows('tenant_membership')).toBe(before);
  });

  it('refuses a domain the CommCare user is not a member of, and an unknown domain', async () => {
    const client = await signedInClient();
    const before = await countRows('tenant');
    const notMember = await connect(client, { tenant_id: 'other-project', credential: `${outsider.username}:${outsider.apiKey}` });
    expect(notMember.status).toBe(400);
    expect(notMember.body.code).toBe('COMMCARE_NO_ACCESS');
    expect(notMember.body.fields.tenant_id[0]).toMatch(/not a member/);
    const unknown = await connect(client, { tenant_id: 'no-such-domain' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('COMMCARE_NO_ACCESS');
    expect(unknown.body.fields.tenant_id[0]).toMatch(/no project space named "no-such-domain"/);
    expect(await countRows('tenant')).toBe(before);
  });

  it('answers 502 when CommCare is down or keeps rate limiting, storing nothing', async () => {
    const client = await signedInClient();
    const before = await countRows('tenant_credential');
    sim.simulator.setFaults({ errorRate: 1, errorStatuses: [503] });
    const down = await connect(client);
    expect(down.status).toBe(502);
    expect(down.body.code).toBe('COMMCARE_UNAVAILABLE');
    expect(down.body.error).toMatch(/not responding/);
    sim.simulator.resetFaults();
    sim.simulator.setFaults({ rateLimitBurst: 100 });
    const limited = await connect(client);
    expect(limited.status).toBe(502);
    expect(limited.body.code).toBe('COMMCARE_UNAVAILABLE');
    expect(await countRows('tenant_credential')).toBe(before);
  });

  it('answers 409 when the user connects the same domain twice', async () => {
    const client = await signedInClient();
    expect((await connect(client)).status).toBe(201);
    const again = await connect(client, { tenant_name: 'Again' });
    expect(again.status).toBe(409);
    expect(again.body.fields.tenant_id[0]).toMatch(/already connected/);
  });

  it('validates the body with field messages and rejects unknown fields', async () => {
    const client = await signedInClient();
    const { status, body } = await call(client, 'POST', '/api/auth/tenant-credentials/', {
      provider: 'dhis2',
      tenant_id: 'bad domain!',
      credential: 'no-colon-here',
      tenant_name: 'x'.repeat(101),
      role: 'owner',
    });
    expect(status).toBe(400);
    expect(Object.keys(body.fields).sort()).toEqual(['_', 'credential', 'provider', 'tenant_id', 'tenant_name']);
    expect(body.fields._[0]).toMatch(/role/);
  });

  it('refuses a CommCare server that is not on the list, without contacting it', async () => {
    const { status, body } = await connect(await signedInClient(), { hq_base_url: 'http://169.254.169.254' });
    expect(status).toBe(400);
    expect(body.fields.hq_base_url[0]).toMatch(/Choose one of the CommCare servers/);
  });
});

describe('managing connected domains', () => {
  it('selects a domain and lists the most recently selected first', async () => {
    const client = await signedInClient();
    const a = await connect(client, { tenant_name: 'A' });
    const b = await connect(client, { tenant_id: 'other-project', tenant_name: 'B' });
    const selectB = await call(client, 'POST', '/api/auth/tenants/select/', { tenant_id: b.body.membership_id });
    expect(selectB.body).toEqual({ status: 'ok', tenant_id: 'other-project' });
    await call(client, 'POST', '/api/auth/tenants/select', { tenant_id: a.body.membership_id });
    const list = await call(client, 'GET', '/api/auth/tenants/');
    expect(list.body.map((t: { tenant_name: string }) => t.tenant_name)).toEqual(['A', 'B']);
    expect(list.body[0].last_selected_at).not.toBeNull();
  });

  it('renames, replaces the key only after verifying it, and removes', async () => {
    const client = await signedInClient();
    const created = await connect(client);
    const id = created.body.membership_id;
    const secretBefore = (await scout.database.pool.query('SELECT secret FROM tenant_credential WHERE membership_id = $1', [id])).rows[0].secret;

    const renamed = await call(client, 'PATCH', `/api/auth/tenant-credentials/${id}/`, { tenant_name: 'Renamed' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.tenant_name).toBe('Renamed');

    const badKey = await call(client, 'PATCH', `/api/auth/tenant-credentials/${id}/`, { credential: `${demo.username}:wrong` });
    expect(badKey.status).toBe(400);
    expect(badKey.body.code).toBe('COMMCARE_AUTH_FAILED');
    const secretAfter = (await scout.database.pool.query('SELECT secret FROM tenant_credential WHERE membership_id = $1', [id])).rows[0].secret;
    expect(secretAfter).toBe(secretBefore);

    const goodKey = await call(client, 'PATCH', `/api/auth/tenant-credentials/${id}/`, { credential: `${demo.username}:${demo.apiKey}` });
    expect(goodKey.status).toBe(200);

    const empty = await call(client, 'PATCH', `/api/auth/tenant-credentials/${id}/`, {});
    expect(empty.status).toBe(400);
    const domainChange = await call(client, 'PATCH', `/api/auth/tenant-credentials/${id}/`, { tenant_id: 'other-project' });
    expect(domainChange.status).toBe(400);

    const removed = await client.request('DELETE', `/api/auth/tenant-credentials/${id}/`);
    expect(removed.status).toBe(204);
    expect((await call(client, 'GET', '/api/auth/tenants/')).body).toEqual([]);
    expect((await scout.database.pool.query('SELECT 1 FROM tenant_credential WHERE membership_id = $1', [id])).rowCount).toBe(0);
  });

  it('keeps the tenant for its other members when one member removes it', async () => {
    const first = await signedInClient();
    const second = await signedInClient();
    const mine = await connect(first);
    await connect(second);
    await first.request('DELETE', `/api/auth/tenant-credentials/${mine.body.membership_id}`);
    const theirs = await call(second, 'GET', '/api/auth/tenants/');
    expect(theirs.body).toHaveLength(1);
  });

  it("answers 404 for another user's membership on every route, changing nothing", async () => {
    const owner = await signedInClient();
    const intruder = await signedInClient();
    const created = await connect(owner, { tenant_name: 'Private' });
    const id = created.body.membership_id;
    expect((await call(intruder, 'POST', '/api/auth/tenants/select/', { tenant_id: id })).status).toBe(404);
    expect((await call(intruder, 'PATCH', `/api/auth/tenant-credentials/${id}/`, { tenant_name: 'Mine now' })).status).toBe(404);
    expect((await intruder.request('DELETE', `/api/auth/tenant-credentials/${id}/`)).status).toBe(404);
    expect((await call(intruder, 'PATCH', `/api/auth/tenant-credentials/not-a-uuid/`, { tenant_name: 'x' })).status).toBe(404);
    expect((await call(owner, 'GET', '/api/auth/tenants/')).body[0].tenant_name).toBe('Private');
  });
});

describe('secrets', () => {
  it('never returns or logs an API key', () => {
    const everything = responses.join('\n') + scout.logs.join('');
    expect(everything).not.toContain(demo.apiKey);
    expect(everything).not.toContain(outsider.apiKey);
  });
});
