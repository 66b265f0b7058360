import { type Context, type Hono } from 'hono';
import { type SimContext, type SimEnv } from './env';
import { jsonResponse, notFoundPage } from './http';
import { webUserJson } from './users';

/**
 * POST /a/<domain>/api/v0.5/sso/ (alias /api/sso/v1/), v0_4.SingleSignOnResource:
 * form fields `username` and `password`; answers the user's own record, for
 * a web user the WebUserResource object (role, is_admin, permissions). It is
 * the API through which any member, admin or not, learns their own role and
 * whether it is location-restricted (permissions.access_all_locations); the
 * web-user list needs edit_web_users, which restricted roles never have.
 * Needs the password: API keys and tokens do not work here.
 */

const badRequest = (c: Context<SimEnv>, message: string) => c.body(message, 400, { 'Content-Type': 'text/html; charset=utf-8' });

async function signOn(c: Context<SimEnv>, ctx: SimContext): Promise<Response> {
  const data = ctx.domains.get(c.req.param('domain') ?? '');
  if (!data) return notFoundPage(c);
  const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const username = typeof form.username === 'string' ? form.username : undefined;
  const password = typeof form.password === 'string' ? form.password : undefined;
  if (username === undefined) return badRequest(c, 'Missing required parameter: username');
  if (password === undefined) return badRequest(c, 'Missing required parameter: password');
  // A bare name means a mobile worker (format_username); they have no password here.
  const user = username.includes('@') ? ctx.users.withPassword(username, password) : undefined;
  const role = user?.roles[data.domain];
  if (!user || !role) return c.body(null, 403);
  // v0_1.WebUserResource built without an api_name cannot reverse its URL: resource_uri is ''.
  return jsonResponse(c, webUserJson(user, role, ''));
}

export function registerSso(app: Hono<SimEnv>, ctx: SimContext): void {
  for (const flavour of ['v0.5/sso', 'sso/v1']) {
    app.post(`/a/:domain/api/${flavour}`, (c) => signOn(c, ctx));
    // list_allowed_methods = ['post'].
    app.get(`/a/:domain/api/${flavour}`, (c) => c.body(null, 405, { Allow: 'POST' }));
  }
}
