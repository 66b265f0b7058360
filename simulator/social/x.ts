import { Hono, type Context } from 'hono';
import { basicCredentials, bearer, escapeHtml, IdSequence, isJpeg, isPng, newToken, OneShotFaults, pkceMatches, sameSecret, serveApp, validVerifier, type RunningApp } from './shared';

/**
 * A simulator of the X API v2 endpoints Scout uses, with X's shapes and
 * errors: OAuth 2.0 authorization code with PKCE (`/i/oauth2/authorize`,
 * `/2/oauth2/token`, confidential clients authenticate with HTTP Basic,
 * refresh tokens rotate and the used one dies), `GET /2/users/me`,
 * `POST /2/tweets`, `POST /2/media/upload` (v2, JSON with base64 `media`)
 * and `/2/media/metadata` (alt text), `GET /2/users/:id/tweets`. Errors are
 * RFC 7807 problem objects; 429s carry `x-rate-limit-reset` (epoch seconds).
 */

export const X_SCOPES = ['tweet.read', 'tweet.write', 'users.read', 'offline.access', 'media.write'] as const;

export interface XUser {
  id: string;
  name: string;
  username: string;
}

export interface XTweet {
  id: string;
  author_id: string;
  text: string;
  created_at: string;
  media_ids: string[];
  /** The links in `text`, as X wraps them in t.co. */
  urls: Array<{ start: number; end: number; url: string; expanded_url: string; display_url: string }>;
}

export interface XMedia {
  id: string;
  owner: string;
  bytes: Buffer;
  type: string;
  altText: string | undefined;
}

export interface XSimulatorOptions {
  /** Registered confidential clients: client_id → client_secret. */
  clients: Record<string, string>;
  users: XUser[];
  /** The authorize page approves at once for this user (tests); otherwise it asks. */
  autoApprove?: string;
  /** Access token lifetime (X: two hours). */
  accessTokenTtlSeconds?: number;
}

type Endpoint = 'token' | 'users.me' | 'tweets.create' | 'tweets.list' | 'media.upload';

interface Grant {
  userId: string;
  clientId: string;
  scopes: string[];
}

const CODE_TTL_MS = 30_000;
const MAX_WEIGHTED_LENGTH = 280;

export interface XSimulator {
  app: Hono;
  users: XUser[];
  tweets(): XTweet[];
  media(id: string): XMedia | undefined;
  faults: OneShotFaults<Endpoint>;
  /** Expires every access token (or one): the next call with it answers 401. */
  expireAccessTokens(accessToken?: string): void;
  /** Revokes every token of a user, as when they remove the app. */
  revokeUser(userId: string): void;
  /** Token requests seen, without secrets: for asserting what Scout sent. */
  tokenRequests: Array<{ grant_type: string | null; basic: boolean }>;
  close(): void;
}

