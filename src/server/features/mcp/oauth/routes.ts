import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { MCP_OAUTH_SCOPES, mcpConsentSchema, type McpConsentAnswer } from '../../../../shared/mcp';
import { ERROR_CODES } from '../../../../shared/errors';
import type { Auth } from '../../../platform/auth/auth';
import { parseBody } from '../../../platform/http/body';
import type { AppEnv } from '../../../platform/http/env';
import { AppError, notFound } from '../../../platform/http/errors';
import type { McpGrantService } from './grants';
import { checkJson } from '../../../platform/http/json-input';
import { textProblem } from '../../../../shared/text';

/**
 * The authorization server's endpoints a client calls itself (no cookie, any
 * origin): they sit outside the API's origin guard, and the session cookie is
 * taken off before better-auth sees them, so a page can't register clients or
 * trade codes as the signed-in user.
 */
export const OAUTH_CLIENT_PATHS: ReadonlySet<string> = new Set([
  '/api/auth/oauth2/token',
  '/api/auth/oauth2/register',
  '/api/auth/oauth2/revoke',
  '/api/auth/oauth2/introspect',
]);

/** Discovery documents better-auth's plugins answer (RFC 9728 protected resource, RFC 8414 / OIDC authorization server). */
const DISCOVERY_PATHS = [
  '/.well-known/oauth-protected-resource',
  '/.well-known/oauth-protected-resource/mcp',
  '/.well-known/oauth-authorization-server/api/auth',
  '/api/auth/.well-known/openid-configuration',
];

const ROOT_DISCOVERY_ALIASES = [
  ['/.well-known/oauth-authorization-server', '/.well-known/oauth-authorization-server/api/auth'],
  ['/.well-known/openid-configuration', '/api/auth/.well-known/openid-configuration'],
] as const;

function withoutCookie(request: Request): Request {
  const headers = new Headers(request.headers);
  headers.delete('cookie');
  return new Request(request.url, { method: request.method, headers, body: request.body, duplex: 'half' } as RequestInit);
}

/** Mounted at the root: discovery, authorize, token, register, revoke, JWKS — better-auth answers them in OAuth's own shapes. */
export function oauthServerRouter(deps: { auth: Auth; grants: McpGrantService }) {
  const router = new Hono<AppEnv>({ strict: true });
  const open = cors({ origin: '*', allowMethods: ['GET', 'POST', 'OPTIONS'], allowHeaders: ['Authorization', 'Content-Type', 'Mcp-Protocol-Version'], maxAge: 600 });

  for (const path of DISCOVERY_PATHS) {
    router.use(path, open);
    router.on(['GET', 'HEAD'], path, (c) => deps.auth.handler(c.req.raw));
  }
  // Each domain's own MCP URL (/mcp/<membership id>) is covered by the one resource, /mcp (RFC 9728's path form).
  router.use('/.well-known/oauth-protected-resource/mcp/:membershipId', open);
  router.on(['GET', 'HEAD'], '/.well-known/oauth-protected-resource/mcp/:membershipId', (c) =>
    deps.auth.handler(new Request(new URL('/.well-known/oauth-protected-resource/mcp', c.req.url), { method: c.req.method, headers: c.req.raw.headers })),
  );
  // Clients that look only at the root (pre-RFC 8414 path insertion) get the issuer's document too.
  for (const [root, issuerPath] of ROOT_DISCOVERY_ALIASES) {
    router.use(root, open);
    router.on(['GET', 'HEAD'], root, (c) => deps.auth.handler(new Request(new URL(issuerPath, c.req.url), { method: c.req.method, headers: c.req.raw.headers })));
  }
  router.use('/api/auth/jwks', open);
  router.get('/api/auth/jwks', (c) => deps.auth.handler(c.req.raw));
  // A browser navigation: better-auth sends it on to sign-in, the consent page, or back to the client.
  router.get('/api/auth/oauth2/authorize', (c) => deps.auth.handler(c.req.raw));
  router.use('/api/auth/oauth2/userinfo', open);
  router.get('/api/auth/oauth2/userinfo', (c) => deps.auth.handler(withoutCookie(c.req.raw)));

  for (const path of OAUTH_CLIENT_PATHS) {
    router.use(path, open);
    router.post(path, async (c) => {
      const problem = await inputProblem(c.req.raw);
      if (problem) return c.json({ error: 'invalid_request', error_description: problem }, 400);
      if (path === '/api/auth/oauth2/token') await revokeOnReplay(c, deps.grants);
      return deps.auth.handler(withoutCookie(c.req.raw));
    });
  }
  return router;
}

