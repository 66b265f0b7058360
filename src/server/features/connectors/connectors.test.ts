import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectedMember, type Member } from '../../../../test/support/members';
import { HttpClient, startScoutWithSimulator, type SimulatedScout } from '../../../../test/support/scout';
import { startWordPress, wordpressAvailable, type WordPressSite } from '../../../../test/support/wordpress';
import type { CatalogEntry, ConnectorSummary, PublishTarget, ValidateConfigResult } from '../../../shared/connectors';
import { openSecret, registeredColumn, rotateSecrets } from '../../platform/crypto/encrypted-columns';
import { KeyRing } from '../../platform/crypto/keyring';
import { seedCatalog, shippedCatalog } from './catalog';

const OLD_KEY = KeyRing.generateKey().toString('base64');
const NEW_KEY = KeyRing.generateKey().toString('base64');
const PASSWORD = 'wp-app-pass-SECRET-1111';
const REPLACED = 'wp-app-pass-SECRET-2222';
const TOKEN = 'tw-access-token-SECRET-3333';

let scout: SimulatedScout;
/** Activation tests the connection: a real WordPress to activate against (when its packages are installed). */
let wp: WordPressSite | undefined;
let owner: Member;
let analyst: Member;
let outsider: Member;
const responses: string[] = [];

