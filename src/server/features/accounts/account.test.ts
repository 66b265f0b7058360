import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountDeletedResponse, AccountResponse, AccountSession, PasswordChangedResponse } from '../../../shared/accounts';
import type { CreatedMcpToken } from '../../../shared/mcp';
import { connectedMember } from '../../../../test/support/members';
import { HttpClient, startScoutWithSimulator, type SimulatedScout } from '../../../../test/support/scout';

let scout: SimulatedScout;

beforeAll(async () => {
  // Test files sign up and in many times from one address; the limits themselves are tested in accounts.test.ts.
  scout = await startScoutWithSimulator({ seed: 7, domains: ['demo-clinic', 'shared-site', 'solo-site', 'busy-site', 'third-site'], cases: 40, formsPerCase: 1 }, { auth: { signUpAttemptsPerMinute: 1000, signInAttemptsPerMinute: 1000 }, worker: true });
});
afterAll(async () => {
  await scout?.stop();
});

const PASSWORD = 'first-password-1';
const NEW_PASSWORD = 'second-password-2';
const CREDENTIAL = 'demo@example.com:demo-key';

interface Person {
  email: string;
  client: HttpClient;
  userId: string;
}

async function signUp(name = 'Grace Hopper'): Promise<Person> {
  const client = new HttpClient(scout.baseUrl);
  const email = `account-${randomUUID()}@example.org`;
  const response = await client.post('/api/auth/sign-up/email', { name, email, password: PASSWORD });
  expect(response.status).toBe(201);
  const { user } = (await response.json()) as { user: { id: string } };
  return { email, client, userId: user.id };
}

/** Another browser signed in to the same account. */
async function signIn(email: string, password = PASSWORD): Promise<{ client: HttpClient; status: number }> {
  const client = new HttpClient(scout.baseUrl);
  const response = await client.post('/api/auth/sign-in/email', { email, password });
  return { client, status: response.status };
}

async function connect(person: Person, domain: string): Promise<string> {
  const response = await person.client.post('/api/auth/tenant-credentials/', { provider: 'commcare', tenant_id: domain, credential: CREDENTIAL });
  expect(response.status).toBe(201);
  return ((await response.json()) as { membership_id: string }).membership_id;
}

async function count(sql: string, params: unknown[]): Promise<number> {
  const result = await scout.database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params);
  return result.rows[0]!.n;
}

const me = (client: HttpClient) => client.get('/api/me').then((response) => response.status);

describe('the account', () => {
  it('shows the user, whether they have a password, and their domains with what deletion would do', async () => {
    const person = await signUp('Katherine Johnson');
    const response = await person.client.get('/api/account');
    expect(response.status).toBe(200);
    const body = (await response.json()) as AccountResponse;
    expect(body).toEqual({
      user: { id: person.userId, name: 'Katherine Johnson', email: person.email, createdAt: expect.any(String) },
      has_password: true,
      domains: [],
    });
  });

  it('changes the name, and answers a blank one with a field message', async () => {
    const person = await signUp('Dorothy Vaughn');
    const blank = await person.client.request('PATCH', '/api/account', { name: '   ' });
    expect(blank.status).toBe(400);
    expect((await blank.json()).fields.name).toEqual(['Enter your name']);

    const renamed = await person.client.request('PATCH', '/api/account', { name: '  Dorothy J. Vaughan ' });
    expect(renamed.status).toBe(200);
    expect((await renamed.json()).user.name).toBe('Dorothy J. Vaughan');
    expect((await (await person.client.get('/api/me')).json()).user.name).toBe('Dorothy J. Vaughan');
  });

  it('refuses to change the email here (it is how the user signs in)', async () => {
    const person = await signUp();
    const response = await person.client.request('PATCH', '/api/account', { name: 'Grace', email: 'other@example.org' });
    expect(response.status).toBe(400);
    expect((await response.json()).fields).toHaveProperty('_');
    expect((await (await person.client.get('/api/me')).json()).user.email).toBe(person.email);
  });
});

