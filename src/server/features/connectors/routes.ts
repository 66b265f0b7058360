import { Hono } from 'hono';
import { connectorListQuerySchema, createConnectorSchema, updateConnectorSchema, validateConfigSchema } from '../../../shared/connectors';
import { parseBody } from '../../platform/http/body';
import type { AppEnv } from '../../platform/http/env';
import { validationError } from '../../platform/http/errors';
import type { TenantEnv } from '../tenants/scope';
import type { ConnectorService } from './service';

/** Mounted at /api/connectors behind the session check: the catalog and config validation. */
export function connectorCatalogRouter(deps: { connectors: ConnectorService }) {
  const router = new Hono<AppEnv>();
  router.get('/catalog', async (c) => c.json(await deps.connectors.catalog()));
  router.post('/validate-config', async (c) => c.json(await deps.connectors.validate(await parseBody(c, validateConfigSchema))));
  return router;
}

/** Mounted at /api/tenants/<membership id> (tenant scope resolved there): a domain's installed connectors. */
export function connectorsRouter(deps: { connectors: ConnectorService }) {
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

  router.post(`${base}/:connectorId/test`, async (c) => c.json(await deps.connectors.test(c.get('membership'), c.req.param('connectorId'))));

  router.delete(`${base}/:connectorId`, async (c) => {
    await deps.connectors.remove(c.get('membership'), c.req.param('connectorId'));
    return c.body(null, 204);
  });

  router.get('/publish-targets', async (c) => c.json(await deps.connectors.publishTargets(c.get('membership'))));

  return router;
}
