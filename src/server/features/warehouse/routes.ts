import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { StartRunResponse, WarehouseSummary } from '../../../shared/warehouse';
import { parseOptionalBody } from '../../platform/http/body';
import type { TenantEnv } from '../tenants/scope';
import { presentProgress, presentRun } from './presenter';
import { ACTIVE_STATES } from './runs';
import type { TenantService } from '../tenants/service';
import type { WarehouseService } from './service';

const startSchema = z.strictObject({
  /** full reloads everything; incremental (the default) fetches what changed since the last sync. */
  mode: z.enum(['full', 'incremental'], { error: 'Choose full or incremental' }).optional(),
});

/** Polling interval of the progress stream: the run row is the source of truth, whichever process runs the job. */
const EVENT_POLL_MS = 250;

/** Mounted at /api/tenants/<membership id> (tenant scope resolved there): a member's view of the domain's warehouse and its syncs. */
export function warehouseRouter(deps: { warehouse: WarehouseService; tenants: TenantService }) {
  const { warehouse } = deps;
  const router = new Hono<TenantEnv>();

  router.get('/warehouse', async (c) => {
    const summary = await warehouse.summary(c.get('membership'));
    const body: WarehouseSummary = { ...summary, running: summary.running ? presentRun(summary.running) : null };
    return c.json(body);
  });

  router.delete('/warehouse', async (c) => {
    await warehouse.teardown(c.get('membership'));
    return c.body(null, 204);
  });

  router.post('/materializations', async (c) => {
    const { mode } = await parseOptionalBody(c, startSchema);
    const { created, run } = await warehouse.start(c.get('membership'), mode);
    const body: StartRunResponse = { status: created ? 'started' : 'already_in_progress', run: presentRun(run) };
    return c.json(body, 202);
  });

  router.get('/materializations', async (c) => {
    const runs = await warehouse.history(c.get('membership'));
    return c.json(runs.map(presentRun));
  });

  router.get('/materializations/:runId', async (c) => {
    return c.json(presentRun(await warehouse.run(c.get('membership'), c.req.param('runId'))));
  });

  router.post('/materializations/:runId/cancel', async (c) => {
    await warehouse.cancel(c.get('membership'), c.req.param('runId'));
    return c.json({ status: 'cancelling' });
  });

  router.get('/materializations/:runId/events', async (c) => {
    const userId = c.get('user').id;
    const membership = c.get('membership');
    const runId = c.req.param('runId');
    const first = await warehouse.run(membership, runId);
    return streamSSE(c, async (stream) => {
      let last = '';
      let run = first;
      for (;;) {
        const event = JSON.stringify(presentProgress(run));
        if (event !== last) {
          await stream.writeSSE({ event: 'progress', data: event, id: String(Date.now()) });
          last = event;
        }
        if (!ACTIVE_STATES.includes(run.state) || stream.aborted) break;
        await stream.sleep(EVENT_POLL_MS);
        // Looked up again each time: a member removed meanwhile stops receiving at once (404 ends the stream).
        run = await warehouse.run(await deps.tenants.get(userId, membership.membership_id), runId);
      }
    });
  });

  return router;
}
