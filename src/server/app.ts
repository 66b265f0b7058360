import { Hono } from 'hono';
import type pg from 'pg';
import { ERROR_CODES } from '../shared/errors';
import { accountsRouter } from './features/accounts/routes';
import { healthRouter } from './features/health/routes';
import type { Auth } from './platform/auth/auth';
import type { AppEnv } from './platform/http/env';
import { AppError, errorResponse } from './platform/http/errors';
import { originGuard } from './platform/http/origin-guard';
import { requestContext } from './platform/http/request-context';
import { webAppRouter } from './platform/http/web-app';
import type { Logger } from './platform/logger';

export interface AppDeps {
  pool: pg.Pool;
  auth: Auth;
  logger: Logger;
  /** Origins allowed to make cookie-authenticated writes (Scout's own address). */
  trustedOrigins: string[];
  /** Directory of the built web app; omitted in API-only tests. */
  webRoot?: string;
}

/** Composes the feature routers into one Hono app. */
export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>({ strict: false });
  app.use('*', requestContext(deps.logger));
  app.use('/api/*', originGuard(deps.trustedOrigins));

  app.route('/', healthRouter(deps.pool));
  app.route('/api', accountsRouter(deps.auth));
  if (deps.webRoot) app.route('/', webAppRouter(deps.webRoot));

  app.notFound((c) => {
    const body = new AppError(404, ERROR_CODES.notFound, `No API route matches ${c.req.method} ${c.req.path}`).toBody();
    return c.json(body, 404);
  });
  app.onError((error, c) => errorResponse(c, error));
  return app;
}

export type App = ReturnType<typeof createApp>;
