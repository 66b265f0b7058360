import { Hono } from 'hono';
import { connectorListQuerySchema, createConnectorSchema, updateConnectorSchema, validateConfigSchema } from '../../../shared/connectors';
import { parseBody } from '../../platform/http/body';
import type { AppEnv } from '../../platform/http/env';
import { validationError } from '../../platform/http/errors';
import type { ConnectorService } from './service';

/** Mounted at /api/connectors behind the session check: the catalog and config validation. */
export function connectorCatalogRouter(deps: { connectors: ConnectorService }) {
  const router = new Hono<AppEnv>();
  router.get('/catalog', async (c) => c.json(await deps.connectors.catalog()));
  router.post('/validate-config', async (c) => c.json(await deps.connectors.validate(await parseBody(c, validateConfigSchema))));
  return router;
}

/** Mounted under /api/tenants (session checked there): a domain's installed connectors. */
export function connectorsRouter(deps: { connectors: ConnectorService }) {
  const router = new Hono<AppEnv>();
  const base = '/:membershipId/connectors';

  router.get(base, async (c) => {
    const parsed = connectorListQuerySchema.safeParse(c.req.query());
    if (!parsed.success) throw validationError(parsed.error);
    return c.json(await deps.connectors.list(c.get('user').id, c.req.param('membershipId'), parsed.data));
  });

  router.get(`${base}/name-available`, async (c) => {
    const name = c.req.query('name') ?? '';
    return c.json({ available: name.trim() !== '' && (await deps.connectors.nameAvailable(c.get('user').id, c.req.param('membershipId'), name, c.req.query('except'))) });
  });

  router.post(base, async (c) => {
    const input = await parseBody(c, createConnectorSchema);
    return c.json(await deps.connectors.create(c.get('user').id, c.req.param('membershipId'), input), 201);
  });

  router.get(`${base}/:connectorId`, async (c) => c.json(await deps.connectors.get(c.get('user').id, c.req.param('membershipId'), c.req.param('connectorId'))));

  router.patch(`${base}/:connectorId`, async (c) => {
    const input = await parseBody(c, updateConnectorSchema);
    return c.json(await deps.connectors.update(c.get('user').id, c.req.param('membershipId'), c.req.param('connectorId'), input));
  });

  router.delete(`${base}/:connectorId`, async (c) => {
    await deps.connectors.remove(c.get('user').id, c.req.param('membershipId'), c.req.param('connectorId'));
    return c.body(null, 204);
  });

  router.get('/:membershipId/publish-targets', async (c) => c.json(await deps.connectors.publishTargets(c.get('user').id, c.req.param('membershipId'))));

  return router;
}
