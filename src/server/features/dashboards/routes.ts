import { Hono } from 'hono';
import { parseBody, parseOptionalBody } from '../../platform/http/body';
import type { AppEnv } from '../../platform/http/env';
import { AppError } from '../../platform/http/errors';
import type { RateLimit } from '../../platform/rate-limit';
import type { TenantEnv } from '../tenants/scope';
import { dashboardInput, dashboardPatch, shareInput } from './input';
import type { DashboardService } from './service';

/** Mounted at /api/tenants/<membership id>: the domain's dashboards, their data and share links. */
export function dashboardsRouter(deps: { dashboards: DashboardService; rateLimit: RateLimit }) {
  const router = new Hono<TenantEnv>();

  /** A live run counts as one call of the member's REST tool budget, however many tiles it runs. */
  const takeCall = async (userId: string) => {
    const waitSeconds = await deps.rateLimit.take(userId);
    if (waitSeconds) throw new AppError(429, 'RATE_LIMITED', `You are running queries faster than ${deps.rateLimit.limit} a minute. Try again in ${waitSeconds} s.`, undefined, { 'Retry-After': String(waitSeconds) });
  };

  router.get('/dashboards', async (c) => c.json(await deps.dashboards.list(c.get('membership'))));

  router.post('/dashboards', async (c) => {
    const input = await parseBody(c, dashboardInput);
    return c.json(await deps.dashboards.create(c.get('membership'), input), 201);
  });

  router.get('/dashboards/:id', async (c) => c.json(await deps.dashboards.get(c.get('membership'), c.req.param('id'))));

  router.patch('/dashboards/:id', async (c) => {
    const patch = await parseBody(c, dashboardPatch);
    return c.json(await deps.dashboards.update(c.get('membership'), c.req.param('id'), patch));
  });

  router.delete('/dashboards/:id', async (c) => {
    await deps.dashboards.remove(c.get('membership'), c.req.param('id'));
    return c.body(null, 204);
  });

  // ?source=stored: the last scheduled run (404 when none); otherwise every tile now, with filter.<name> values.
  router.get('/dashboards/:id/data', async (c) => {
    const membership = c.get('membership');
    if (c.req.query('source') === 'stored') return c.json(await deps.dashboards.stored(membership, c.req.param('id')));
    await takeCall(membership.user_id);
    return c.json(await deps.dashboards.live(membership, c.req.param('id'), c.req.query()));
  });

  router.get('/dashboards/:id/tiles/:tileId/data', async (c) => {
    await takeCall(c.get('membership').user_id);
    return c.json(await deps.dashboards.tile(c.get('membership'), c.req.param('id'), c.req.param('tileId'), c.req.query()));
  });

  router.post('/dashboards/:id/share', async (c) => {
    const { days } = await parseOptionalBody(c, shareInput);
    return c.json(await deps.dashboards.share(c.get('membership'), c.req.param('id'), days), 201);
  });

  router.delete('/dashboards/:id/share', async (c) => {
    await deps.dashboards.unshare(c.get('membership'), c.req.param('id'));
    return c.body(null, 204);
  });

  return router;
}

/** Mounted at /api/shared, without a session: what a dashboard's share link shows. */
export function sharedRouter(deps: { dashboards: DashboardService }) {
  const router = new Hono<AppEnv>();
  router.get('/:token', async (c) => {
    // A link someone was given is not for search engines or caches between them and Scout.
    c.header('X-Robots-Tag', 'noindex, nofollow');
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    return c.json(await deps.dashboards.shared(c.req.param('token')));
  });
  return router;
}
