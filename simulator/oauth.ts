import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Context, type Hono } from 'hono';
import { type SimEnv } from './api/env';
import { type SimulatorUser, type UserDirectory } from './users';

/**
 * The simulator's OAuth2 authorization server, standing in for HQ's
 * django-oauth-toolkit: authorization code with PKCE (S256 and plain),
 * rotating refresh tokens, expiring access tokens, scopes access_apis and
 * reports:view. Every client_id is accepted (Scout registers its own in
 * development); a registered client's secret is checked when one is sent.
 */

export const OAUTH_SCOPES = ['access_apis', 'reports:view'] as const;
const DEFAULT_SCOPE = 'access_apis';
const CODE_TTL_MS = 10 * 60 * 1000;
const TICKET_TTL_MS = 10 * 60 * 1000;

export const DEFAULT_CLIENTS: Readonly<Record<string, string>> = { scout: 'scout-secret' };

interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: 'S256' | 'plain';
}

interface Grant {
  userId: string;
  clientId: string;
  scopes: string[];
}

interface CodeGrant extends Grant {
  redirectUri: string;
  codeChallenge: string | undefined;
  codeChallengeMethod: 'S256' | 'plain';
  expiresMs: number;
}

interface AccessGrant extends Grant {
  expiresMs: number;
  refreshToken: string;
}

export interface BearerPrincipal {
  user: SimulatorUser;
  scopes: string[];
}

