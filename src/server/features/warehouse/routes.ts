import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { StartRunResponse, WarehouseSummary } from '../../../shared/warehouse';
import { parseOptionalBody } from '../../platform/http/body';
import type { AppEnv } from '../../platform/http/env';
import { presentProgress, presentRun } from './presenter';
import { ACTIVE_STATES } from './runs';
import type { WarehouseService } from './service';

const startSchema = z.strictObject({
  /** full reloads everything; incremental (the default) fetches what changed since the last sync. */
  mode: z.enum(['full', 'incremental'], { error: 'Choose full or incremental' }).optional(),
});

/** Polling interval of the progress stream: the run row is the source of truth, whichever process runs the job. */
const EVENT_POLL_MS = 250;

/** Mounted at /api/tenants (behind the session check): a member's view of the domain's warehouse and its syncs. */
export function warehouseRouter(deps: { warehouse: WarehouseService }) {
  const { warehouse } = deps;
  const router = new Hono<AppEnv>();

  router.get('/:membershipId/warehouse', async (c) => {
    const summary = await warehouse.summary(c.get('user').id, c.req.param('membershipId'));
    const body: WarehouseSummary = { ...summary, running: summary.running ? presentRun(summary.running) : null };
    return c.json(body);
  });

  router.delete('/:membershipId/warehouse', async (c) => {
    await warehouse.teardown(c.get('user').id, c.req.param('membershipId'));
    return c.body(null, 204);
  });

  router.post('/:membershipId/materializations', async (c) => {
    const { mode } = await parseOptionalBody(c, startSchema);
    const { created, run } = await warehouse.start(c.get('user').id, c.req.param('membershipId'), mode);
    const body: StartRunResponse = { status: created ? 'started' : 'already_in_progress', run: presentRun(run) };
    return c.json(body, 202);
  });

  router.get('/:membershipId/materializations', async (c) => {
    const runs = await warehouse.history(c.get('user').id, c.req.param('membershipId'));
    return c.json(runs.map(presentRun));
  });

  router.get('/:membershipId/materializations/:runId', async (c) => {
    return c.json(presentRun(await warehouse.run(c.get('user').id, c.req.param('membershipId'), c.req.param('runId'))));
  });

  router.post('/:membershipId/materializations/:runId/cancel', async (c) => {
    await warehouse.cancel(c.get('user').id, c.req.param('membershipId'), c.req.param('runId'));
    return c.json({ status: 'cancelling' });
  });

  router.get('/:membershipId/materializations/:runId/events', async (c) => {
    const userId = c.get('user').id;
    const membershipId = c.req.param('membershipId');
    const runId = c.req.param('runId');
    const first = await warehouse.run(userId, membershipId, runId);
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
        run = await warehouse.run(userId, membershipId, runId);
      }
    });
  });

  return router;
}