/** Every response body is kept, so the test can prove no secret ever left the server. */
async function call<T>(member: Member | { client: HttpClient }, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await member.client.request(method, path, body);
  const text = await response.text();
  responses.push(text);
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

const connectorsOf = (m: Member) => `/api/tenants/${m.membershipId}/connectors`;
const wordpress = (overrides: Record<string, unknown> = {}) => ({
  catalog_key: 'wordpress',
  name: 'Blog WP',
  config: { base_url: 'https://blog.example.org' },
  auth: { username: 'editor', application_password: PASSWORD },
  tags: ['blog'],
  ...overrides,
});

beforeAll(async () => {
  if (wordpressAvailable()) wp = await startWordPress();
  scout = await startScoutWithSimulator({ seed: 3, domains: ['demo-clinic', 'other-project'], cases: 5, formsPerCase: 1 }, { env: { SCOUT_ENCRYPTION_KEYS: `k1:${OLD_KEY}`, SCOUT_EGRESS_ALLOW: wp?.hostPort ?? '' } });
  owner = await connectedMember(scout.baseUrl, 'demo-clinic', { sync: false, name: 'Owner' });
  analyst = await connectedMember(scout.baseUrl, 'demo-clinic', { sync: false, name: 'Analyst' });
  outsider = await connectedMember(scout.baseUrl, 'other-project', { sync: false, name: 'Outsider' });
});
afterAll(async () => {
  await scout?.stop();
  await wp?.stop();
});

describe('the connector catalog', () => {
  it('lists every seeded type with schemas, capabilities and deprecation; re-seeding changes nothing', async () => {
    const { status, body } = await call<CatalogEntry[]>(analyst, 'GET', '/api/connectors/catalog');
    expect(status).toBe(200);
    expect(body.map((e) => e.key).sort()).toEqual(['linkedin', 'medium', 'twitter', 'wordpress']);
    expect(body.find((e) => e.key === 'twitter')).toMatchObject({ category: 'Social', auth_type: 'oauth', capabilities: { max_length: 280, publish: true } });
    expect(body.find((e) => e.key === 'medium')).toMatchObject({ deprecated: true, deprecation_reason: expect.stringContaining('no longer issues') });
    expect(body.find((e) => e.key === 'wordpress')!.auth_schema.properties.application_password).toMatchObject({ 'x-secret': true, writeOnly: true });

    const again = await seedCatalog(scout.database.db);
    expect(again).toEqual({ inserted: [], updated: [], unchanged: ['twitter', 'wordpress', 'linkedin', 'medium'] });
    const count = await scout.database.db.selectFrom('connector_catalog').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(4);
    expect((await new HttpClient(scout.baseUrl).get('/api/connectors/catalog')).status).toBe(401);
  });

  it('re-seeding updates a changed spec in place', async () => {
    const shipped = shippedCatalog();
    const changed = shipped.map((e) => (e.key === 'linkedin' ? { ...e, spec_version: 2, description: 'Changed' } : e));
    expect(await seedCatalog(scout.database.db, changed)).toEqual({ inserted: [], updated: ['linkedin'], unchanged: ['twitter', 'wordpress', 'medium'] });
    const row = await scout.database.db.selectFrom('connector_catalog').select(['spec_version', 'description']).where('key', '=', 'linkedin').executeTakeFirstOrThrow();
    expect(row).toEqual({ spec_version: 2, description: 'Changed' });
    expect((await seedCatalog(scout.database.db, shipped)).updated).toEqual(['linkedin']);
  });

  it('validates a config without saving it, one human message per field and no echoed secrets', async () => {
    const bad = await call<ValidateConfigResult>(owner, 'POST', '/api/connectors/validate-config', {
      catalog_key: 'wordpress',
      config: { base_url: 'not a url', default_status: 'live', extra: 1 },
      auth: { application_password: 'short' },
    });
    expect(bad.status).toBe(200);
    expect(bad.body.valid).toBe(false);
    expect(bad.body.errors).toEqual({
      'config.base_url': ["Enter the site's address, starting with https://"],
      'config.default_status': ['Choose one of: Draft, Pending review, Published'],
      'config.extra': ['is not a field of this connector'],
      'auth.username': ['Required to activate the connector'],
      'auth.application_password': ['Use at least 8 characters'],
    });
    expect(JSON.stringify(bad.body)).not.toContain('short');
    const good = await call<ValidateConfigResult>(owner, 'POST', '/api/connectors/validate-config', { catalog_key: 'medium', config: {} });
    expect(good.body).toEqual({ valid: true, errors: {} });
  });
});

describe('installed connectors', () => {
  let id: string;

  it.runIf(wordpressAvailable())('installs, edits, replaces a secret, activates, publishes, deactivates and deletes', async () => {
    const site = wp!;
    const created = await call<ConnectorSummary>(owner, 'POST', connectorsOf(owner), wordpress());
    expect(created.status).toBe(201);
    id = created.body.id;
    expect(created.body).toMatchObject({
      name: 'Blog WP',
      catalog_key: 'wordpress',
      status: 'inactive',
      // Defaults from the schema are filled in.
      config: { base_url: 'https://blog.example.org', default_status: 'draft' },
      auth: { username: 'editor' },
      auth_configured: true,
      secrets: { application_password: { set: true, updated_at: expect.any(String) } },
      tags: ['blog'],
    });
    const firstSetAt = created.body.secrets.application_password!.updated_at;

    // Config patch merges; the secret is kept when absent.
    const edited = await call<ConnectorSummary>(owner, 'PATCH', `${connectorsOf(owner)}/${id}`, { config: { default_status: 'publish' } });
    expect(edited.body.config).toEqual({ base_url: 'https://blog.example.org', default_status: 'publish' });
    expect(edited.body.secrets.application_password).toEqual({ set: true, updated_at: firstSetAt });
    const badMerge = await call<{ fields: Record<string, string[]> }>(owner, 'PATCH', `${connectorsOf(owner)}/${id}`, { config: { base_url: null } });
    expect(badMerge.status).toBe(400);
    expect(badMerge.body.fields).toEqual({ 'config.base_url': ['Required'] });

    const replaced = await call<ConnectorSummary>(owner, 'PATCH', `${connectorsOf(owner)}/${id}`, { auth: { application_password: REPLACED } });
    expect(replaced.body.secrets.application_password!.updated_at).not.toBe(firstSetAt);
    expect(await scout.services.connectors.credentials(await tenantOf(owner), id)).toEqual({ username: 'editor', application_password: REPLACED });

    // Activation tests the connection for real, so it goes live on a site that accepts its credentials.
    const pointed = await call<ConnectorSummary>(owner, 'PATCH', `${connectorsOf(owner)}/${id}`, { config: { base_url: site.url }, auth: { username: site.admin.username, application_password: site.admin.appPassword } });
    expect(pointed.status).toBe(200);
    const activated = await call<ConnectorSummary>(owner, 'PATCH', `${connectorsOf(owner)}/${id}`, { status: 'active' });
    expect(activated.body).toMatchObject({ status: 'active', last_check: { ok: true, account: { name: 'admin' } } });
    const targets = await call<PublishTarget[]>(analyst, 'GET', `/api/tenants/${analyst.membershipId}/publish-targets`);
    expect(targets.body).toEqual([{ id, name: 'Blog WP', catalog_key: 'wordpress', capabilities: expect.objectContaining({ publish: true }) }]);

    // Clearing a required secret of an active connector is refused.
    const clear = await call<{ fields: Record<string, string[]> }>(owner, 'PATCH', `${connectorsOf(owner)}/${id}`, { auth: { application_password: null } });
    expect(clear.status).toBe(400);
    expect(clear.body.fields).toEqual({ 'auth.application_password': ['This secret is required to activate the connector'] });

    const deactivated = await call<ConnectorSummary>(owner, 'PATCH', `${connectorsOf(owner)}/${id}`, { status: 'inactive', auth: { application_password: null } });
    expect(deactivated.body).toMatchObject({ status: 'inactive', auth_configured: false, secrets: { application_password: { set: false, updated_at: null } } });
    expect((await call<PublishTarget[]>(owner, 'GET', `/api/tenants/${owner.membershipId}/publish-targets`)).body).toEqual([]);
    // Activating without the secret says which one is missing.
    const refused = await call<{ error: string; fields: Record<string, string[]> }>(owner, 'PATCH', `${connectorsOf(owner)}/${id}`, { status: 'active' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'Set every required credential before activating', fields: { 'auth.application_password': [expect.any(String)] } });
    // Status error is the system's to set.
    expect((await call(owner, 'PATCH', `${connectorsOf(owner)}/${id}`, { status: 'error' })).status).toBe(400);

    expect((await call(owner, 'DELETE', `${connectorsOf(owner)}/${id}`)).status).toBe(204);
    expect((await call(owner, 'GET', `${connectorsOf(owner)}/${id}`)).status).toBe(404);
    const left = await scout.database.db.selectFrom('connector_secret').select('id').where('connector_id', '=', id).execute();
    expect(left).toEqual([]);
  });

  it('lets analysts read but not write, and hides other tenants’ connectors', async () => {
    const created = await call<ConnectorSummary>(owner, 'POST', connectorsOf(owner), wordpress({ name: 'Team blog' }));
    const path = `${connectorsOf(owner)}/${created.body.id}`;
    const listed = await call<ConnectorSummary[]>(analyst, 'GET', connectorsOf(analyst));
    expect(listed.body.map((c) => c.name)).toContain('Team blog');
    for (const [method, target, body] of [
      ['POST', connectorsOf(analyst), wordpress({ name: 'Analyst blog' })],
      ['PATCH', `${connectorsOf(analyst)}/${created.body.id}`, { name: 'Renamed' }],
      ['DELETE', `${connectorsOf(analyst)}/${created.body.id}`, undefined],
    ] as const) {
      const denied = await call<{ error: string; code: string }>(analyst, method, target, body);
      expect(denied.status).toBe(403);
      expect(denied.body).toMatchObject({ code: 'FORBIDDEN', error: expect.stringContaining('Only owners and admins') });
    }
    // Another tenant: its own membership can't see this id; someone else's membership id is 404 too.
    expect((await call(outsider, 'GET', `${connectorsOf(outsider)}/${created.body.id}`)).status).toBe(404);
    expect((await call(outsider, 'PATCH', `${connectorsOf(outsider)}/${created.body.id}`, { name: 'Mine' })).status).toBe(404);
    expect((await call(outsider, 'GET', path)).status).toBe(404);
    expect((await call<ConnectorSummary[]>(outsider, 'GET', connectorsOf(outsider))).body).toEqual([]);
    expect((await call({ client: new HttpClient(scout.baseUrl) }, 'GET', connectorsOf(owner))).status).toBe(401);
    // The web shows and hides the controls by the server's answer, from the same table.
    const can = async (m: Member) => (await call<Array<{ id: string; can: Record<string, boolean> }>>(m, 'GET', '/api/auth/tenants/')).body.find((d) => d.id === m.membershipId)!.can;
    expect((await can(owner))['connectors.manage']).toBe(true);
    expect(await can(analyst)).toMatchObject({ 'connectors.manage': false, 'connectors.view': true, 'audit.read': false });
  });

  it('keeps names unique per domain, ignoring case, and answers bad input with field messages', async () => {
    await call(owner, 'POST', connectorsOf(owner), wordpress({ name: 'Marketing X', catalog_key: 'twitter', config: { account_handle: '@scout' }, auth: { client_id: 'cid', client_secret: 'cs', access_token: TOKEN } }));
    const duplicate = await call<{ fields: Record<string, string[]> }>(owner, 'POST', connectorsOf(owner), wordpress({ name: 'marketing x' }));
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.fields).toEqual({ name: ['This name is taken; choose another'] });
    const available = await call<{ available: boolean }>(owner, 'GET', `${connectorsOf(owner)}/name-available?name=MARKETING%20X`);
    expect(available.body).toEqual({ available: false });
    // Another domain may use the same name.
    expect((await call(outsider, 'POST', connectorsOf(outsider), wordpress({ name: 'Marketing X' }))).status).toBe(201);

    const invalid = await call<{ fields: Record<string, string[]> }>(owner, 'POST', connectorsOf(owner), {
      catalog_key: 'twitter',
      name: '',
      config: { account_handle: 'not a handle!', default_hashtags: ['ok', 'bad tag'] },
      auth: { access_token: 42, client_secret: TOKEN, unknown: 'x' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.fields).toMatchObject({ name: [expect.any(String)] });
    const typed = await call<{ fields: Record<string, string[]> }>(owner, 'POST', connectorsOf(owner), {
      catalog_key: 'twitter',
      name: 'Typed',
      config: { account_handle: 'not a handle!', default_hashtags: ['ok', 'bad tag'] },
      auth: { access_token: 42, client_secret: TOKEN, unknown: 'x' },
    });
    expect(typed.body.fields).toEqual({
      'config.account_handle': ['Enter the handle: up to 15 letters, digits or _, e.g. @scout_health'],
      'config.default_hashtags': ['Each hashtag is up to 50 letters, digits or _, e.g. #health'],
      'auth.access_token': ['Enter text'],
      'auth.unknown': ['is not a field of this connector'],
    });
    const unknownType = await call<{ fields: Record<string, string[]> }>(owner, 'POST', connectorsOf(owner), wordpress({ catalog_key: 'myspace' }));
    expect(unknownType.body.fields).toEqual({ catalog_key: ["There is no connector type 'myspace'"] });
    expect((await call(owner, 'GET', `${connectorsOf(owner)}?status=broken`)).status).toBe(400);
    const filtered = await call<ConnectorSummary[]>(owner, 'GET', `${connectorsOf(owner)}?search=market&catalog=twitter`);
    expect(filtered.body.map((c) => c.name)).toEqual(['Marketing X']);
    // Nothing half-written by the refused requests.
    const names = (await scout.database.db.selectFrom('connector').select('name').execute()).map((r) => r.name);
    expect(names).not.toContain('Typed');
  });

  it('never sends or logs a submitted secret', () => {
    for (const secret of [PASSWORD, REPLACED, TOKEN, ...(wp ? [wp.admin.appPassword] : [])]) {
      expect(responses.join('\n')).not.toContain(secret);
      expect(scout.logs.join('\n')).not.toContain(secret);
    }
  });

  it('re-encrypts every connector secret with `keys rotate`, bound to its tenant, connector and field', async () => {
    const column = registeredColumn('connector_secret', 'ciphertext');
    const rotated = await rotateSecrets(scout.database.db as Kysely<unknown>, KeyRing.parse(`k2:${NEW_KEY},k1:${OLD_KEY}`), [column]);
    const rows = await scout.database.db.selectFrom('connector_secret').selectAll().execute();
    expect(rotated.reencrypted).toBe(rows.length);
    expect(rows.length).toBeGreaterThan(0);
    const newOnly = KeyRing.parse(`k2:${NEW_KEY}`);
    for (const row of rows) {
      expect(openSecret(newOnly, column, row.id, row.ciphertext, { tenant_id: row.tenant_id, connector_id: row.connector_id, field: row.field })).toMatch(/SECRET|cs|cid/);
      // Bound to its field: read as another field, it does not decrypt.
      expect(() => openSecret(newOnly, column, row.id, row.ciphertext, { tenant_id: row.tenant_id, connector_id: row.connector_id, field: 'other' })).toThrow();
    }
  });
});

async function tenantOf(member: Member): Promise<string> {
  const row = await scout.database.db.selectFrom('tenant_membership').select('tenant_id').where('id', '=', member.membershipId).executeTakeFirstOrThrow();
  return row.tenant_id;
}
