import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderLittleText, SOCIAL_CLIENT, startDefaultLinkedInSimulator, startDefaultXSimulator, X_USERS, LINKEDIN_MEMBERS } from '../../../../simulator/social';
import type { RunningLinkedInSimulator } from '../../../../simulator/social/linkedin';
import type { RunningXSimulator } from '../../../../simulator/social/x';
import { connectedMember, type Member } from '../../../../test/support/members';
import { startScoutWithSimulator, type SimulatedScout } from '../../../../test/support/scout';
import type { ConnectionCheck, ConnectorSummary } from '../../../shared/connectors';
import { registeredColumn, sealSecret } from '../../platform/crypto/encrypted-columns';
import { Egress } from '../../platform/http/egress';
import type { ConnectionTarget, PublishAttempt, PublishAttempts, PublishContent } from '../publishing/adapters';
import { linkedinAdapter } from '../publishing/adapters/linkedin';
import { xAdapter } from '../publishing/adapters/x';

/**
 * X and LinkedIn end to end against their simulators: OAuth connect over
 * HTTP (PKCE, state), tokens encrypted and never shown or logged, X's
 * refresh with rotation, LinkedIn's expiry, connection tests, publishing
 * with an image and reading the post back, duplicate-safe retries.
 */

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(64)]);
let x: RunningXSimulator;
let li: RunningLinkedInSimulator;
let scout: SimulatedScout;
let owner: Member;
let analyst: Member;
let outsider: Member;
let egress: Egress;
const responses: string[] = [];

const connectorsOf = (m: Member) => `/api/tenants/${m.membershipId}/connectors`;

