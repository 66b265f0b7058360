import { Hono } from 'hono';
import { z } from 'zod';
import { PUBLICATION_STATES } from '../../../shared/publications';
import { parseBody, parseOptionalBody } from '../../platform/http/body';
import { validationError } from '../../platform/http/errors';
import type { TenantEnv } from '../tenants/scope';
import type { DeliveryService } from './delivery';
import { deliveryInput, previewInput, publicationInput, publicationPatch, rejectInput } from './input';
import type { PublicationService } from './service';

const listQuery = z.object({
  state: z.enum(PUBLICATION_STATES, { error: `state is one of ${PUBLICATION_STATES.join(', ')}` }).optional(),
  connector_id: z.uuid('connector_id must be a connector id').optional(),
  limit: z.coerce.number({ error: 'limit must be a number' }).int().min(1).max(200).optional(),
});

/** Mounted at /api/tenants/<membership id>: publications and schedules' deliveries. */
export function publicationsRouter(deps: { publications: PublicationService; deliveries: DeliveryService }) {
  const router = new Hono<TenantEnv>();

  router.get('/publications', async (c) => {
    const parsed = listQuery.safeParse(c.req.query());
    if (!parsed.success) throw validationError(parsed.error);
    const { state, connector_id: connectorId, limit } = parsed.data;
    return c.json(await deps.publications.list(c.get('membership'), { ...(state ? { state } : {}), ...(connectorId ? { connectorId } : {}), ...(limit ? { limit } : {}) }));
  });

  router.post('/publications', async (c) => {
    const body = await parseBody(c, publicationInput);
    return c.json(await deps.publications.create({ membership: c.get('membership') }, body), 201);
  });

  router.post('/publications/preview', async (c) => c.json(await deps.publications.preview(c.get('membership'), await parseBody(c, previewInput))));

  router.get('/publications/:id', async (c) => c.json(await deps.publications.get(c.get('membership'), c.req.param('id'))));

  router.patch('/publications/:id', async (c) => {
    const patch = await parseBody(c, publicationPatch);
    return c.json(await deps.publications.update(c.get('membership'), c.req.param('id'), patch));
  });

  router.post('/publications/:id/approve', async (c) => c.json(await deps.publications.approve(c.get('membership'), c.req.param('id'))));

  router.post('/publications/:id/reject', async (c) => {
    const { reason } = await parseOptionalBody(c, rejectInput);
    return c.json(await deps.publications.reject(c.get('membership'), c.req.param('id'), reason));
  });

  for (const target of ['question', 'dashboard'] as const) {
    const path = `/${target}s/:id/schedule/delivery`;
    router.get(path, async (c) => c.json(await deps.deliveries.get(c.get('membership'), target, c.req.param('id') ?? '')));
    router.put(path, async (c) => c.json(await deps.deliveries.put(c.get('membership'), target, c.req.param('id') ?? '', await parseBody(c, deliveryInput))));
    router.delete(path, async (c) => {
      await deps.deliveries.remove(c.get('membership'), target, c.req.param('id') ?? '');
      return c.body(null, 204);
    });
  }

  return router;
}
