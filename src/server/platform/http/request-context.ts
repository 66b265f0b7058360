import { getConnInfo } from '@hono/node-server/conninfo';
import type { MiddlewareHandler } from 'hono';
import { CLIENT_IP_HEADER } from '../auth/auth';
import type { Logger } from '../logger';
import type { AppEnv } from './env';

/**
 * Gives each request an id and a child logger, records one access log line
 * (never a body, a query string or a header value), and pins the client
 * address that rate limiting uses to the socket, so a client can't choose it.
 */
export function requestContext(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const requestId = crypto.randomUUID();
    c.set('requestId', requestId);
    c.set('logger', logger.child({ requestId }));
    c.header('x-request-id', requestId);
    pinClientAddress(c.req.raw, remoteAddress(c));
    const started = performance.now();
    await next();
    const status = c.res.status;
    const line = { method: c.req.method, path: c.req.path, status, durationMs: Math.round(performance.now() - started) };
    if (status >= 500) c.get('logger').error(line, 'request');
    else c.get('logger').info(line, 'request');
  };
}

function remoteAddress(c: Parameters<MiddlewareHandler<AppEnv>>[0]): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket.
    return 'local';
  }
}

function pinClientAddress(request: Request, address: string): void {
  request.headers.delete(CLIENT_IP_HEADER);
  request.headers.set(CLIENT_IP_HEADER, address);
}