describe('changing the password', () => {
  it('answers a wrong current password with 400 on current_password, and changes nothing', async () => {
    const person = await signUp();
    const other = await signIn(person.email);
    const response = await person.client.post('/api/account/password', { current_password: 'not-my-password-1', new_password: NEW_PASSWORD });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.code).toBe('VALIDATION_ERROR');
    expect(body.fields).toEqual({ current_password: ['This is not your current password'] });
    // Both sessions live on, and the old password still signs in while the new one does not.
    expect(await me(person.client)).toBe(200);
    expect(await me(other.client)).toBe(200);
    expect((await signIn(person.email, PASSWORD)).status).toBe(200);
    expect((await signIn(person.email, NEW_PASSWORD)).status).toBe(401);
  });

  it('with the right current password, changes it and signs out every other session while this one stays signed in', async () => {
    const person = await signUp();
    const other = await signIn(person.email);
    expect(await me(other.client)).toBe(200);

    const response = await person.client.post('/api/account/password', { current_password: PASSWORD, new_password: NEW_PASSWORD });
    expect(response.status).toBe(200);
    expect((await response.json()) as PasswordChangedResponse).toEqual({ status: 'ok', signed_out_sessions: 1 });
    expect(JSON.stringify(response.headers.getSetCookie())).toContain('scout.session_token=');

    expect(await me(other.client)).toBe(401);
    expect(await me(person.client)).toBe(200);
    expect((await signIn(person.email, NEW_PASSWORD)).status).toBe(200);
    expect((await signIn(person.email, PASSWORD)).status).toBe(401);
    expect(scout.logs.join('')).not.toContain(NEW_PASSWORD);
  });

  it.each([
    [{ current_password: '', new_password: NEW_PASSWORD }, 'current_password', 'Enter your current password'],
    [{ current_password: PASSWORD, new_password: 'short1' }, 'new_password', 'at least 10 characters'],
    [{ current_password: PASSWORD, new_password: 'onlyletterslong' }, 'new_password', 'number or symbol'],
    [{ current_password: PASSWORD, new_password: PASSWORD }, 'new_password', 'different from your current one'],
    [{ current_password: PASSWORD }, 'new_password', 'Enter a password'],
  ])('answers %j with a message on %s', async (body, field, message) => {
    const person = await signUp();
    const response = await person.client.post('/api/account/password', body);
    expect(response.status).toBe(400);
    expect(((await response.json()).fields[field] as string[]).join(' ')).toContain(message);
    expect((await signIn(person.email, PASSWORD)).status).toBe(200);
  });

  it('explains that someone without a password (CommCare sign-in only) has none to change', async () => {
    const person = await signUp();
    await scout.database.pool.query(`UPDATE account SET password = NULL WHERE "userId" = $1 AND "providerId" = 'credential'`, [person.userId]);
    expect(((await (await person.client.get('/api/account')).json()) as AccountResponse).has_password).toBe(false);
    const response = await person.client.post('/api/account/password', { current_password: PASSWORD, new_password: NEW_PASSWORD });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'NO_PASSWORD', error: expect.stringContaining('CommCare') });
  });

  it('needs a session', async () => {
    const response = await new HttpClient(scout.baseUrl).post('/api/account/password', { current_password: PASSWORD, new_password: NEW_PASSWORD });
    expect(response.status).toBe(401);
  });
});

