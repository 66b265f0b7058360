import { Hono } from 'hono';
import type pg from 'pg';
import { pingDatabase } from '../../platform/db/database';
import type { AppEnv } from '../../platform/http/env';

/** Liveness for load balancers and the start-up check: 503 when the database is unreachable. */
export function healthRouter(pool: pg.Pool) {
  const router = new Hono<AppEnv>();
  router.get('/healthz', async (c) => {
    c.header('cache-control', 'no-store');
    const dbOk = await pingDatabase(pool);
    return dbOk ? c.json({ status: 'ok', db: 'ok' }) : c.json({ status: 'unavailable', db: 'unreachable' }, 503);
  });
  return router;
}
