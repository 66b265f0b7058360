import { Hono } from 'hono';
import { z } from 'zod';
import { HISTORY_SEARCH_MAX } from '../../../shared/query-history';
import { parseBody } from '../../platform/http/body';
import { validationError } from '../../platform/http/errors';
import type { TenantEnv } from '../tenants/scope';
import type { QueryHistoryService } from './service';

const listQuery = z.object({
  search: z.string().max(HISTORY_SEARCH_MAX, `Search with at most ${HISTORY_SEARCH_MAX} characters`).optional(),
  starred: z.enum(['true', 'false'], { error: 'starred must be true or false' }).optional(),
  limit: z.coerce.number({ error: 'limit must be a number' }).int('limit must be a whole number').min(1).max(200).optional(),
});

/** Mounted at /api/tenants/<membership id>: the member's query history and stars. */
export function queryHistoryRouter(deps: { history: QueryHistoryService }) {
  const router = new Hono<TenantEnv>();

  router.get('/queries', async (c) => {
    const parsed = listQuery.safeParse(c.req.query());
    if (!parsed.success) throw validationError(parsed.error);
    const { search, starred, limit } = parsed.data;
    return c.json(await deps.history.list(c.get('membership'), { ...(search ? { search } : {}), starred: starred === 'true', ...(limit ? { limit } : {}) }));
  });

  router.post('/queries/stars', async (c) => {
    const { sql } = await parseBody(c, z.object({ sql: z.string().min(1, 'Write the SQL to star').max(100_000, 'The query is too long') }).strict(), { text: 'strict' });
    return c.json({ id: await deps.history.star(c.get('membership'), sql) }, 201);
  });

  router.delete('/queries/stars/:starId', async (c) => {
    await deps.history.unstar(c.get('membership'), c.req.param('starId'));
    return c.body(null, 204);
  });

  return router;
}
