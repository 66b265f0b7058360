import { type Hono } from 'hono';
import { type SimContext, type SimEnv } from './env';
import { type GuardFor } from './guard';
import { jsonResponse } from './http';
import { applicationObjects } from '../generator/apps';

/**
 * GET /a/<domain>/api/v0.5/application/ (alias /api/application/v1/). HQ's
 * application resource does not paginate: every app at once, limit null.
 */

const FLAVOURS = ['v0.5/application', 'application/v1'] as const;

export function registerApplications(app: Hono<SimEnv>, ctx: SimContext, guardFor: GuardFor): void {
  // ApplicationResource: LoginAndDomainAuthentication (access_api only); not @location_safe.
  const guard = guardFor({ permission: null, locationSafe: false });
  for (const flavour of FLAVOURS) {
    app.get(`/a/:domain/api/${flavour}`, guard, (c) => {
      const data = c.get('data');
      const listPath = `${ctx.basePath}/a/${data.domain}/api/${flavour}/`;
      const objects = applicationObjects(data.gen.program, (id) => `${listPath}${id}/`);
      return jsonResponse(c, { meta: { limit: null, next: null, offset: 0, previous: null, total_count: objects.length }, objects });
    });
  }
}
