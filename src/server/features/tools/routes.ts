import { Hono } from 'hono';
import { parseOptionalBody } from '../../platform/http/body';
import type { AppEnv } from '../../platform/http/env';
import { z } from 'zod';
import type { ToolService } from './service';

/**
 * Mounted at /api/tenants (behind the session check): the data tools over REST for the signed-in user
 * (the SQL console, scripts) and the tenant's audit log.
 */
export function toolsRouter(deps: { tools: ToolService }) {
  const router = new Hono<AppEnv>();

  router.get('/:membershipId/tools', async (c) => {
    await deps.tools.context(c.get('user').id, c.req.param('membershipId'), 'api');
    return c.json(deps.tools.tools.map((t) => ({ name: t.name, description: t.description, input_schema: z.toJSONSchema(t.input) })));
  });

  router.post('/:membershipId/tools/:tool', async (c) => {
    const ctx = await deps.tools.context(c.get('user').id, c.req.param('membershipId'), 'api');
    // Lenient: the tool call checks the text of its arguments itself, so a refused call is still audited.
    const args = await parseOptionalBody(c, z.record(z.string(), z.unknown()), { text: 'lenient' });
    const envelope = await deps.tools.call(ctx, c.req.param('tool'), args);
    return c.json(envelope, envelope.success ? 200 : envelope.error.code === 'INTERNAL_ERROR' ? 500 : 400);
  });

  router.get('/:membershipId/tool-calls', async (c) => {
    const limit = Number(c.req.query('limit') ?? 100);
    return c.json(await deps.tools.auditLog(c.get('user').id, c.req.param('membershipId'), Number.isFinite(limit) ? limit : 100));
  });

  return router;
}