const token = () => randomBytes(24).toString('base64url');

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} - CommCare HQ (simulator)</title>
<style>body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0}main{max-width:380px;margin:10vh auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.3rem}label{display:block;margin:.8rem 0 .2rem}input[type=text],input[type=password]{width:100%;padding:.5rem;box-sizing:border-box}
button{margin-top:1rem;padding:.5rem 1.2rem;margin-right:.5rem}.error{color:#b00020}.muted{color:#666;font-size:.9rem}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

export class OAuthServer {
  private readonly tickets = new Map<string, { userId: string; request: AuthorizeRequest; expiresMs: number }>();
  private readonly codes = new Map<string, CodeGrant>();
  private readonly accessTokens = new Map<string, AccessGrant>();
  private readonly refreshTokens = new Map<string, Grant & { accessToken: string }>();

  constructor(
    private readonly users: UserDirectory,
    private readonly options: { basePath: string; accessTokenTtlSeconds: number; clients?: Readonly<Record<string, string>> },
  ) {}

  /** The user and scopes behind a live access token; null when unknown or expired. */
  authenticate(accessToken: string): BearerPrincipal | null {
    const grant = this.accessTokens.get(accessToken);
    if (!grant || Date.now() >= grant.expiresMs) return null;
    const user = this.users.users.find((u) => u.id === grant.userId);
    return user ? { user, scopes: grant.scopes } : null;
  }

  /** Expires one access token, or all of them: lets tests reach the 401-then-refresh path without waiting. */
  expireAccessTokens(accessToken?: string): number {
    let expired = 0;
    for (const [value, grant] of this.accessTokens) {
      if (accessToken !== undefined && value !== accessToken) continue;
      if (grant.expiresMs > 0) expired++;
      grant.expiresMs = 0;
    }
    return expired;
  }

  mount(app: Hono<SimEnv>): void {
    app.get('/oauth/authorize', (c) => this.authorizePage(c));
    app.post('/oauth/authorize', (c) => this.authorizeSubmit(c));
    app.post('/oauth/token', (c) => this.tokenEndpoint(c));
  }

  /** Parses the authorize query. A string is an error to show (no safe redirect); a URL is an error redirect. */
  private parseAuthorize(query: URLSearchParams): AuthorizeRequest | string | URL {
    const clientId = query.get('client_id');
    const redirectUri = query.get('redirect_uri');
    if (!clientId) return 'Missing client_id.';
    if (!redirectUri) return 'Missing redirect_uri.';
    let redirect: URL;
    try {
      redirect = new URL(redirectUri);
    } catch {
      return 'Invalid redirect_uri.';
    }
    if (redirect.protocol !== 'http:' && redirect.protocol !== 'https:') return 'Invalid redirect_uri.';
    const state = query.get('state') ?? undefined;
    const fail = (error: string) => {
      const url = new URL(redirectUri);
      url.searchParams.set('error', error);
      if (state !== undefined) url.searchParams.set('state', state);
      return url;
    };
    if (query.get('response_type') !== 'code') return fail('unsupported_response_type');
    const scopes = (query.get('scope') ?? DEFAULT_SCOPE).split(/[\s+]+/).filter(Boolean);
    if (scopes.length === 0 || scopes.some((s) => !(OAUTH_SCOPES as readonly string[]).includes(s))) return fail('invalid_scope');
    const codeChallenge = query.get('code_challenge') ?? undefined;
    const method = query.get('code_challenge_method') ?? 'plain';
    if (method !== 'S256' && method !== 'plain') return fail('invalid_request');
    return { clientId, redirectUri, scopes, state, codeChallenge, codeChallengeMethod: method };
  }

  private loginForm(action: string, message?: string, username = ''): string {
    return page(
      'Sign in to CommCare HQ',
      `${message ? `<p class="error">${escapeHtml(message)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="step" value="login">
<label for="username">Email address</label><input type="text" id="username" name="username" autocomplete="username" value="${escapeHtml(username)}" autofocus>
<label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password">
<button type="submit">Sign in</button></form>
<p class="muted">Simulated HQ: try demo@example.com / demo-password.</p>`,
    );
  }

  private authorizePage(c: Context<SimEnv>): Response {
    const url = new URL(c.req.url);
    const parsed = this.parseAuthorize(url.searchParams);
    if (typeof parsed === 'string') return c.html(page('Invalid request', `<p class="error">${escapeHtml(parsed)}</p>`), 400);
    if (parsed instanceof URL) return c.redirect(parsed.toString(), 302);
    return c.html(this.loginForm(`${this.options.basePath}/oauth/authorize/${url.search}`));
  }

  private async authorizeSubmit(c: Context<SimEnv>): Promise<Response> {
    const url = new URL(c.req.url);
    const action = `${this.options.basePath}/oauth/authorize/${url.search}`;
    const parsed = this.parseAuthorize(url.searchParams);
    if (typeof parsed === 'string') return c.html(page('Invalid request', `<p class="error">${escapeHtml(parsed)}</p>`), 400);
    if (parsed instanceof URL) return c.redirect(parsed.toString(), 302);
    const form = await c.req.parseBody();
    const field = (name: string) => (typeof form[name] === 'string' ? form[name] : '');

    if (field('step') === 'consent') {
      const ticket = this.tickets.get(field('ticket'));
      this.tickets.delete(field('ticket'));
      if (!ticket || Date.now() > ticket.expiresMs) return c.html(this.loginForm(action, 'Your session expired. Sign in again.'), 200);
      const redirect = new URL(ticket.request.redirectUri);
      if (field('decision') !== 'allow') {
        redirect.searchParams.set('error', 'access_denied');
      } else {
        const code = token();
        this.codes.set(code, {
          userId: ticket.userId,
          clientId: ticket.request.clientId,
          scopes: ticket.request.scopes,
          redirectUri: ticket.request.redirectUri,
          codeChallenge: ticket.request.codeChallenge,
          codeChallengeMethod: ticket.request.codeChallengeMethod,
          expiresMs: Date.now() + CODE_TTL_MS,
        });
        redirect.searchParams.set('code', code);
      }
      if (ticket.request.state !== undefined) redirect.searchParams.set('state', ticket.request.state);
      return c.redirect(redirect.toString(), 302);
    }

    const user = this.users.withPassword(field('username'), field('password'));
    if (!user) return c.html(this.loginForm(action, 'Please enter a correct username and password.', field('username')), 200);
    const ticket = token();
    this.tickets.set(ticket, { userId: user.id, request: parsed, expiresMs: Date.now() + TICKET_TTL_MS });
    const scopeText: Record<string, string> = { access_apis: 'Access your project data through the APIs', 'reports:view': 'View your reports' };
    return c.html(
      page(
        'Authorize access',
        `<p><strong>${escapeHtml(parsed.clientId)}</strong> wants to access your CommCare HQ account <strong>${escapeHtml(user.username)}</strong>:</p>
<ul>${parsed.scopes.map((s) => `<li>${escapeHtml(scopeText[s] ?? s)}</li>`).join('')}</ul>
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="step" value="consent"><input type="hidden" name="ticket" value="${escapeHtml(ticket)}">
<button type="submit" name="decision" value="allow">Allow</button><button type="submit" name="decision" value="deny">Deny</button></form>`,
      ),
    );
  }

  private async tokenEndpoint(c: Context<SimEnv>): Promise<Response> {
    const contentType = c.req.header('content-type') ?? '';
    let body: Record<string, string> = {};
    if (contentType.includes('application/json')) {
      const json: unknown = await c.req.json().catch(() => ({}));
      if (json && typeof json === 'object') {
        for (const [k, v] of Object.entries(json)) if (typeof v === 'string') body[k] = v;
      }
    } else {
      const form = await c.req.parseBody();
      body = Object.fromEntries(Object.entries(form).filter((e): e is [string, string] => typeof e[1] === 'string'));
    }
    const error = (status: 400 | 401, code: string, description?: string) =>
      c.json({ error: code, ...(description ? { error_description: description } : {}) }, status, { 'Cache-Control': 'no-store' });

    // Client authentication: HTTP Basic or client_id/client_secret in the body.
    let clientId = body.client_id;
    let clientSecret = body.client_secret;
    const authorization = c.req.header('authorization');
    if (authorization?.toLowerCase().startsWith('basic ')) {
      const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        clientId = decodeURIComponent(decoded.slice(0, colon));
        clientSecret = decodeURIComponent(decoded.slice(colon + 1));
      }
    }
    if (!clientId) return error(401, 'invalid_client', 'Client authentication failed.');
    const registeredSecret = (this.options.clients ?? DEFAULT_CLIENTS)[clientId];
    if (registeredSecret !== undefined && clientSecret !== undefined && !sameSecret(clientSecret, registeredSecret)) {
      return error(401, 'invalid_client', 'Client authentication failed.');
    }

    const grantType = body.grant_type;
    if (grantType === 'authorization_code') {
      const code = body.code ? this.codes.get(body.code) : undefined;
      if (body.code) this.codes.delete(body.code);
      if (!code || Date.now() > code.expiresMs || code.clientId !== clientId) return error(400, 'invalid_grant', 'Invalid or expired code.');
      if (body.redirect_uri !== undefined && body.redirect_uri !== code.redirectUri) return error(400, 'invalid_grant', 'Mismatching redirect URI.');
      if (code.codeChallenge !== undefined) {
        const verifier = body.code_verifier;
        if (!verifier) return error(400, 'invalid_request', 'Code verifier required.');
        const expected = code.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
        if (!sameSecret(expected, code.codeChallenge)) return error(400, 'invalid_grant', 'Code verifier failed.');
      }
      return this.issue(c, code);
    }
    if (grantType === 'refresh_token') {
      const refresh = body.refresh_token ? this.refreshTokens.get(body.refresh_token) : undefined;
      if (!refresh || refresh.clientId !== clientId) return error(400, 'invalid_grant', 'Invalid refresh token.');
      // Rotation: the old refresh token and its access token stop working.
      this.refreshTokens.delete(body.refresh_token!);
      this.accessTokens.delete(refresh.accessToken);
      return this.issue(c, refresh);
    }
    return error(400, 'unsupported_grant_type');
  }

  private issue(c: Context<SimEnv>, grant: Grant): Response {
    const accessToken = token();
    const refreshToken = token();
    const ttl = this.options.accessTokenTtlSeconds;
    const base: Grant = { userId: grant.userId, clientId: grant.clientId, scopes: grant.scopes };
    this.accessTokens.set(accessToken, { ...base, expiresMs: Date.now() + ttl * 1000, refreshToken });
    this.refreshTokens.set(refreshToken, { ...base, accessToken });
    return c.json(
      { access_token: accessToken, token_type: 'Bearer', expires_in: ttl, refresh_token: refreshToken, scope: grant.scopes.join(' ') },
      200,
      { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
    );
  }
}
