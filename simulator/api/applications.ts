import { type Hono, type MiddlewareHandler } from 'hono';
import { type SimContext, type SimEnv } from './env';
import { jsonResponse } from './http';
import { applicationObjects } from '../generator/apps';

/**
 * GET /a/<domain>/api/v0.5/application/ (alias /api/application/v1/). HQ's
 * application resource does not paginate: every app at once, limit null.
 */

const FLAVOURS = ['v0.5/application', 'application/v1'] as const;

export function registerApplications(app: Hono<SimEnv>, ctx: SimContext, guard: MiddlewareHandler<SimEnv>): void {
  for (const flavour of FLAVOURS) {
    app.get(`/a/:domain/api/${flavour}`, guard, (c) => {
      const data = c.get('data');
      const listPath = `${ctx.basePath}/a/${data.domain}/api/${flavour}/`;
      const objects = applicationObjects(data.gen.program, (id) => `${listPath}${id}/`);
      return jsonResponse(c, { meta: { limit: null, next: null, offset: 0, previous: null, total_count: objects.length }, objects });
    });
  }
}