describe('sessions', () => {
  it('lists every session with the current one first and flagged, and never a token', async () => {
    const person = await signUp();
    await signIn(person.email);
    const response = await person.client.get('/api/account/sessions');
    expect(response.status).toBe(200);
    const text = await response.text();
    const sessions = JSON.parse(text) as AccountSession[];
    expect(sessions.map((s) => s.current)).toEqual([true, false]);
    expect(Object.keys(sessions[0]!).sort()).toEqual(['created_at', 'current', 'expires_at', 'id', 'ip_address', 'last_active_at', 'user_agent']);
    expect(sessions[0]).toMatchObject({ ip_address: expect.any(String), created_at: expect.any(String), last_active_at: expect.any(String) });
    const tokens = await scout.database.pool.query<{ token: string }>(`SELECT token FROM session WHERE "userId" = $1`, [person.userId]);
    expect(tokens.rows).toHaveLength(2);
    for (const { token } of tokens.rows) expect(text).not.toContain(token);
    expect(text).not.toMatch(/token/i);
  });

  it('signs out another session at once, and leaves this one signed in', async () => {
    const person = await signUp();
    const other = await signIn(person.email);
    const [, otherSession] = (await (await person.client.get('/api/account/sessions')).json()) as AccountSession[];

    const response = await person.client.request('DELETE', `/api/account/sessions/${otherSession!.id}`);
    expect(response.status).toBe(204);
    expect(await me(other.client)).toBe(401);
    expect(await me(person.client)).toBe(200);
    expect(((await (await person.client.get('/api/account/sessions')).json()) as AccountSession[]).map((s) => s.current)).toEqual([true]);
  });

  it("answers 404 for another user's session or an unknown id, and 400 for the current one", async () => {
    const person = await signUp();
    const stranger = await signUp();
    const [strangerSession] = (await (await stranger.client.get('/api/account/sessions')).json()) as AccountSession[];

    const foreign = await person.client.request('DELETE', `/api/account/sessions/${strangerSession!.id}`);
    expect(foreign.status).toBe(404);
    expect((await foreign.json()).code).toBe('NOT_FOUND');
    expect(await me(stranger.client)).toBe(200);
    expect((await person.client.request('DELETE', '/api/account/sessions/no-such-session')).status).toBe(404);

    const [own] = (await (await person.client.get('/api/account/sessions')).json()) as AccountSession[];
    const current = await person.client.request('DELETE', `/api/account/sessions/${own!.id}`);
    expect(current.status).toBe(400);
    expect((await current.json()).code).toBe('CURRENT_SESSION');
    expect(await me(person.client)).toBe(200);
  });

  it('signs out every other session at once', async () => {
    const person = await signUp();
    const others = [await signIn(person.email), await signIn(person.email)];
    const response = await person.client.request('DELETE', '/api/account/sessions');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ signed_out_sessions: 2 });
    for (const other of others) expect(await me(other.client)).toBe(401);
    expect(await me(person.client)).toBe(200);
  });
});