/**
 * What PostgreSQL could not store or a parser should not have to walk (NUL,
 * lone surrogates, deep nesting), answered in OAuth's error shape before
 * better-auth sees the request.
 */
async function inputProblem(request: Request): Promise<string | undefined> {
  const type = request.headers.get('content-type') ?? '';
  const text = await request.clone().text();
  if (type.includes('application/json')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return undefined; // better-auth answers a body it can't parse itself
    }
    const fields = checkJson(value, { text: true });
    return fields ? Object.entries(fields).map(([field, problems]) => `${field === '_' ? 'body' : field}: ${problems.join(', ')}`).join('; ') : undefined;
  }
  for (const [name, value] of new URLSearchParams(text)) {
    const problem = textProblem(name) ?? textProblem(value);
    if (problem) return `${name.slice(0, 40)}: ${problem}`;
  }
  return undefined;
}

/** A refresh token presented again after it was rotated ends the whole grant (better-auth then refuses it too). */
async function revokeOnReplay(c: Context<AppEnv>, grants: McpGrantService): Promise<void> {
  if (!(c.req.header('content-type') ?? '').includes('application/x-www-form-urlencoded')) return;
  const form = new URLSearchParams(await c.req.raw.clone().text());
  const refreshToken = form.get('refresh_token');
  if (form.get('grant_type') !== 'refresh_token' || !refreshToken || refreshToken.length > 1_000) return;
  if (await grants.revokeOnRefreshReplay(refreshToken)) c.get('logger').warn({ component: 'mcp-oauth' }, 'a rotated refresh token was used again: the grant is revoked');
}

/** Mounted at /api/mcp behind the session: the consent page's request and answer, and the user's connected clients. */
export function mcpOAuthRouter(deps: { auth: Auth; grants: McpGrantService }) {
  const router = new Hono<AppEnv>();

  router.get('/oauth/consent', async (c) => {
    const query = new URL(c.req.url).searchParams;
    return c.json(await deps.grants.consentRequest(c.get('user').id, query));
  });

  router.post('/oauth/consent', async (c) => {
    const input = await parseBody(c, mcpConsentSchema);
    const query = new URLSearchParams(input.oauth_query);
    const clientId = query.get('client_id');
    if (!clientId) throw new AppError(400, ERROR_CODES.validation, 'Some fields need attention', { oauth_query: ['This sign-in request names no client: start again from your MCP client'] });
    const userId = c.get('user').id;
    // Checked before the code exists, so a bad choice never leaves an authorization behind.
    if (input.accept) await deps.grants.checkChoice(userId, input.membership_ids);
    const requested = (query.get('scope') ?? '').split(' ').filter(Boolean);
    const scope = requested.filter((s) => s !== MCP_OAUTH_SCOPES.sync || input.allow_sync).join(' ');
    const answer = await consent(deps.auth, c, { accept: input.accept, oauth_query: input.oauth_query, ...(input.accept && scope ? { scope } : {}) });
    if (input.accept) await deps.grants.record(userId, clientId, input.membership_ids, input.allow_sync && requested.includes(MCP_OAUTH_SCOPES.sync));
    return c.json(answer satisfies McpConsentAnswer);
  });

  router.get('/clients', async (c) => c.json(await deps.grants.list(c.get('user').id)));

  router.delete('/clients/:clientId', async (c) => {
    await deps.grants.revoke(c.get('user').id, c.req.param('clientId'));
    return c.body(null, 204);
  });

  return router;
}

/** better-auth's consent step (it checks the signed query and the session), answered as where the browser goes next. */
async function consent(auth: Auth, c: Context<AppEnv>, body: { accept: boolean; oauth_query: string; scope?: string }): Promise<McpConsentAnswer> {
  const headers = new Headers({ 'content-type': 'application/json', accept: 'application/json' });
  for (const name of ['cookie', 'origin', 'user-agent', 'x-scout-client-ip']) {
    const value = c.req.header(name);
    if (value !== undefined) headers.set(name, value);
  }
  const response = await auth.handler(new Request(new URL('/api/auth/oauth2/consent', c.req.url), { method: 'POST', headers, body: JSON.stringify(body) }));
  const payload = (await response.json().catch(() => null)) as { redirect_uri?: string; url?: string; error_description?: string } | null;
  const redirect = payload?.redirect_uri ?? payload?.url;
  if (response.ok && redirect) return { redirect_uri: redirect };
  if (response.status === 404) throw notFound('This MCP client');
  if (response.status >= 500) throw new Error(`better-auth's consent answered ${response.status}`);
  throw new AppError(400, ERROR_CODES.validation, 'This sign-in request is not valid any more: start again from your MCP client', {
    oauth_query: [payload?.error_description ?? 'The request expired or was changed'],
  });
}