export function createXSimulator(options: XSimulatorOptions): XSimulator {
  const ttlMs = (options.accessTokenTtlSeconds ?? 7200) * 1000;
  const codes = new Map<string, Grant & { redirectUri: string; challenge: string; method: 'S256' | 'plain'; expiresMs: number }>();
  const access = new Map<string, Grant & { expiresMs: number }>();
  const refresh = new Map<string, Grant>();
  const tweets: XTweet[] = [];
  const media = new Map<string, XMedia>();
  const ids = new IdSequence(1_860_000_000_000_000_000n);
  const faults = new OneShotFaults<Endpoint>();
  const tokenRequests: XSimulator['tokenRequests'] = [];
  const app = new Hono();

  const problem = (c: Context, status: 400 | 401 | 403 | 404 | 429, title: string, detail: string, type = 'about:blank', extra: Record<string, unknown> = {}) =>
    c.json({ title, detail, type, status, ...extra }, status);

  const rateLimited = (c: Context, endpoint: Endpoint) => {
    const seconds = faults.takeRateLimit(endpoint);
    if (seconds === undefined) return undefined;
    c.header('x-rate-limit-limit', '100');
    c.header('x-rate-limit-remaining', '0');
    c.header('x-rate-limit-reset', String(Math.ceil(Date.now() / 1000) + seconds));
    return problem(c, 429, 'Too Many Requests', 'Too Many Requests');
  };

  /** The caller's grant, or the 401/403 X answers; checks scopes like X does (403 when one is missing). */
  const authenticate = (c: Context, needs: string[]): Grant | Response => {
    const token = bearer(c.req.header('authorization'));
    const grant = token ? access.get(token) : undefined;
    if (!grant || Date.now() >= grant.expiresMs) return problem(c, 401, 'Unauthorized', 'Unauthorized');
    const missing = needs.filter((scope) => !grant.scopes.includes(scope));
    if (missing.length > 0) {
      return problem(c, 403, 'Forbidden', `Your client app is not configured with the appropriate oauth scopes for this endpoint (missing: ${missing.join(', ')}).`, 'https://api.twitter.com/2/problems/oauth2-insufficient-scopes');
    }
    c.header('x-rate-limit-limit', '100');
    c.header('x-rate-limit-remaining', '99');
    c.header('x-rate-limit-reset', String(Math.ceil(Date.now() / 1000) + 900));
    return grant;
  };

  const parseAuthorize = (query: URLSearchParams): { error: string } | { redirect: URL } | { request: Omit<Grant, 'userId'> & { redirectUri: string; state: string; challenge: string; method: 'S256' | 'plain' } } => {
    const clientId = query.get('client_id') ?? '';
    const redirectUri = query.get('redirect_uri') ?? '';
    if (!Object.hasOwn(options.clients, clientId)) return { error: 'Something went wrong: this app is not registered with X.' };
    if (!URL.canParse(redirectUri)) return { error: 'Something went wrong: the redirect_uri is not valid.' };
    const state = query.get('state') ?? '';
    const fail = (error: string, description: string) => {
      const url = new URL(redirectUri);
      url.searchParams.set('error', error);
      url.searchParams.set('error_description', description);
      url.searchParams.set('state', state);
      return { redirect: url };
    };
    if (query.get('response_type') !== 'code') return fail('unsupported_response_type', 'response_type must be code');
    if (!state) return fail('invalid_request', 'state is required');
    const challenge = query.get('code_challenge') ?? '';
    const method = query.get('code_challenge_method') ?? '';
    // X requires PKCE on every authorization request.
    if (!challenge || (method !== 'S256' && method !== 'plain')) return fail('invalid_request', 'code_challenge and code_challenge_method are required');
    const scopes = (query.get('scope') ?? '').split(' ').filter(Boolean);
    if (scopes.length === 0 || scopes.some((s) => !(X_SCOPES as readonly string[]).includes(s))) return fail('invalid_scope', 'scope is invalid');
    return { request: { clientId, scopes, redirectUri, state, challenge, method } };
  };

  const approve = (request: Omit<Grant, 'userId'> & { redirectUri: string; state: string; challenge: string; method: 'S256' | 'plain' }, userId: string) => {
    const code = newToken();
    codes.set(code, { ...request, userId, expiresMs: Date.now() + CODE_TTL_MS });
    const url = new URL(request.redirectUri);
    url.searchParams.set('state', request.state);
    url.searchParams.set('code', code);
    return url.toString();
  };

  app.get('/i/oauth2/authorize', (c) => {
    const parsed = parseAuthorize(new URL(c.req.url).searchParams);
    if ('error' in parsed) return c.html(`<p>${escapeHtml(parsed.error)}</p>`, 400);
    if ('redirect' in parsed) return c.redirect(parsed.redirect.toString(), 302);
    if (options.autoApprove) return c.redirect(approve(parsed.request, options.autoApprove), 302);
    const choices = options.users.map((u) => `<button name="user" value="${escapeHtml(u.id)}">Authorize app as @${escapeHtml(u.username)}</button>`).join('');
    return c.html(
      `<!doctype html><title>Authorize app - X (simulator)</title><h1>${escapeHtml(parsed.request.clientId)} wants to access your X account</h1>
<p>Scopes: ${escapeHtml(parsed.request.scopes.join(', '))}</p><form method="post">${choices}<button name="user" value="">Cancel</button></form>`,
    );
  });

  app.post('/i/oauth2/authorize', async (c) => {
    const parsed = parseAuthorize(new URL(c.req.url).searchParams);
    if ('error' in parsed) return c.html(`<p>${escapeHtml(parsed.error)}</p>`, 400);
    if ('redirect' in parsed) return c.redirect(parsed.redirect.toString(), 302);
    const form = await c.req.parseBody();
    const user = options.users.find((u) => u.id === form.user);
    if (!user) {
      const url = new URL(parsed.request.redirectUri);
      url.searchParams.set('error', 'access_denied');
      url.searchParams.set('state', parsed.request.state);
      return c.redirect(url.toString(), 302);
    }
    return c.redirect(approve(parsed.request, user.id), 302);
  });

  const mint = (grant: Grant) => {
    const accessToken = newToken(32);
    access.set(accessToken, { ...grant, expiresMs: Date.now() + ttlMs });
    const body: Record<string, unknown> = { token_type: 'bearer', expires_in: ttlMs / 1000, access_token: accessToken, scope: grant.scopes.join(' ') };
    if (grant.scopes.includes('offline.access')) {
      const refreshToken = newToken(32);
      refresh.set(refreshToken, grant);
      body.refresh_token = refreshToken;
    }
    return body;
  };

  app.post('/2/oauth2/token', async (c) => {
    const limited = rateLimited(c, 'token');
    if (limited) return limited;
    const form = new URLSearchParams(await c.req.text());
    const basic = basicCredentials(c.req.header('authorization'));
    tokenRequests.push({ grant_type: form.get('grant_type'), basic: basic !== undefined });
    // Confidential clients must authenticate with HTTP Basic.
    const clientId = basic?.id ?? form.get('client_id') ?? '';
    const secret = Object.hasOwn(options.clients, clientId) ? options.clients[clientId]! : undefined;
    if (!basic || secret === undefined || !sameSecret(basic.secret, secret)) {
      return c.json({ error: 'unauthorized_client', error_description: 'Missing valid authorization header' }, 401);
    }
    const invalid = (what: string) => c.json({ error: 'invalid_request', error_description: `Value passed for the ${what} was invalid.` }, 400);
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = form.get('code') ?? '';
      const grant = codes.get(code);
      // A code is single use, whether the exchange succeeds or not.
      codes.delete(code);
      if (!grant || grant.expiresMs < Date.now() || grant.clientId !== clientId || grant.redirectUri !== form.get('redirect_uri')) return invalid('authorization code');
      const verifier = form.get('code_verifier') ?? '';
      if (!validVerifier(verifier) || !pkceMatches(grant.challenge, grant.method, verifier)) return invalid('authorization code');
      return c.json(mint({ userId: grant.userId, clientId, scopes: grant.scopes }));
    }
    if (grantType === 'refresh_token') {
      const token = form.get('refresh_token') ?? '';
      const grant = refresh.get(token);
      if (!grant || grant.clientId !== clientId) return invalid('token');
      // Rotation: the used refresh token dies with the new pair's birth.
      refresh.delete(token);
      return c.json(mint(grant));
    }
    return c.json({ error: 'invalid_request', error_description: 'Missing required parameter [grant_type].' }, 400);
  });

  app.post('/2/oauth2/revoke', async (c) => {
    const form = new URLSearchParams(await c.req.text());
    const token = form.get('token') ?? '';
    access.delete(token);
    refresh.delete(token);
    return c.json({ revoked: true });
  });

  app.get('/2/users/me', (c) => {
    const limited = rateLimited(c, 'users.me');
    if (limited) return limited;
    const grant = authenticate(c, ['users.read', 'tweet.read']);
    if (grant instanceof Response) return grant;
    const user = options.users.find((u) => u.id === grant.userId)!;
    return c.json({ data: { id: user.id, name: user.name, username: user.username } });
  });

  app.post('/2/media/upload', async (c) => {
    const limited = rateLimited(c, 'media.upload');
    if (limited) return limited;
    const grant = authenticate(c, ['media.write']);
    if (grant instanceof Response) return grant;
    const body = (await c.req.json().catch(() => undefined)) as { media?: unknown; media_category?: unknown; media_type?: unknown } | undefined;
    if (!body || typeof body.media !== 'string' || body.media_category !== 'tweet_image') {
      return problem(c, 400, 'Invalid Request', 'One or more parameters to your request was invalid.', 'https://api.twitter.com/2/problems/invalid-request', {
        errors: [{ message: 'media (base64) and media_category (tweet_image) are required' }],
      });
    }
    const bytes = Buffer.from(body.media, 'base64');
    const type = isPng(bytes) ? 'image/png' : isJpeg(bytes) ? 'image/jpeg' : undefined;
    if (!type || bytes.length > 5 * 1024 * 1024) return problem(c, 400, 'Invalid Request', 'media type unrecognized or larger than 5 MB.', 'https://api.twitter.com/2/problems/invalid-request');
    const id = ids.take();
    media.set(id, { id, owner: grant.userId, bytes, type, altText: undefined });
    return c.json({ data: { id, media_key: `3_${id}`, size: bytes.length, expires_after_secs: 86_400, image: { image_type: type } } });
  });

  app.post('/2/media/metadata', async (c) => {
    const grant = authenticate(c, ['media.write']);
    if (grant instanceof Response) return grant;
    const body = (await c.req.json().catch(() => undefined)) as { id?: unknown; metadata?: { alt_text?: { text?: unknown } } } | undefined;
    const item = typeof body?.id === 'string' ? media.get(body.id) : undefined;
    const alt = body?.metadata?.alt_text?.text;
    if (!item || item.owner !== grant.userId) return problem(c, 400, 'Invalid Request', 'The media id is not valid.', 'https://api.twitter.com/2/problems/invalid-request');
    if (typeof alt !== 'string' || alt.length > 1000) return problem(c, 400, 'Invalid Request', 'alt_text.text must be at most 1000 characters.', 'https://api.twitter.com/2/problems/invalid-request');
    item.altText = alt;
    return c.json({ data: { id: item.id, associated_metadata: { alt_text: { text: alt } } } });
  });

  app.post('/2/tweets', async (c) => {
    const limited = rateLimited(c, 'tweets.create');
    if (limited) return limited;
    const grant = authenticate(c, ['tweet.read', 'tweet.write', 'users.read']);
    if (grant instanceof Response) return grant;
    const body = (await c.req.json().catch(() => undefined)) as { text?: unknown; media?: { media_ids?: unknown } } | undefined;
    const invalid = (message: string) =>
      problem(c, 400, 'Invalid Request', 'One or more parameters to your request was invalid.', 'https://api.twitter.com/2/problems/invalid-request', { errors: [{ message }] });
    if (!body || typeof body.text !== 'string') return invalid('$.text: is missing but it is required');
    const mediaIds = body.media?.media_ids;
    if (mediaIds !== undefined && (!Array.isArray(mediaIds) || mediaIds.length > 4 || mediaIds.some((id) => typeof id !== 'string'))) return invalid('$.media.media_ids: must be an array of at most 4 strings');
    for (const id of (mediaIds ?? []) as string[]) {
      const item = media.get(id);
      if (!item || item.owner !== grant.userId) return invalid(`$.media.media_ids: ${id} is not a valid media id`);
    }
    if (body.text.trim() === '' && (mediaIds ?? []).length === 0) return invalid('$.text: must not be empty without media');
    if (weightedLength(body.text) > MAX_WEIGHTED_LENGTH) {
      return problem(c, 403, 'Forbidden', 'You are not permitted to perform this action.', 'about:blank', { errors: [{ message: 'Tweet text is too long.' }] });
    }
    if (tweets.some((t) => t.author_id === grant.userId && t.text === wrapLinks(body.text as string).text)) {
      return problem(c, 403, 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.');
    }
    const id = ids.take();
    const wrapped = wrapLinks(body.text);
    const tweet: XTweet = { id, author_id: grant.userId, text: wrapped.text, created_at: new Date().toISOString(), media_ids: (mediaIds ?? []) as string[], urls: wrapped.urls };
    tweets.push(tweet);
    if (faults.takeHang('tweets.create')) return faults.hang();
    return c.json({ data: { id, text: tweet.text, edit_history_tweet_ids: [id] } }, 201);
  });

  app.get('/2/users/:id/tweets', (c) => {
    const limited = rateLimited(c, 'tweets.list');
    if (limited) return limited;
    const grant = authenticate(c, ['tweet.read', 'users.read']);
    if (grant instanceof Response) return grant;
    const userId = c.req.param('id');
    const query = new URL(c.req.url).searchParams;
    const max = Number(query.get('max_results') ?? '10');
    if (!Number.isInteger(max) || max < 5 || max > 100) {
      return problem(c, 400, 'Invalid Request', 'One or more parameters to your request was invalid.', 'https://api.twitter.com/2/problems/invalid-request', {
        errors: [{ parameters: { max_results: [String(query.get('max_results'))] }, message: 'The `max_results` query parameter value is not between 5 and 100' }],
      });
    }
    const since = query.get('start_time');
    const fields = new Set((query.get('tweet.fields') ?? '').split(',').filter(Boolean));
    const expansions = new Set((query.get('expansions') ?? '').split(',').filter(Boolean));
    const found = tweets
      .filter((t) => t.author_id === userId && (since === null || t.created_at >= new Date(since).toISOString()))
      .reverse()
      .slice(0, max);
    if (found.length === 0) return c.json({ meta: { result_count: 0 } });
    const data = found.map((t) => ({
      id: t.id,
      text: t.text,
      edit_history_tweet_ids: [t.id],
      ...(fields.has('created_at') ? { created_at: t.created_at } : {}),
      ...(fields.has('author_id') ? { author_id: t.author_id } : {}),
      ...(fields.has('entities') && t.urls.length > 0 ? { entities: { urls: t.urls } } : {}),
      ...(fields.has('attachments') || expansions.has('attachments.media_keys') ? (t.media_ids.length > 0 ? { attachments: { media_keys: t.media_ids.map((m) => `3_${m}`) } } : {}) : {}),
    }));
    const includes = expansions.has('attachments.media_keys')
      ? { media: found.flatMap((t) => t.media_ids.map((m) => media.get(m)!)).map((m) => ({ media_key: `3_${m.id}`, type: 'photo', ...(m.altText !== undefined ? { alt_text: m.altText } : {}) })) }
      : undefined;
    return c.json({
      data,
      ...(includes && includes.media.length > 0 ? { includes } : {}),
      meta: { result_count: data.length, newest_id: data[0]!.id, oldest_id: data.at(-1)!.id },
    });
  });

  app.notFound((c) => problem(c, 404, 'Not Found Error', `Could not find ${c.req.method} ${c.req.path}`));

  return {
    app,
    users: options.users,
    tweets: () => [...tweets],
    media: (id) => media.get(id),
    faults,
    tokenRequests,
    expireAccessTokens(accessToken) {
      for (const [token, grant] of access) if (accessToken === undefined || token === accessToken) grant.expiresMs = 0;
    },
    revokeUser(userId) {
      for (const [token, grant] of access) if (grant.userId === userId) access.delete(token);
      for (const [token, grant] of refresh) if (grant.userId === userId) refresh.delete(token);
    },
    close: () => faults.releaseAll(),
  };
}

