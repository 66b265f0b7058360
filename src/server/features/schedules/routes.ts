import { Hono, type Context } from 'hono';
import type { ScheduleTarget } from '../../../shared/questions';
import { parseBody } from '../../platform/http/body';
import type { TenantEnv } from '../tenants/scope';
import { scheduleInput } from './input';
import type { ScheduleService } from './service';

/** Mounted at /api/tenants/<membership id>: the schedules of questions, dashboards and the domain's syncs. */
export function schedulesRouter(deps: { schedules: ScheduleService }) {
  const router = new Hono<TenantEnv>();
  const targets: Array<{ path: string; target: ScheduleTarget; id: (c: Context<TenantEnv>) => string | null }> = [
    { path: '/questions/:id/schedule', target: 'question', id: (c) => c.req.param('id') ?? null },
    { path: '/dashboards/:id/schedule', target: 'dashboard', id: (c) => c.req.param('id') ?? null },
    { path: '/warehouse/schedule', target: 'warehouse', id: () => null },
  ];
  for (const { path, target, id } of targets) {
    router.get(path, async (c) => c.json(await deps.schedules.get(c.get('membership'), target, id(c))));
    router.put(path, async (c) => {
      const body = await parseBody(c, scheduleInput);
      return c.json(await deps.schedules.put(c.get('membership'), target, id(c), body));
    });
    router.delete(path, async (c) => {
      await deps.schedules.remove(c.get('membership'), target, id(c));
      return c.body(null, 204);
    });
    router.get(`${path}/runs`, async (c) => c.json(await deps.schedules.runs(c.get('membership'), target, id(c))));
    router.post(`${path}/run`, async (c) => c.json(await deps.schedules.runNow(c.get('membership'), target, id(c)), 201));
  }
  return router;
}
