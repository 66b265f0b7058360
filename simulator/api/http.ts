import { type Context } from 'hono';
import { type SimEnv } from './env';

/** Small response helpers shared by the route modules. */

export function jsonResponse(c: Context<SimEnv>, body: unknown, status: 200 | 400 | 404 = 200): Response {
  return c.body(JSON.stringify(body), status, { 'Content-Type': 'application/json' });
}

/** Tastypie and the case API v2 both answer parameter problems with 400 `{"error": "..."}`. */
export function badRequest(c: Context<SimEnv>, message: string): Response {
  return jsonResponse(c, { error: message }, 400);
}

/** Thrown by parameter parsers; routes turn it into badRequest. */
export class UserError extends Error {}

export function notFoundPage(c: Context<SimEnv>): Response {
  return c.html(
    '<!doctype html><html><head><title>Page Not Found - CommCare HQ</title></head><body><h1>Page Not Found</h1><p>The page you were looking for does not exist.</p></body></html>',
    404,
  );
}

/**
 * HQ's no_permissions page with LOCATION_ACCESS_DENIED: what
 * LocationAccessMiddleware answers a location-restricted user on a view that
 * is not @location_safe.
 */
export function locationRestrictedPage(c: Context<SimEnv>): Response {
  return c.html(
    '<!doctype html><html><head><title>Permission Denied - CommCare HQ</title></head><body><h1>Permission Denied</h1>' +
      '<p>This project has restricted data access rules. Please contact your project administrator to be assigned access to data in this project. ' +
      'More information is available <a href="https://wiki.commcarehq.org/display/commcarepublic/Location-Based+Data+Access+and+User+Editing+Restrictions">here</a>.</p></body></html>',
    403,
  );
}

const STATUS_TEXT: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** What HQ's load balancer or Django error page sends: HTML, never JSON. */
export function errorPage(c: Context<SimEnv>, status: number): Response {
  const text = STATUS_TEXT[status] ?? 'Error';
  return c.body(`<html><head><title>${status} ${text}</title></head><body><center><h1>${status} ${text}</h1></center><hr><center>nginx</center></body></html>`, {
    status: status as 500,
    headers: { 'Content-Type': 'text/html' },
  });
}

/** HQ's throttle response: 429, empty body, Retry-After in whole seconds. */
export function tooManyRequests(c: Context<SimEnv>, retryAfterSeconds: number): Response {
  return c.body(null, 429, { 'Retry-After': String(retryAfterSeconds) });
}

/** The request's query string in order (repeated keys kept), as Django's QueryDict sees it. */
export function queryParams(c: Context<SimEnv>): URLSearchParams {
  return new URL(c.req.url).searchParams;
}

/** The last value of a parameter, as QueryDict.get returns it. */
export function lastParam(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  return values[values.length - 1];
}