async function call<T>(member: Member, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await member.client.request(method, path, body);
  const text = await response.text();
  responses.push(text);
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

let names = 0;
async function install(catalogKey: 'twitter' | 'linkedin', config: Record<string, unknown> = {}): Promise<ConnectorSummary> {
  const created = await call<ConnectorSummary>(owner, 'POST', connectorsOf(owner), { catalog_key: catalogKey, name: `${catalogKey} ${++names}`, config });
  expect(created.status).toBe(201);
  return created.body;
}

/** Connect as a browser does: Scout's start → the provider (auto-approves) → Scout's callback → the Connectors page. */
async function connect(member: Member, connectorId: string, tamper?: (callback: URL) => URL | Promise<URL>): Promise<{ landing: URL; callback: URL }> {
  const started = await member.client.request('GET', `${connectorsOf(member)}/${connectorId}/oauth/start`, undefined, {}, 'manual');
  expect(started.status).toBe(302);
  const atProvider = await fetch(started.headers.get('location')!, { redirect: 'manual' });
  expect(atProvider.status).toBe(302);
  let callback = new URL(atProvider.headers.get('location')!);
  if (tamper) callback = await tamper(callback);
  const back = await member.client.request('GET', `${callback.pathname}${callback.search}`, undefined, {}, 'manual');
  responses.push(await back.text());
  expect(back.status).toBe(302);
  return { landing: new URL(back.headers.get('location')!, scout.baseUrl), callback };
}

async function tenantOf(member: Member): Promise<string> {
  const row = await scout.database.db.selectFrom('tenant_membership').select('tenant_id').where('id', '=', member.membershipId).executeTakeFirstOrThrow();
  return row.tenant_id;
}

const read = async (id: string) => (await call<ConnectorSummary>(owner, 'GET', `${connectorsOf(owner)}/${id}`)).body;
const test = (id: string, as: Member = owner) => call<ConnectionCheck>(as, 'POST', `${connectorsOf(as)}/${id}/test`);

/** The publication service keeps attempts in its own rows; here, a log in memory stands in for it. */
function memoryAttempts(): PublishAttempts {
  const log = new Map<string, PublishAttempt>();
  return {
    record: async (id, attempt) => void log.set(id, log.get(id) ?? attempt),
    find: async (id) => log.get(id),
  };
}

async function target(connectorId: string, extra: Partial<ConnectionTarget> = {}): Promise<ConnectionTarget> {
  return { ...(await scout.services.connectors.connectionTarget(await tenantOf(owner), connectorId)), ...extra };
}

function content(text: string, extra: Partial<PublishContent> = {}): PublishContent {
  return { publicationId: `pub-${randomBytes(4).toString('hex')}`, title: 'Weekly visits', text, table: null, image: { png: PNG, alt: 'Bar chart of visits per week' }, ...extra };
}

async function storedSecrets(): Promise<string[]> {
  const rows = await scout.database.db.selectFrom('connector_secret').select('ciphertext').execute();
  return rows.map((r) => r.ciphertext);
}

beforeAll(async () => {
  x = await startDefaultXSimulator();
  li = await startDefaultLinkedInSimulator();
  const allow = `${x.hostPort},${li.hostPort}`;
  egress = new Egress({ allow: allow.split(',') });
  scout = await startScoutWithSimulator(
    { seed: 7, domains: ['demo-clinic', 'other-project'], cases: 3, formsPerCase: 1 },
    {
      env: {
        SCOUT_EGRESS_ALLOW: allow,
        X_OAUTH_CLIENT_ID: SOCIAL_CLIENT.id,
        X_OAUTH_CLIENT_SECRET: SOCIAL_CLIENT.secret,
        X_OAUTH_AUTHORIZE_URL: `${x.url}/i/oauth2/authorize`,
        X_OAUTH_TOKEN_URL: `${x.url}/2/oauth2/token`,
        X_API_BASE_URL: x.url,
        LINKEDIN_OAUTH_CLIENT_ID: SOCIAL_CLIENT.id,
        LINKEDIN_OAUTH_CLIENT_SECRET: SOCIAL_CLIENT.secret,
        LINKEDIN_OAUTH_AUTHORIZE_URL: `${li.url}/oauth/v2/authorization`,
        LINKEDIN_OAUTH_TOKEN_URL: `${li.url}/oauth/v2/accessToken`,
        LINKEDIN_API_BASE_URL: li.url,
        LINKEDIN_OAUTH_SCOPES: 'openid profile w_member_social r_member_social',
      },
    },
  );
  owner = await connectedMember(scout.baseUrl, 'demo-clinic', { sync: false, name: 'Owner' });
  analyst = await connectedMember(scout.baseUrl, 'demo-clinic', { sync: false, name: 'Analyst' });
  outsider = await connectedMember(scout.baseUrl, 'other-project', { sync: false, name: 'Outsider' });
});

afterAll(async () => {
  // No token Scout ever held shows in a response or a log line.
  const secrets = (await scout.database.db.selectFrom('connector_secret').select(['connector_id', 'field']).execute()).length;
  expect(secrets).toBeGreaterThan(0);
  await scout?.stop();
  await x?.close();
  await li?.close();
});

const heldTokens: string[] = [];
async function rememberTokens(connectorId: string) {
  const credentials = await scout.services.connectors.credentials(await tenantOf(owner), connectorId);
  for (const field of ['access_token', 'refresh_token']) if (typeof credentials[field] === 'string') heldTokens.push(credentials[field]);
}
function expectNoTokenLeaked() {
  const everything = [...responses, ...scout.logs].join('\n');
  for (const token of [...heldTokens, SOCIAL_CLIENT.secret]) expect(everything).not.toContain(token);
}

describe('OAuth connect', () => {
  it('connects X with state and PKCE S256, stores the tokens encrypted and names the account', async () => {
    const connector = await install('twitter', { default_hashtags: ['#health'] });
    expect(connector.oauth).toEqual({ connected: false, expires_at: null, renews: false, warning: null });
    const catalog = await call<Array<{ key: string; oauth?: unknown }>>(owner, 'GET', '/api/connectors/catalog');
    expect(catalog.body.find((e) => e.key === 'twitter')?.oauth).toEqual({ provider: 'x', name: 'X', configured: true });

    const started = await owner.client.request('GET', `${connectorsOf(owner)}/${connector.id}/oauth/start`, undefined, {}, 'manual');
    const authorizeUrl = new URL(started.headers.get('location')!);
    expect(authorizeUrl.origin + authorizeUrl.pathname).toBe(`${x.url}/i/oauth2/authorize`);
    expect(Object.fromEntries(authorizeUrl.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: SOCIAL_CLIENT.id,
      redirect_uri: `${scout.baseUrl}/api/connectors/oauth/x/callback`,
      scope: 'tweet.read tweet.write users.read media.write offline.access',
      code_challenge_method: 'S256',
    });
    expect(authorizeUrl.searchParams.get('code_challenge')).toHaveLength(43);

    const { landing } = await connect(owner, connector.id);
    expect(landing.pathname).toBe('/connectors');
    expect(landing.searchParams.get('connected')).toBe(connector.id);
    const summary = await read(connector.id);
    expect(summary.oauth).toMatchObject({ connected: true, renews: true, warning: null });
    expect(new Date(summary.oauth!.expires_at!).getTime()).toBeGreaterThan(Date.now() + 7000_000);
    expect(summary.secrets).toMatchObject({ access_token: { set: true }, refresh_token: { set: true } });
    expect(summary.last_check).toMatchObject({ ok: true, account: { name: '@demo_clinic', url: 'https://x.com/demo_clinic' } });
    // The token exchange authenticated Scout's app with HTTP Basic, as X wants.
    expect(x.sim.tokenRequests.at(-1)).toEqual({ grant_type: 'authorization_code', basic: true });

    await rememberTokens(connector.id);
    const ciphertexts = (await storedSecrets()).join('\n');
    for (const token of heldTokens) expect(ciphertexts).not.toContain(token);
    expectNoTokenLeaked();
  });

  it('fails at X when the PKCE verifier does not match, and stores nothing', async () => {
    const connector = await install('twitter');
    const { landing } = await connect(owner, connector.id, async (callback) => {
      // Replace the verifier Scout kept with another (sealed properly), as if it had been swapped.
      const row = await scout.database.db.selectFrom('connector_oauth_state').selectAll().where('connector_id', '=', connector.id).executeTakeFirstOrThrow();
      const other = sealSecret(scout.keyRing, registeredColumn('connector_oauth_state', 'verifier'), row.id, randomBytes(48).toString('base64url'), { user_id: row.user_id, connector_id: row.connector_id });
      await scout.database.db.updateTable('connector_oauth_state').set({ verifier: other }).where('id', '=', row.id).execute();
      return callback;
    });
    expect(landing.searchParams.get('oauth_error')).toBe('X did not accept the sign-in (the authorization was used, expired or did not match). Try Connect again.');
    expect((await read(connector.id)).secrets.access_token).toEqual({ set: false, updated_at: null });
  });

  it("refuses a callback whose state is altered, replayed or another user's", async () => {
    const connector = await install('twitter');
    const altered = await connect(owner, connector.id, (callback) => {
      callback.searchParams.set('state', randomBytes(32).toString('base64url'));
      return callback;
    });
    expect(altered.landing.searchParams.get('oauth_error')).toBe('This sign-in was not started here, or it expired; try Connect again.');

    // Another signed-in user (the outsider) brings the owner's callback: refused, and the state is spent.
    const started = await owner.client.request('GET', `${connectorsOf(owner)}/${connector.id}/oauth/start`, undefined, {}, 'manual');
    const atProvider = await fetch(started.headers.get('location')!, { redirect: 'manual' });
    const callback = new URL(atProvider.headers.get('location')!);
    const foreign = await outsider.client.request('GET', `${callback.pathname}${callback.search}`, undefined, {}, 'manual');
    expect(new URL(foreign.headers.get('location')!, scout.baseUrl).searchParams.get('oauth_error')).toBe('This sign-in was not started here, or it expired; try Connect again.');
    const replayed = await owner.client.request('GET', `${callback.pathname}${callback.search}`, undefined, {}, 'manual');
    expect(new URL(replayed.headers.get('location')!, scout.baseUrl).searchParams.get('oauth_error')).toBe('This sign-in was not started here, or it expired; try Connect again.');
    expect((await read(connector.id)).secrets.access_token?.set).toBe(false);
  });

  it("lets only owners and admins connect, and answers 404 for another domain's connector", async () => {
    const connector = await install('twitter');
    const denied = await call<{ code: string; error: string }>(analyst, 'GET', `${connectorsOf(analyst)}/${connector.id}/oauth/start`);
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('FORBIDDEN');
    const hidden = await call<{ code: string }>(outsider, 'GET', `${connectorsOf(outsider)}/${connector.id}/oauth/start`);
    expect(hidden.status).toBe(404);
    const notOAuth = await call<{ code: string }>(owner, 'POST', connectorsOf(owner), { catalog_key: 'wordpress', name: 'Blog', config: { base_url: 'https://blog.example.org' } });
    expect((await call<{ error: string }>(owner, 'GET', `${connectorsOf(owner)}/${(notOAuth.body as unknown as ConnectorSummary).id}/oauth/start`)).status).toBe(400);
  });
});

describe('X', () => {
  let connectorId: string;
  beforeAll(async () => {
    connectorId = (await install('twitter', { default_hashtags: ['health', '#data'] })).id;
    await connect(owner, connectorId);
    await rememberTokens(connectorId);
  });

  it('tests the connection: ok, rate limited with when to retry, then 401 once the app is removed', async () => {
    expect((await test(connectorId)).body).toMatchObject({ ok: true, message: 'Connected to X as @demo_clinic (Demo Clinic).' });
    x.sim.faults.rateLimitNext('users.me', 300);
    const limited = (await test(connectorId)).body;
    expect(limited.ok).toBe(false);
    expect(limited.message.startsWith("X's rate limit for this account is reached; try again after ")).toBe(true);
    expect(limited.message).toContain('(in 5 minutes)');
  });

  it('renews an expired access token with the refresh token and stores the rotated pair', async () => {
    const before = await scout.services.connectors.credentials(await tenantOf(owner), connectorId);
    x.sim.expireAccessTokens();
    // Scout does not know yet: X answers 401, Scout renews and tries again.
    expect((await test(connectorId)).body).toMatchObject({ ok: true });
    const after = await scout.services.connectors.credentials(await tenantOf(owner), connectorId);
    expect(after.access_token).not.toBe(before.access_token);
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(x.sim.tokenRequests.at(-1)).toEqual({ grant_type: 'refresh_token', basic: true });
    await rememberTokens(connectorId);
    // Expired by the clock too: renewed before calling.
    await scout.database.db.updateTable('connector').set({ token_expires_at: new Date(Date.now() - 1000) }).where('id', '=', connectorId).execute();
    expect((await test(connectorId)).body).toMatchObject({ ok: true });
    const renewed = await scout.services.connectors.credentials(await tenantOf(owner), connectorId);
    expect(renewed.refresh_token).not.toBe(after.refresh_token);
    await rememberTokens(connectorId);
    expect(new Date((await read(connectorId)).oauth!.expires_at!).getTime()).toBeGreaterThan(Date.now());
  });

  it('publishes the text with the default hashtags and the chart as media, and X shows it', async () => {
    const posted = await xAdapter.publish!(await target(connectorId, { attempts: memoryAttempts() }), content('Visits this week: 42 <up> & rising #health'), egress);
    expect(posted).toMatchObject({ ok: true, url: expect.stringContaining('https://x.com/i/web/status/') });
    const tweet = x.sim.tweets().at(-1)!;
    expect(tweet.id).toBe((posted as { externalId: string }).externalId);
    // X answers the text HTML-escaped; what readers see is exactly what was written, hashtags added once.
    expect(tweet.text).toBe('Visits this week: 42 &lt;up&gt; &amp; rising #health\n\n#data');
    expect(tweet.author_id).toBe(X_USERS[0]!.id);
    const media = x.sim.media(tweet.media_ids[0]!)!;
    expect(media.bytes.equals(PNG)).toBe(true);
    expect(media.altText).toBe('Bar chart of visits per week');
  });

  it('refuses text over 280 characters instead of cutting it, and previews it as posted', async () => {
    const before = x.sim.tweets().length;
    const long = 'a'.repeat(275);
    const refused = await xAdapter.publish!(await target(connectorId), content(long), egress);
    expect(refused).toEqual({
      ok: false,
      transient: false,
      message: "This post is 290 characters as X counts them (links 23 each, some characters 2), over X's limit of 280. Shorten the text or remove default hashtags: Scout never cuts a post.",
    });
    expect(x.sim.tweets().length).toBe(before);
    const preview = xAdapter.preview!({ default_hashtags: ['health'] }, { title: 'Weekly', text: 'Visits: 42 https://example.org/a/very/long/report/link', table: { columns: ['week'], rows: [['1']] }, hasImage: true });
    expect(preview).toEqual({
      body: 'Visits: 42 https://example.org/a/very/long/report/link\n\n#health',
      format: 'text',
      limit: 280,
      length: 11 + 23 + 2 + 7,
      warnings: ['X posts have no title: the title is not posted.', 'X posts carry no table: the table excerpt is left out (the chart image shows the figures).'],
    });
  });

  it('finds the post of an attempt whose answer timed out, so a retry does not post twice', async () => {
    const attempts = memoryAttempts();
    const item = content(`Milestone: 1000 visits ${randomBytes(3).toString('hex')}`, { image: null });
    const before = x.sim.tweets().length;
    x.sim.faults.hangNext('tweets.create');
    const timedOut = await xAdapter.publish!(await target(connectorId, { attempts, timeoutMs: 1000 }), item, egress);
    expect(timedOut).toMatchObject({ ok: false, transient: true });
    expect(x.sim.tweets().length).toBe(before + 1);
    const found = await xAdapter.findPublished!(await target(connectorId, { attempts }), item.publicationId, egress);
    expect(found).toEqual({ externalId: x.sim.tweets().at(-1)!.id, url: `https://x.com/i/web/status/${x.sim.tweets().at(-1)!.id}` });
    // A publication never attempted has nothing to find.
    expect(await xAdapter.findPublished!(await target(connectorId, { attempts }), 'never-sent', egress)).toBeUndefined();
  });

  it('says to connect again once X revokes the sign-in, and marks an active connector error', async () => {
    const connector = await install('twitter');
    await connect(owner, connector.id);
    await rememberTokens(connector.id);
    expect((await call<ConnectorSummary>(owner, 'PATCH', `${connectorsOf(owner)}/${connector.id}`, { status: 'active' })).body.status).toBe('active');
    x.sim.revokeUser(X_USERS[0]!.id);
    const checked = (await test(connector.id)).body;
    expect(checked).toMatchObject({ ok: false });
    expect(checked.message).toContain('Connect the account again');
    expect(await read(connector.id)).toMatchObject({ status: 'error', last_error: checked.message });
    expectNoTokenLeaked();
  });
});

describe('LinkedIn', () => {
  let connectorId: string;
  beforeAll(async () => {
    connectorId = (await install('linkedin')).id;
    const { landing } = await connect(owner, connectorId);
    expect(landing.searchParams.get('connected')).toBe(connectorId);
    await rememberTokens(connectorId);
  });

  it('connects without a refresh token, 60 days, and names the member', async () => {
    const summary = await read(connectorId);
    expect(summary.oauth).toMatchObject({ connected: true, renews: false, warning: null });
    expect(new Date(summary.oauth!.expires_at!).getTime()).toBeGreaterThan(Date.now() + 59 * 86_400_000);
    expect(summary.last_check).toMatchObject({ ok: true, account: { name: 'Dana Field' } });
    expect(summary.last_check!.message.startsWith('Connected to LinkedIn as Dana Field; the sign-in lasts until ')).toBe(true);
  });

  it('publishes escaped text with the chart through the Images API, and LinkedIn shows the text as written', async () => {
    const text = 'Visits (weekly): 42 — see [report] #health @team *up* ~5% _ok_ {x} <y> a|b \\ done';
    const posted = await linkedinAdapter.publish!(await target(connectorId, { attempts: memoryAttempts() }), content(text), egress);
    expect(posted).toMatchObject({ ok: true });
    const post = li.sim.posts().at(-1)!;
    expect((posted as { externalId: string; url: string }).externalId).toBe(post.id);
    expect((posted as { url: string }).url).toBe(`https://www.linkedin.com/feed/update/${post.id}/`);
    expect(post.author).toBe(`urn:li:person:${LINKEDIN_MEMBERS[0]!.sub}`);
    expect(renderLittleText(post.commentary)).toBe(text);
    expect(post.content?.media.altText).toBe('Bar chart of visits per week');
    expect(li.sim.image(post.content!.media.id)!.bytes!.equals(PNG)).toBe(true);
  });

  it('finds the post of an attempt whose answer timed out', async () => {
    const attempts = memoryAttempts();
    const item = content(`Milestone (LinkedIn) ${randomBytes(3).toString('hex')}`, { image: null });
    li.sim.faults.hangNext('posts.create');
    expect(await linkedinAdapter.publish!(await target(connectorId, { attempts, timeoutMs: 1000 }), item, egress)).toMatchObject({ ok: false, transient: true });
    expect(await linkedinAdapter.findPublished!(await target(connectorId, { attempts }), item.publicationId, egress)).toMatchObject({ externalId: li.sim.posts().at(-1)!.id });
  });

  it('tests the connection: 429 with Retry-After, 401 when revoked', async () => {
    li.sim.faults.rateLimitNext('userinfo', 45);
    expect((await test(connectorId)).body.message).toContain("LinkedIn's rate limit is reached; try again after ");
    expect((await test(connectorId)).body.ok).toBe(true);
  });

  it('warns a week before the token expires, and turns an active connector to error once it has', async () => {
    expect((await call<ConnectorSummary>(owner, 'PATCH', `${connectorsOf(owner)}/${connectorId}`, { status: 'active' })).body.status).toBe('active');
    const soon = new Date(Date.now() + 3 * 86_400_000 - 60_000);
    await scout.database.db.updateTable('connector').set({ token_expires_at: soon }).where('id', '=', connectorId).execute();
    expect((await read(connectorId)).oauth!.warning).toBe(`The LinkedIn sign-in expires on ${soon.toISOString().slice(0, 10)} (in 3 days): connect the account again before then to keep publishing.`);
    const past = new Date(Date.now() - 86_400_000);
    await scout.database.db.updateTable('connector').set({ token_expires_at: past }).where('id', '=', connectorId).execute();
    const expired = await read(connectorId);
    expect(expired).toMatchObject({ status: 'error', last_error: `The LinkedIn sign-in expired on ${past.toISOString().slice(0, 10)}: connect the account again to publish.` });
    const published = await linkedinAdapter.publish!(await target(connectorId), content('After expiry'), egress);
    expect(published).toMatchObject({ ok: false, transient: false, message: expect.stringContaining('connect the account again') });
    // Connecting again brings it back.
    await connect(owner, connectorId);
    await rememberTokens(connectorId);
    expect(await read(connectorId)).toMatchObject({ status: 'active', last_error: null, oauth: { warning: null } });
    expectNoTokenLeaked();
  });
});

describe('Medium', () => {
  it('stays in the catalog, deprecated, and is not a publish target', async () => {
    const catalog = await call<Array<{ key: string; deprecated: boolean; deprecation_reason: string; capabilities: Record<string, unknown> }>>(owner, 'GET', '/api/connectors/catalog');
    const medium = catalog.body.find((e) => e.key === 'medium')!;
    expect(medium).toMatchObject({ deprecated: true, capabilities: { publish: false, publish_disabled_reason: 'Medium no longer issues API tokens, so Scout does not publish to Medium.' } });
    expect(medium.deprecation_reason).toContain('Medium no longer issues API tokens');
  });
});