describe('deleting the account', () => {
  it('answers a confirmation that is not the account email with 400 on confirm_email, and deletes nothing', async () => {
    const person = await signUp();
    for (const body of [{ confirm_email: 'someone-else@example.org' }, { confirm_email: '' }, {}]) {
      const response = await person.client.request('DELETE', '/api/account', body);
      expect(response.status).toBe(400);
      expect((await response.json()).fields.confirm_email).toHaveLength(1);
    }
    expect(await me(person.client)).toBe(200);
    expect(await count(`"user" WHERE id = $1`, [person.userId])).toBe(1);
  });

  it('refuses the last owner of a domain that others use, says the way out, and deletes nothing', async () => {
    const owner = await signUp('Owner');
    const member = await signUp('Member');
    const ownerMembership = await connect(owner, 'shared-site');
    await connect(member, 'shared-site');
    const token = (await (await owner.client.post('/api/mcp/tokens', { name: 'Claude Desktop' })).json()) as CreatedMcpToken;

    const account = (await (await owner.client.get('/api/account')).json()) as AccountResponse;
    expect(account.domains).toEqual([
      { membership_id: ownerMembership, name: 'shared-site', domain: 'shared-site', role: 'owner', other_members: 1, on_delete: 'blocks' },
    ]);

    const response = await owner.client.request('DELETE', '/api/account', { confirm_email: owner.email });
    expect(response.status).toBe(409);
    const body = await response.json();
    expect(body.code).toBe('LAST_OWNER');
    expect(body.error).toContain('“shared-site”');
    expect(body.error).toContain('make another member owner first (Settings → Members), or remove the other members');

    expect(await me(owner.client)).toBe(200);
    expect(await count(`tenant_membership WHERE user_id = $1`, [owner.userId])).toBe(1);
    expect(await count(`tenant_credential WHERE membership_id = $1`, [ownerMembership])).toBe(1);
    expect(await count(`mcp_token WHERE id = $1`, [token.id])).toBe(1);
    expect(await count(`tenant WHERE external_id = 'shared-site'`, [])).toBe(1);
  });

  it('removes memberships, credentials, tokens, threads and sessions, drops a domain only they used, and keeps a shared one for its owner', async () => {
    const owner = await connectedMember(scout.baseUrl, 'demo-clinic', { name: 'Owner' });
    const person = await signUp('Leaving User');
    const soloMembership = await connect(person, 'solo-site');
    const sharedMembership = await connect(person, 'demo-clinic');
    await sync(person.client, soloMembership);
    const soloSchema = (await scout.database.pool.query<{ schema_name: string }>(`SELECT schema_name FROM tenant WHERE external_id = 'solo-site'`)).rows[0]!.schema_name;
    expect(await schemaExists(soloSchema)).toBe(true);

    const token = (await (await person.client.post('/api/mcp/tokens', { name: 'Claude Desktop' })).json()) as CreatedMcpToken;
    expect((await mcpCall(token.token)).status).toBe(200);
    for (const membershipId of [soloMembership, sharedMembership]) await insertThread(person.userId, membershipId);
    const otherBrowser = await signIn(person.email);

    const account = (await (await person.client.get('/api/account')).json()) as AccountResponse;
    expect(Object.fromEntries(account.domains.map((d) => [d.domain, [d.role, d.on_delete]]))).toEqual({
      'solo-site': ['owner', 'removed'],
      'demo-clinic': ['analyst', 'kept'],
    });

    // The confirmation ignores case and surrounding spaces.
    const response = await person.client.request('DELETE', '/api/account', { confirm_email: ` ${person.email.toUpperCase()} ` });
    expect(response.status).toBe(200);
    expect((await response.json()) as AccountDeletedResponse).toEqual({ status: 'deleted', removed_domains: ['solo-site'] });
    expect(person.client.hasCookie('scout.session_token')).toBe(false);

    // Everything of theirs is gone, and no session of theirs works any more.
    expect(await count(`"user" WHERE id = $1`, [person.userId])).toBe(0);
    expect(await count(`tenant_membership WHERE user_id = $1`, [person.userId])).toBe(0);
    expect(await count(`tenant_credential WHERE membership_id = ANY($1)`, [[soloMembership, sharedMembership]])).toBe(0);
    expect(await count(`mcp_token WHERE user_id = $1`, [person.userId])).toBe(0);
    expect(await count(`chat_thread WHERE user_id = $1`, [person.userId])).toBe(0);
    expect(await count(`session WHERE "userId" = $1`, [person.userId])).toBe(0);
    expect(await count(`account WHERE "userId" = $1`, [person.userId])).toBe(0);
    expect(await me(otherBrowser.client)).toBe(401);
    expect((await mcpCall(token.token)).status).toBe(401);
    expect((await signIn(person.email)).status).toBe(401);

    // The domain only they used is torn down with its warehouse; the shared one still answers its owner.
    expect(await count(`tenant WHERE external_id = 'solo-site'`, [])).toBe(0);
    expect(await schemaExists(soloSchema)).toBe(false);
    expect(await count(`tenant WHERE external_id = 'demo-clinic'`, [])).toBe(1);
    const tables = await owner.client.post(`/api/tenants/${owner.membershipId}/tools/list_tables`, {});
    expect((await tables.json()).success).toBe(true);
    expect(scout.logs.some((line) => line.includes('account deleted'))).toBe(true);
  });

  it('deletes once when asked twice at the same moment', async () => {
    const person = await signUp();
    await connect(person, 'third-site');
    const statuses = await Promise.all([0, 1].map(() => person.client.request('DELETE', '/api/account', { confirm_email: person.email }).then((r) => r.status)));
    expect(statuses.sort()).toEqual([200, 401]);
    expect(await count(`"user" WHERE id = $1`, [person.userId])).toBe(0);
    expect(await count(`tenant WHERE external_id = 'third-site'`, [])).toBe(0);
  });

  it('waits for a running sync of a domain it would remove, deleting nothing meanwhile', async () => {
    const person = await signUp();
    const membershipId = await connect(person, 'busy-site');
    const tenant = (await scout.database.pool.query<{ id: string; schema_name: string }>(`SELECT t.id, t.schema_name FROM tenant t JOIN tenant_membership m ON m.tenant_id = t.id WHERE m.id = $1`, [membershipId])).rows[0]!;
    // A sync in progress, as its worker would have recorded it.
    const schema = await scout.database.pool.query<{ id: string }>(`INSERT INTO tenant_schema (tenant_id, schema_name, state) VALUES ($1, $2, 'materializing') RETURNING id`, [tenant.id, tenant.schema_name]);
    const run = await scout.database.pool.query<{ id: string }>(`INSERT INTO materialization_run (tenant_schema_id, state, mode) VALUES ($1, 'loading', 'full') RETURNING id`, [schema.rows[0]!.id]);

    const refused = await person.client.request('DELETE', '/api/account', { confirm_email: person.email });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ code: 'SYNC_RUNNING', error: expect.stringContaining('busy-site') });
    expect(await me(person.client)).toBe(200);
    expect(await count(`tenant WHERE id = $1`, [tenant.id])).toBe(1);

    await scout.database.pool.query(`UPDATE materialization_run SET state = 'cancelled', completed_at = now() WHERE id = $1`, [run.rows[0]!.id]);
    const deleted = await person.client.request('DELETE', '/api/account', { confirm_email: person.email });
    expect(deleted.status).toBe(200);
    expect(await count(`tenant WHERE id = $1`, [tenant.id])).toBe(0);
  });
});

