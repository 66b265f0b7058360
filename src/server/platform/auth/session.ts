import type { MiddlewareHandler } from 'hono';
import { unauthenticated } from '../http/errors';
import type { AppEnv } from '../http/env';
import type { Auth } from './auth';

/** Routes behind this see `c.get('user')`; without a valid session they answer 401. */
export function requireSession(auth: Auth): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const result = await auth.api.getSession({ headers: c.req.raw.headers, returnHeaders: true });
    const session = result.response;
    if (!session) throw unauthenticated();
    // A session near its refresh age comes back with a renewed cookie.
    for (const cookie of result.headers.getSetCookie()) c.header('set-cookie', cookie, { append: true });
    c.set('user', {
      id: session.user.id,
      name: session.user.name,
      email: session.user.email,
      createdAt: new Date(session.user.createdAt),
    });
    c.set('sessionId', session.session.id);
    await next();
  };
}
