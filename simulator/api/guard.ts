import { setTimeout as sleep } from 'node:timers/promises';
import { type Context, type MiddlewareHandler } from 'hono';
import { FULL_ACCESS, accessScope } from './access';
import { authenticate, canUseApis, unauthorized } from './auth';
import { type SimContext, type SimEnv } from './env';
import { errorPage, locationRestrictedPage, notFoundPage, tooManyRequests } from './http';
import { can, type Permission } from '../roles';

/** What HQ's resource requires of its caller. */
export interface AccessPolicy {
  /** The permission its RequirePermissionAuthentication checks (access_api is always required too). */
  permission: Permission | null;
  /** Marked @location_safe in HQ: location-restricted users get through, and the handler narrows the data (c.get('scope')). */
  locationSafe: boolean;
}

export type GuardFor = (policy: AccessPolicy) => MiddlewareHandler<SimEnv>;

/**
 * Everything that happens to a domain API request before and after its
 * handler: authentication (401 with the scheme's challenge), unknown domain
 * (404), membership and OAuth scope (403, empty body; a Digest caller who is
 * not a member is challenged again, as django-digest turns the view's 403
 * into a challenge), location restriction (HQ's 403 page, for resources that
 * are not location-safe), permission (403, empty body), added latency, the
 * domain's rate limit, and injected faults. Faults come after authorization
 * so that a rejected request never consumes a queued failure.
 */
export function dataGuard(ctx: SimContext, policy: AccessPolicy): MiddlewareHandler<SimEnv> {
  return async (c, next) => {
    const outcome = authenticate(c, ctx);
    if (!outcome.principal) return unauthorized(c, ctx, outcome.challenge);
    const { principal } = outcome;
    const data = ctx.domains.get(c.req.param('domain') ?? '');
    if (!data) return notFoundPage(c);
    const role = principal.user.roles[data.domain];
    if (!role || !principal.user.domains.includes(data.domain)) return principal.via === 'digest' ? unauthorized(c, ctx, 'digest') : c.body(null, 403);
    if (!canUseApis(principal)) return c.body(null, 403);

    let scope = accessScope(data.gen.program, role);
    if (scope.restricted && !policy.locationSafe) {
      if (ctx.restrictedUserAccess === 'deny') return locationRestrictedPage(c);
      if (ctx.restrictedUserAccess === 'unfiltered') scope = FULL_ACCESS;
    }
    if (!can(role, 'access_api') || (policy.permission && !can(role, policy.permission))) return c.body(null, 403);
    c.set('principal', principal);
    c.set('data', data);
    c.set('role', role);
    c.set('scope', scope);

    if (ctx.faults.latencyMs > 0) await sleep(ctx.faults.latencyMs);
    if (ctx.rateLimiter) {
      const decision = ctx.rateLimiter.take(data.domain);
      if (!decision.ok) return tooManyRequests(c, decision.retryAfterSeconds);
    }
    const fault = ctx.faults.decide();
    if (fault.kind === 'error') return errorPage(c, fault.status);
    if (fault.kind === 'rate-limit') return tooManyRequests(c, fault.retryAfterSeconds);

    await next();
    if (fault.kind === 'none' || c.res.status !== 200) return;
    const body = await c.res.text();
    if (fault.kind === 'malformed') {
      // A proxy error page served as JSON: the classic "Unexpected token <".
      c.res = new Response('<html><body><h1>502 Bad Gateway</h1></body></html>', { status: 200, headers: { 'Content-Type': 'application/json' } });
    } else if (fault.kind === 'truncated') {
      // A complete HTTP response whose JSON stops halfway.
      c.res = new Response(body.slice(0, Math.floor(body.length / 2)), { status: 200, headers: { 'Content-Type': 'application/json' } });
    } else {
      c.res = resetMidBody(c, body);
    }
  };
}

/**
 * Promises the whole body (Content-Length), sends half, then resets the TCP
 * connection. Over @hono/node-server this uses the raw socket; called
 * in-process, the body stream errors after the first half instead.
 */
function resetMidBody(c: Context<SimEnv>, body: string): Response {
  const bytes = Buffer.from(body);
  const half = bytes.subarray(0, Math.floor(bytes.length / 2));
  const outgoing = (c.env as SimEnv['Bindings'] | undefined)?.outgoing;
  if (outgoing) {
    outgoing.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': bytes.length });
    outgoing.write(half, () => {
      const socket = outgoing.socket;
      if (socket) socket.resetAndDestroy();
      else outgoing.destroy();
    });
    // Tells @hono/node-server the response went out by hand.
    return new Response(null, { headers: { 'x-hono-already-sent': 'true' } });
  }
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array(half));
      controller.error(new Error('ECONNRESET: connection reset by the simulator'));
    },
  });
  return new Response(stream, { status: 200, headers: { 'Content-Type': 'application/json', 'Content-Length': String(bytes.length) } });
}
