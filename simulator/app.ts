import { Hono } from 'hono';
import { registerApplications } from './api/applications';
import { registerCasesV05 } from './api/cases-v05';
import { registerCasesV2 } from './api/cases-v2';
import { registerControl } from './api/control';
import { type SimContext, type SimEnv } from './api/env';
import { registerForms } from './api/forms';
import { registerGroups } from './api/groups';
import { dataGuard, type GuardFor } from './api/guard';
import { errorPage, notFoundPage } from './api/http';
import { registerIdentity } from './api/identity';
import { registerIndexPage } from './api/index-page';
import { registerLocations } from './api/locations';
import { registerLookupTables } from './api/lookup-tables';
import { registerSso } from './api/sso';
import { registerUsers } from './api/users';

/**
 * The simulator's Hono app. Every route lives under `basePath` ('' standalone,
 * '/simulator' inside Scout); `strict: false` serves each path with and
 * without its trailing slash, as tastypie's `/?$` patterns do.
 */
export function createApp(ctx: SimContext, info: { seed: number }): Hono<SimEnv> {
  const root = new Hono<SimEnv>({ strict: false });
  const app = ctx.basePath ? root.basePath(ctx.basePath) : root;
  const guardFor: GuardFor = (policy) => dataGuard(ctx, policy);

  registerIndexPage(app, ctx);
  registerIdentity(app, ctx);
  registerCasesV05(app, ctx, guardFor);
  registerCasesV2(app, ctx, guardFor);
  registerForms(app, ctx, guardFor);
  registerApplications(app, ctx, guardFor);
  registerUsers(app, ctx, guardFor);
  registerGroups(app, ctx, guardFor);
  registerLocations(app, ctx, guardFor);
  registerLookupTables(app, ctx, guardFor);
  registerSso(app, ctx);
  ctx.oauth.mount(app);
  registerControl(app, ctx, info);

  app.notFound((c) => notFoundPage(c));
  app.onError((error, c) => {
    console.error('simulator: unhandled error', error);
    return errorPage(c, 500);
  });
  return app;
}