/**
 * X's weighted length (twitter-text v3): a code point in the Latin and
 * general punctuation ranges counts 1, any other 2, and every link counts 23
 * whatever its length. Links are found by their http(s):// prefix only.
 */
export function weightedLength(text: string): number {
  let length = 0;
  for (const token of splitKeepingSpace(text.normalize('NFC'))) {
    if (isLink(token)) {
      length += 23;
      continue;
    }
    for (const ch of token) length += lightCodePoint(ch.codePointAt(0)!) ? 1 : 2;
  }
  return length;
}

function lightCodePoint(cp: number): boolean {
  return cp <= 4351 || (cp >= 8192 && cp <= 8205) || (cp >= 8208 && cp <= 8223) || (cp >= 8242 && cp <= 8247);
}

function isLink(token: string): boolean {
  return (token.startsWith('https://') || token.startsWith('http://')) && token.length > 8;
}

/** Runs of whitespace and of anything else, in order (joined, they are the text). */
function splitKeepingSpace(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let space: boolean | undefined;
  for (const ch of text) {
    const isSpace = ch.trim() === '';
    if (space !== undefined && isSpace !== space) {
      parts.push(current);
      current = '';
    }
    current += ch;
    space = isSpace;
  }
  if (current) parts.push(current);
  return parts;
}

/**
 * X replaces each link in a post with a t.co link of 23 characters (listing
 * the original in entities.urls), and answers the text with &, < and >
 * HTML-escaped, as its API always has.
 */
function wrapLinks(text: string): { text: string; urls: XTweet['urls'] } {
  let out = '';
  const urls: XTweet['urls'] = [];
  for (const token of splitKeepingSpace(text)) {
    if (!isLink(token)) {
      out += token.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
      continue;
    }
    const short = `https://t.co/${shortCode(token)}`;
    urls.push({ start: [...out].length, end: [...out].length + short.length, url: short, expanded_url: token, display_url: token.slice(token.indexOf('//') + 2, token.indexOf('//') + 2 + 25) });
    out += short;
  }
  return { text: out, urls };
}

function shortCode(link: string): string {
  let hash = 0;
  for (const ch of link) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hash.toString(36).padStart(10, '0').slice(0, 10);
}

export interface RunningXSimulator extends RunningApp {
  sim: XSimulator;
}

export async function startXSimulator(options: XSimulatorOptions, port = 0): Promise<RunningXSimulator> {
  const sim = createXSimulator(options);
  const running = await serveApp(sim.app.fetch, port, '127.0.0.1', () => sim.close());
  return { ...running, sim };
}
