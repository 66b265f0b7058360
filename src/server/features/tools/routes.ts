import { Hono } from 'hono';
import { parseOptionalBody } from '../../platform/http/body';
import type { TenantEnv } from '../tenants/scope';
import { tenantContext } from './context';
import { z } from 'zod';
import type { ToolEnvelope, ToolErrorCode } from '../../../shared/tools';
import type { RateLimit } from '../../platform/rate-limit';
import type { ToolService } from './service';

const STATUS_BY_CODE: Partial<Record<ToolErrorCode, 403 | 404 | 409 | 429 | 500>> = { FORBIDDEN: 403, QUERY_CANCELLED: 409, RATE_LIMITED: 429, INTERNAL_ERROR: 500 };

/** The HTTP status a failed tool call answers with over REST. */
export function toolFailureStatus(code: ToolErrorCode): 400 | 403 | 404 | 409 | 429 | 500 {
  return STATUS_BY_CODE[code] ?? 400;
}

/**
 * Mounted at /api/tenants/<membership id> (tenant scope resolved there): the data tools over REST for the signed-in user
 * (the SQL console, scripts) and the tenant's audit log.
 */
export function toolsRouter(deps: { tools: ToolService; rateLimit: RateLimit }) {
  const router = new Hono<TenantEnv>();

  router.get('/tools', (c) =>
    c.json(deps.tools.tools.map((t) => ({ name: t.name, description: t.description, input_schema: z.toJSONSchema(t.input) }))),
  );

  router.post('/tools/:tool', async (c) => {
    const ctx = tenantContext(c.get('membership'), 'api');
    const waitSeconds = await deps.rateLimit.take(ctx.userId);
    if (waitSeconds) {
      c.header('Retry-After', String(waitSeconds));
      const message = `You are calling the data tools faster than ${deps.rateLimit.limit} times a minute. Try again in ${waitSeconds} s.`;
      return c.json({ success: false, error: { code: 'RATE_LIMITED', message } } satisfies ToolEnvelope, 429);
    }
    // Lenient: the tool call checks the text of its arguments itself, so a refused call is still audited.
    const args = await parseOptionalBody(c, z.record(z.string(), z.unknown()), { text: 'lenient' });
    const envelope = await deps.tools.call(ctx, c.req.param('tool'), args);
    return c.json(envelope, envelope.success ? 200 : toolFailureStatus(envelope.error.code));
  });

  router.post('/queries/:requestId/cancel', async (c) => {
    await deps.tools.cancel(c.get('membership'), c.req.param('requestId'));
    return c.json({ cancelled: true });
  });

  router.get('/tool-calls', async (c) => {
    const limit = Number(c.req.query('limit') ?? 100);
    return c.json(await deps.tools.auditLog(c.get('membership'), Number.isFinite(limit) ? limit : 100));
  });

  return router;
}
