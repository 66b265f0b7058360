import type { MiddlewareHandler } from 'hono';
import { ERROR_CODES } from '../../../shared/errors';
import { AppError } from './errors';
import type { AppEnv } from './env';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery guard for the cookie-authenticated API: a
 * browser always sends Origin on a cross-origin write, so a write whose Origin
 * is not Scout's own is refused. Requests without Origin (curl, MCP clients,
 * server-to-server) carry no ambient cookies from a victim's browser.
 * `cookielessPaths` are endpoints that never read the cookie (it is removed
 * before they run), so a write to them from any origin is harmless.
 */
export function originGuard(trustedOrigins: string[], cookielessPaths: ReadonlySet<string> = new Set()): MiddlewareHandler<AppEnv> {
  const trusted = new Set(trustedOrigins);
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (!SAFE_METHODS.has(c.req.method) && origin !== undefined && !trusted.has(origin) && !cookielessPaths.has(c.req.path)) {
      throw new AppError(403, ERROR_CODES.forbidden, 'This request came from a page Scout does not trust. Open Scout at its own address and try again.');
    }
    await next();
  };
}