async function sync(client: HttpClient, membershipId: string): Promise<void> {
  const started = await client.post(`/api/tenants/${membershipId}/materializations`, '');
  const { run } = (await started.json()) as { run: { id: string } };
  for (let i = 0; i < 600; i++) {
    const current = (await (await client.get(`/api/tenants/${membershipId}/materializations/${run.id}`)).json()) as { state: string; error: string | null };
    if (current.state === 'completed') return;
    if (current.state === 'failed') throw new Error(current.error ?? 'sync failed');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('sync did not finish');
}

async function schemaExists(schema: string): Promise<boolean> {
  return (await count(`pg_namespace WHERE nspname = $1`, [schema])) === 1;
}

/** A chat thread with one message, as the chat would store it (asking needs a model; storing is what matters here). */
async function insertThread(userId: string, membershipId: string): Promise<void> {
  const threadId = randomUUID();
  await scout.database.pool.query(
    `INSERT INTO chat_thread (id, user_id, tenant_id, title) SELECT $1, $2, tenant_id, 'How many cases?' FROM tenant_membership WHERE id = $3`,
    [threadId, userId, membershipId],
  );
  await scout.database.pool.query(`INSERT INTO chat_message (thread_id, id, position, role, parts) VALUES ($1, 'm1', 0, 'user', '[]')`, [threadId]);
}

function mcpCall(token: string): Promise<Response> {
  return fetch(`${scout.baseUrl}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });
}
