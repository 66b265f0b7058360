import { Hono } from 'hono';
import { connectorListQuerySchema, createConnectorSchema, updateConnectorSchema, validateConfigSchema } from '../../../shared/connectors';
import { parseBody } from '../../platform/http/body';
import type { AppEnv } from '../../platform/http/env';
import { validationError } from '../../platform/http/errors';
import type { TenantEnv } from '../tenants/scope';
import type { ConnectorOAuth } from './oauth';
import type { ConnectorService } from './service';

/** Mounted at /api/connectors behind the session check: the catalog and config validation. */
export function connectorCatalogRouter(deps: { connectors: ConnectorService; oauth: ConnectorOAuth }) {
  const router = new Hono<AppEnv>();
  router.get('/catalog', async (c) => c.json(await deps.connectors.catalog()));
  // The provider sends the browser back here (the URL registered with it); every outcome redirects to the Connectors page.
  router.get('/oauth/:provider/callback', async (c) => {
    const query = { state: c.req.query('state'), code: c.req.query('code'), error: c.req.query('error') };
    return c.redirect(await deps.oauth.complete(c.get('user').id, c.req.param('provider'), query), 302);
  });
  router.post('/validate-config', async (c) => c.json(await deps.connectors.validate(await parseBody(c, validateConfigSchema))));
  return router;
}

/** Mounted at /api/tenants/<membership id> (tenant scope resolved there): a domain's installed connectors. */
export function connectorsRouter(deps: { connectors: ConnectorService; oauth: ConnectorOAuth }) {
  const router = new Hono<TenantEnv>();
  const base = '/connectors';

  router.get(base, async (c) => {
    const parsed = connectorListQuerySchema.safeParse(c.req.query());
    if (!parsed.success) throw validationError(parsed.error);
    return c.json(await deps.connectors.list(c.get('membership'), parsed.data));
  });

  router.get(`${base}/name-available`, async (c) => {
    const name = c.req.query('name') ?? '';
    return c.json({ available: name.trim() !== '' && (await deps.connectors.nameAvailable(c.get('membership'), name, c.req.query('except'))) });
  });

  router.post(base, async (c) => {
    const input = await parseBody(c, createConnectorSchema);
    return c.json(await deps.connectors.create(c.get('membership'), input), 201);
  });

  router.get(`${base}/:connectorId`, async (c) => c.json(await deps.connectors.get(c.get('membership'), c.req.param('connectorId'))));

  router.patch(`${base}/:connectorId`, async (c) => {
    const input = await parseBody(c, updateConnectorSchema);
    return c.json(await deps.connectors.update(c.get('membership'), c.req.param('connectorId'), input));
  });

  // Connect: a plain link the browser follows, on to the provider's sign-in.
  router.get(`${base}/:connectorId/oauth/start`, async (c) => c.redirect(await deps.oauth.start(c.get('membership'), c.req.param('connectorId')), 302));

  router.post(`${base}/:connectorId/test`, async (c) => c.json(await deps.connectors.test(c.get('membership'), c.req.param('connectorId'))));

  router.delete(`${base}/:connectorId`, async (c) => {
    await deps.connectors.remove(c.get('membership'), c.req.param('connectorId'));
    return c.body(null, 204);
  });

  router.get('/publish-targets', async (c) => c.json(await deps.connectors.publishTargets(c.get('membership'))));

  return router;
}
