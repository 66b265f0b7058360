import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectedMember, type Member } from '../../../../test/support/members';
import { startScoutWithSimulator, type SimulatedScout } from '../../../../test/support/scout';
import { startWordPress, wordpressAvailable, type WordPressSite } from '../../../../test/support/wordpress';
import type { ConnectionCheck, ConnectorSummary, ValidateConfigResult } from '../../../shared/connectors';
import { findFreePort } from '../../platform/net';

/** Connection tests against a real WordPress (Debian's package on PHP's server), through the egress guard. */

const WRONG_PASSWORD = 'AbCd EfGh IjKl MnOp QrSt UvWx';

let wp: WordPressSite;
let scout: SimulatedScout;
let owner: Member;
let analyst: Member;
let outsider: Member;
/** An allowed local address where nothing listens. */
let closedPort: number;
/** An allowed local server that is not WordPress. */
let notWordPress: http.Server;
let notWordPressUrl: string;
const responses: string[] = [];
const secrets: string[] = [WRONG_PASSWORD];

async function call<T>(member: Member, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await member.client.request(method, path, body);
  const text = await response.text();
  responses.push(text);
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

const connectorsOf = (m: Member) => `/api/tenants/${m.membershipId}/connectors`;
let names = 0;
async function install(config: Record<string, unknown>, auth: Record<string, unknown>): Promise<ConnectorSummary> {
  const created = await call<ConnectorSummary>(owner, 'POST', connectorsOf(owner), { catalog_key: 'wordpress', name: `Site ${++names}`, config, auth });
  expect(created.status).toBe(201);
  return created.body;
}
const test = (id: string, as: Member = owner) => call<ConnectionCheck>(as, 'POST', `${connectorsOf(as)}/${id}/test`);
const read = async (id: string) => (await call<ConnectorSummary>(owner, 'GET', `${connectorsOf(owner)}/${id}`)).body;
const activate = (id: string) => call<ConnectorSummary & { error: string; fields: Record<string, string[]> }>(owner, 'PATCH', `${connectorsOf(owner)}/${id}`, { status: 'active' });

describe.runIf(wordpressAvailable())('with a real WordPress', () => {
  beforeAll(async () => {
    wp = await startWordPress();
    secrets.push(wp.admin.appPassword, wp.subscriber.appPassword);
    closedPort = await findFreePort();
    notWordPress = http.createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end('<html><body>A static site</body></html>');
    });
    await new Promise<void>((resolve) => notWordPress.listen(0, '127.0.0.1', resolve));
    notWordPressUrl = `http://127.0.0.1:${(notWordPress.address() as AddressInfo).port}`;
    scout = await startScoutWithSimulator(
      { seed: 5, domains: ['demo-clinic', 'other-project'], cases: 3, formsPerCase: 1 },
      { env: { SCOUT_EGRESS_ALLOW: [wp.hostPort, `127.0.0.1:${closedPort}`, new URL(notWordPressUrl).host].join(',') } },
    );
    owner = await connectedMember(scout.baseUrl, 'demo-clinic', { sync: false, name: 'Owner' });
    analyst = await connectedMember(scout.baseUrl, 'demo-clinic', { sync: false, name: 'Analyst' });
    outsider = await connectedMember(scout.baseUrl, 'other-project', { sync: false, name: 'Outsider' });
  });
  afterAll(async () => {
    await scout?.stop();
    await wp?.stop();
    notWordPress?.close();
  });

  describe('testing a WordPress connection', () => {
    it('signs in with the application password, names the account and what it may do, then activates', async () => {
      const connector = await install({ base_url: wp.url, default_status: 'publish' }, { username: wp.admin.username, application_password: wp.admin.appPassword });
      expect(connector).toMatchObject({ status: 'inactive', last_check: null });

      const checked = await test(connector.id);
      expect(checked.status).toBe(200);
      expect(checked.body).toEqual({
        ok: true,
        checked_at: expect.any(String),
        account: { name: 'admin', url: `${wp.url}/author/admin/` },
        message: `Connected to ${wp.hostPort} as admin, who may publish posts.`,
      });
      // A test alone changes nothing but the record of it.
      expect(await read(connector.id)).toMatchObject({ status: 'inactive', last_error: null, last_check: checked.body });

      const activated = await activate(connector.id);
      expect(activated.status).toBe(200);
      expect(activated.body).toMatchObject({ status: 'active', last_error: null, last_check: { ok: true, account: { name: 'admin' } } });
    });

    it('says plainly when the application password is wrong, and leaves the connector inactive', async () => {
      const connector = await install({ base_url: wp.url }, { username: wp.admin.username, application_password: WRONG_PASSWORD });
      const refused = await activate(connector.id);
      expect(refused.status).toBe(400);
      const message = `WordPress at ${wp.hostPort} did not accept the username and application password. Use an application password (Users → Profile → Application Passwords in WordPress), not the account's login password; WordPress offers them only over https:// unless the site is a local one.`;
      expect(refused.body).toMatchObject({ code: 'VALIDATION_ERROR', error: message, fields: { 'auth.application_password': [message] } });
      expect(await read(connector.id)).toMatchObject({ status: 'inactive', last_error: message, last_check: { ok: false, account: null, message } });

      const checked = await test(connector.id);
      expect(checked.body).toEqual({ ok: false, checked_at: expect.any(String), account: null, message });
    });

    it('refuses an account that may not write posts (a subscriber)', async () => {
      const connector = await install({ base_url: wp.url }, { username: wp.subscriber.username, application_password: wp.subscriber.appPassword });
      const checked = await test(connector.id);
      expect(checked.body).toMatchObject({
        ok: false,
        account: null,
        message: `Subscriber can sign in to ${wp.hostPort} but may not write posts (role: subscriber). Use an account with the Author, Editor or Administrator role.`,
      });
      const refused = await activate(connector.id);
      expect(refused.status).toBe(400);
      expect(refused.body.fields).toEqual({ 'auth.username': [checked.body.message] });
      expect((await read(connector.id)).status).toBe('inactive');
    });

    it('says when the site does not exist, nothing answers, or it is not WordPress', async () => {
      const auth = { username: 'admin', application_password: WRONG_PASSWORD };
      const missing = await install({ base_url: 'https://no-such-site.invalid/blog' }, auth);
      expect((await test(missing.id)).body).toMatchObject({ ok: false, message: 'Scout could not find no-such-site.invalid: check the address' });

      const closed = await install({ base_url: `http://127.0.0.1:${closedPort}` }, auth);
      expect((await test(closed.id)).body).toMatchObject({ ok: false, message: `Nothing answered at 127.0.0.1:${closedPort}: check the address, and that the site is up` });

      const other = await install({ base_url: notWordPressUrl }, auth);
      const notWp = await activate(other.id);
      expect(notWp.status).toBe(400);
      expect(notWp.body).toMatchObject({ error: expect.stringContaining('answers, but not as a WordPress site'), fields: { 'config.base_url': [expect.any(String)] } });
    });

    it('refuses private, loopback and metadata addresses on create, update and validation', async () => {
      const auth = { username: 'admin', application_password: WRONG_PASSWORD };
      for (const [baseUrl, address] of [
        ['http://169.254.169.254/', '169.254.169.254'],
        ['http://127.0.0.1/wp', '127.0.0.1'],
        // Allowed is the listed host:port only, not the whole machine.
        [`http://127.0.0.1:${closedPort + 1}/`, '127.0.0.1'],
        ['http://localhost/', '127.0.0.1'],
        ['http://[::ffff:10.0.0.1]/', '::ffff:a00:1'],
      ] as const) {
        const created = await call<{ fields: Record<string, string[]> }>(owner, 'POST', connectorsOf(owner), { catalog_key: 'wordpress', name: `Bad ${baseUrl}`, config: { base_url: baseUrl }, auth });
        expect(created.status, baseUrl).toBe(400);
        expect(created.body.fields, baseUrl).toEqual({ 'config.base_url': [expect.stringContaining(`Scout does not connect to private or local addresses (`)] });
        expect(created.body.fields['config.base_url']![0], baseUrl).toContain(address);
      }

      const connector = await install({ base_url: 'https://no-such-site.invalid' }, auth);
      const moved = await call<{ fields: Record<string, string[]> }>(owner, 'PATCH', `${connectorsOf(owner)}/${connector.id}`, { config: { base_url: 'http://169.254.169.254/latest/meta-data/' } });
      expect(moved.status).toBe(400);
      expect(moved.body.fields['config.base_url']![0]).toContain('169.254.169.254 is a link-local address');
      expect((await read(connector.id)).config.base_url).toBe('https://no-such-site.invalid');

      const validated = await call<ValidateConfigResult>(owner, 'POST', '/api/connectors/validate-config', { catalog_key: 'wordpress', config: { base_url: 'http://10.0.0.1/' } });
      expect(validated.body).toEqual({ valid: false, errors: { 'config.base_url': [expect.stringContaining('(10.0.0.1 is a private network address)')] } });
      const withPassword = await call<ValidateConfigResult>(owner, 'POST', '/api/connectors/validate-config', { catalog_key: 'wordpress', config: { base_url: 'https://admin:pw-in-url@blog.example.org/' } });
      expect(withPassword.body.errors['config.base_url']).toEqual(['Remove the user name and password from the address; Scout keeps credentials separately']);
    });

    it('turns a connector whose test fails later to error with the reason, and back to active on the next success', async () => {
      const connector = await install({ base_url: wp.url }, { username: 'admin', application_password: wp.admin.appPassword });
      expect((await activate(connector.id)).body.status).toBe('active');

      // The password is revoked in WordPress: the next test fails and says why.
      const replaced = await wp.replaceApplicationPassword('admin');
      secrets.push(replaced);
      const failed = await test(connector.id);
      expect(failed.body.ok).toBe(false);
      expect(await read(connector.id)).toMatchObject({ status: 'error', last_error: failed.body.message, last_check: { ok: false } });

      // Fixing the password re-tests it, and the connector is live again.
      const fixed = await call<ConnectorSummary>(owner, 'PATCH', `${connectorsOf(owner)}/${connector.id}`, { auth: { application_password: replaced } });
      expect(fixed.status).toBe(200);
      expect(fixed.body).toMatchObject({ status: 'active', last_error: null, last_check: { ok: true } });

      // A failure the system saw elsewhere (a publish) also recovers on the next passing test.
      await scout.services.connectors.markError(await tenantOf(owner), connector.id, 'WordPress answered 500');
      expect((await read(connector.id)).status).toBe('error');
      expect((await test(connector.id)).body.ok).toBe(true);
      expect(await read(connector.id)).toMatchObject({ status: 'active', last_error: null });
      wp.admin.appPassword = replaced;
    });

    it('is for owners and admins, and another domain’s connector is not found', async () => {
      const connector = await install({ base_url: wp.url }, { username: 'admin', application_password: wp.admin.appPassword });
      const denied = await call<{ code: string }>(analyst, 'POST', `${connectorsOf(analyst)}/${connector.id}/test`);
      expect(denied.status).toBe(403);
      expect((await call(outsider, 'POST', `${connectorsOf(outsider)}/${connector.id}/test`)).status).toBe(404);
      expect((await call(outsider, 'POST', `${connectorsOf(owner)}/${connector.id}/test`)).status).toBe(404);
    });

    it('says which types it cannot test yet, and activates those without a test', async () => {
      // Medium (deprecated: it no longer issues tokens) has no adapter.
      const x = await call<ConnectorSummary>(owner, 'POST', connectorsOf(owner), {
        catalog_key: 'medium',
        name: 'Old Medium',
        config: {},
        auth: { integration_token: 'medium-token-0001' },
      });
      secrets.push('medium-token-0001');
      const untestable = await test(x.body.id);
      expect(untestable).toMatchObject({ status: 400, body: { error: 'Scout cannot test Medium connections yet' } });
      expect((await activate(x.body.id)).body.status).toBe('active');
    });

    it('never sends or logs a password, nor the Basic credentials made from it', () => {
      const everything = `${responses.join('\n')}\n${scout.logs.join('\n')}`;
      for (const secret of secrets) {
        expect(everything).not.toContain(secret);
        for (const user of ['admin', 'subscriber']) expect(everything).not.toContain(Buffer.from(`${user}:${secret}`).toString('base64'));
      }
    });
  });

});

async function tenantOf(member: Member): Promise<string> {
  const row = await scout.database.db.selectFrom('tenant_membership').select('tenant_id').where('id', '=', member.membershipId).executeTakeFirstOrThrow();
  return row.tenant_id;
}
