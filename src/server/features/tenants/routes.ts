import { Hono } from 'hono';
import { createTenantCredentialSchema, selectTenantSchema, updateTenantCredentialSchema } from '../../../shared/tenants';
import type { Auth } from '../../platform/auth/auth';
import { requireSession } from '../../platform/auth/session';
import { parseBody } from '../../platform/http/body';
import type { AppEnv } from '../../platform/http/env';
import type { HqServerDirectory } from './hq-servers';
import { presentCredential, presentServers, presentTenant } from './presenter';
import type { MemberService } from '../members/service';
import type { MemberAccess } from './access';
import type { MembershipRow } from './repo';
import type { TenantService } from './service';

/**
 * Mounted at /api/auth. Every route needs a session; a membership id that is
 * not the caller's answers 404 (the service looks ids up per user).
 */
export function tenantsRouter(deps: { auth: Auth; tenants: TenantService; access: MemberAccess; members: MemberService; servers: HqServerDirectory }) {
  const { tenants } = deps;
  const router = new Hono<AppEnv>();
  router.use('/tenants/*', requireSession(deps.auth));
  router.use('/tenants', requireSession(deps.auth));
  router.use('/tenant-credentials/*', requireSession(deps.auth));
  router.use('/tenant-credentials', requireSession(deps.auth));
  router.use('/hq-servers', requireSession(deps.auth));

  router.get('/tenants', async (c) => c.json((await tenants.list(c.get('user').id)).map(presentTenant)));

  router.post('/tenants/select', async (c) => {
    const { tenant_id } = await parseBody(c, selectTenantSchema);
    const membership = await tenants.select(c.get('user').id, tenant_id);
    return c.json({ status: 'ok', tenant_id: membership.domain });
  });

  /** A connection as JSON, knowing whether it still reads the domain with the demo key. */
  const present = async (memberships: MembershipRow[]) => {
    const demo = await tenants.demoKeyed(memberships);
    return memberships.map((m) => presentCredential(m, demo.has(m.membership_id)));
  };

  router.get('/tenant-credentials', async (c) => c.json(await present(await tenants.list(c.get('user').id))));

  router.post('/tenant-credentials', async (c) => {
    const input = await parseBody(c, createTenantCredentialSchema);
    const membership = await tenants.connectWithApiKey(c.get('user').id, input);
    // What HQ lets this member see, learned now so their first question needn't wait for it.
    await deps.access.refresh(membership);
    return c.json((await present([membership]))[0], 201);
  });

  router.patch('/tenant-credentials/:membershipId', async (c) => {
    // Look the membership up before reading the body: an unknown id is 404 whatever was sent.
    await tenants.get(c.get('user').id, c.req.param('membershipId'));
    const input = await parseBody(c, updateTenantCredentialSchema);
    const membership = await tenants.update(c.get('user').id, c.req.param('membershipId'), input);
    // A new key may belong to a CommCare user who sees more, or less.
    if (input.credential !== undefined) await deps.access.refresh(membership);
    return c.json((await present([membership]))[0]);
  });

  router.delete('/tenant-credentials/:membershipId', async (c) => {
    // Disconnecting is leaving the domain: the members' rules apply (an owner hands ownership on first).
    const membership = await tenants.get(c.get('user').id, c.req.param('membershipId'));
    await deps.members.remove(membership, membership.membership_id);
    return c.body(null, 204);
  });

  router.post('/tenant-credentials/demo', async (c) => {
    const membership = await tenants.connectDemo(c.get('user').id);
    await deps.access.refresh(membership);
    return c.json((await present([membership]))[0], 201);
  });

  router.get('/hq-servers', (c) => c.json(presentServers(deps.servers.servers, deps.servers.defaultUrl, tenants.demoAvailable)));

  return router;
}
