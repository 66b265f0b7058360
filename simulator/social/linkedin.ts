import { Hono, type Context } from 'hono';
import { bearer, escapeHtml, IdSequence, isJpeg, isPng, newToken, OneShotFaults, pkceMatches, sameSecret, serveApp, validVerifier, type RunningApp } from './shared';

/**
 * A simulator of the LinkedIn endpoints Scout uses, with LinkedIn's shapes
 * and errors: OAuth 2.0 3-legged (`/oauth/v2/authorization`,
 * `/oauth/v2/accessToken`: client secret in the form; PKCE checked when the
 * authorization carried a challenge, as LinkedIn's native flow does),
 * 60-day access tokens and no refresh tokens (LinkedIn gives those to
 * selected partners only), `GET /v2/userinfo` (OpenID Connect), the
 * versioned REST API (`LinkedIn-Version: YYYYMM`,
 * `X-Restli-Protocol-Version: 2.0.0`): `POST /rest/images?action=initializeUpload`
 * then `PUT` to the upload URL, `POST /rest/posts` (201, the id in
 * `x-restli-id`), `GET /rest/posts?q=author` (needs `r_member_social`).
 * 429s carry `Retry-After` (seconds).
 */

export const LINKEDIN_SCOPES = ['openid', 'profile', 'email', 'w_member_social', 'r_member_social'] as const;

export interface LinkedInMember {
  /** The OpenID subject: the member's id in `urn:li:person:<sub>`. */
  sub: string;
  name: string;
  given_name: string;
  family_name: string;
}

export interface LinkedInPost {
  id: string;
  author: string;
  /** As sent: "little" text, with reserved characters backslash-escaped. */
  commentary: string;
  visibility: string;
  lifecycleState: string;
  createdAt: number;
  content?: { media: { id: string; altText?: string; title?: string } };
}

export interface LinkedInImage {
  urn: string;
  owner: string;
  bytes: Buffer | undefined;
}

export interface LinkedInSimulatorOptions {
  clients: Record<string, string>;
  members: LinkedInMember[];
  autoApprove?: string;
  /** LinkedIn: 60 days. */
  accessTokenTtlSeconds?: number;
}

type Endpoint = 'token' | 'userinfo' | 'posts.create' | 'posts.list' | 'images.initialize';

interface Grant {
  sub: string;
  clientId: string;
  scopes: string[];
}

const CODE_TTL_MS = 30 * 60_000;
/** The characters "little" text reserves; unescaped, LinkedIn treats what follows as markup (or drops it). */
export const LITTLE_RESERVED = '\\|{}@[]()<>#*_~';

export interface LinkedInSimulator {
  app: Hono;
  members: LinkedInMember[];
  posts(): LinkedInPost[];
  image(urn: string): LinkedInImage | undefined;
  faults: OneShotFaults<Endpoint>;
  /** Moves every token's (or one's) expiry: `secondsFromNow` may be negative. */
  setTokenExpiry(secondsFromNow: number, accessToken?: string): void;
  revokeMember(sub: string): void;
  close(): void;
}

export function createLinkedInSimulator(options: LinkedInSimulatorOptions): LinkedInSimulator {
  const ttlSeconds = options.accessTokenTtlSeconds ?? 60 * 86_400;
  const codes = new Map<string, Grant & { redirectUri: string; challenge: string | undefined; expiresMs: number }>();
  const access = new Map<string, Grant & { expiresMs: number; revoked: boolean }>();
  const posts: LinkedInPost[] = [];
  const images = new Map<string, LinkedInImage>();
  const uploads = new Map<string, string>();
  const ids = new IdSequence(7_300_000_000_000_000_000n);
  const faults = new OneShotFaults<Endpoint>();
  const app = new Hono();

  const fail = (c: Context, status: 400 | 401 | 403 | 404 | 422 | 426 | 429, message: string, code?: string, serviceErrorCode?: number) =>
    c.json({ status, ...(serviceErrorCode !== undefined ? { serviceErrorCode } : {}), ...(code ? { code } : {}), message }, status);

  const rateLimited = (c: Context, endpoint: Endpoint) => {
    const seconds = faults.takeRateLimit(endpoint);
    if (seconds === undefined) return undefined;
    c.header('Retry-After', String(seconds));
    return fail(c, 429, 'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.', 'TOO_MANY_REQUESTS', 101);
  };

  const authenticate = (c: Context, needs: string[], resource: string): Grant | Response => {
    const token = bearer(c.req.header('authorization'));
    const grant = token ? access.get(token) : undefined;
    if (!grant) return fail(c, 401, 'Invalid access token', 'INVALID_ACCESS_TOKEN', 65600);
    if (grant.revoked) return fail(c, 401, 'The token used in the request has been revoked by the user', 'REVOKED_ACCESS_TOKEN', 65601);
    if (Date.now() >= grant.expiresMs) return fail(c, 401, 'The token used in the request has expired', 'EXPIRED_ACCESS_TOKEN', 65602);
    if (!needs.every((scope) => grant.scopes.includes(scope))) return fail(c, 403, `Not enough permissions to access: ${resource}`, 'ACCESS_DENIED', 100);
    return grant;
  };

  /** The versioned /rest API refuses requests without a LinkedIn-Version it knows. */
  const versioned = (c: Context): Response | undefined => {
    const version = c.req.header('linkedin-version');
    if (!version) return fail(c, 400, 'A version must be present. Please specify a version by adding the LinkedIn-Version header.', 'VERSION_MISSING');
    if (version.length !== 6 || !isDigits(version) || Number(version.slice(4)) < 1 || Number(version.slice(4)) > 12) {
      return fail(c, 426, `Requested version ${version} is not active`, 'NONEXISTENT_VERSION');
    }
    if (c.req.header('x-restli-protocol-version') !== '2.0.0') return fail(c, 400, 'X-Restli-Protocol-Version 2.0.0 is required', 'ILLEGAL_ARGUMENT');
    return undefined;
  };

  const parseAuthorize = (query: URLSearchParams) => {
    const clientId = query.get('client_id') ?? '';
    const redirectUri = query.get('redirect_uri') ?? '';
    if (!Object.hasOwn(options.clients, clientId)) return { error: 'The application could not be found (invalid client_id).' } as const;
    if (!URL.canParse(redirectUri)) return { error: 'The redirect_uri does not match the registered value.' } as const;
    const state = query.get('state') ?? '';
    const redirect = (error: string, description: string) => {
      const url = new URL(redirectUri);
      url.searchParams.set('error', error);
      url.searchParams.set('error_description', description);
      if (state) url.searchParams.set('state', state);
      return { redirect: url } as const;
    };
    if (query.get('response_type') !== 'code') return redirect('invalid_request', 'response_type must be code');
    const scopes = (query.get('scope') ?? '').split(' ').filter(Boolean);
    const unknown = scopes.find((s) => !(LINKEDIN_SCOPES as readonly string[]).includes(s));
    if (scopes.length === 0 || unknown) return redirect('unauthorized_scope_error', `Scope "${unknown ?? ''}" is not authorized for your application`);
    const challenge = query.get('code_challenge') ?? undefined;
    if (challenge !== undefined && query.get('code_challenge_method') !== 'S256') return redirect('invalid_request', 'code_challenge_method must be S256');
    return { request: { clientId, redirectUri, state, scopes, challenge } } as const;
  };

  const approve = (request: { clientId: string; redirectUri: string; state: string; scopes: string[]; challenge: string | undefined }, sub: string) => {
    const code = newToken(48);
    codes.set(code, { sub, clientId: request.clientId, scopes: request.scopes, redirectUri: request.redirectUri, challenge: request.challenge, expiresMs: Date.now() + CODE_TTL_MS });
    const url = new URL(request.redirectUri);
    url.searchParams.set('code', code);
    if (request.state) url.searchParams.set('state', request.state);
    return url.toString();
  };

  app.get('/oauth/v2/authorization', (c) => {
    const parsed = parseAuthorize(new URL(c.req.url).searchParams);
    if ('error' in parsed) return c.html(`<p>${escapeHtml(parsed.error ?? '')}</p>`, 400);
    if ('redirect' in parsed) return c.redirect(parsed.redirect.toString(), 302);
    if (options.autoApprove) return c.redirect(approve(parsed.request, options.autoApprove), 302);
    const choices = options.members.map((m) => `<button name="member" value="${escapeHtml(m.sub)}">Allow as ${escapeHtml(m.name)}</button>`).join('');
    return c.html(`<!doctype html><title>LinkedIn (simulator)</title><h1>${escapeHtml(parsed.request.clientId)} would like to: ${escapeHtml(parsed.request.scopes.join(', '))}</h1>
<form method="post">${choices}<button name="member" value="">Cancel</button></form>`);
  });

  app.post('/oauth/v2/authorization', async (c) => {
    const parsed = parseAuthorize(new URL(c.req.url).searchParams);
    if ('error' in parsed) return c.html(`<p>${escapeHtml(parsed.error ?? '')}</p>`, 400);
    if ('redirect' in parsed) return c.redirect(parsed.redirect.toString(), 302);
    const form = await c.req.parseBody();
    const member = options.members.find((m) => m.sub === form.member);
    if (!member) {
      const url = new URL(parsed.request.redirectUri);
      url.searchParams.set('error', 'user_cancelled_authorize');
      url.searchParams.set('error_description', 'The user cancelled the authorization');
      if (parsed.request.state) url.searchParams.set('state', parsed.request.state);
      return c.redirect(url.toString(), 302);
    }
    return c.redirect(approve(parsed.request, member.sub), 302);
  });

  app.post('/oauth/v2/accessToken', async (c) => {
    const limited = rateLimited(c, 'token');
    if (limited) return limited;
    if (!(c.req.header('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
      return c.json({ error: 'invalid_request', error_description: 'Content-Type must be application/x-www-form-urlencoded' }, 400);
    }
    const form = new URLSearchParams(await c.req.text());
    const clientId = form.get('client_id') ?? '';
    const grantType = form.get('grant_type');
    if (grantType === 'refresh_token') {
      return c.json({ error: 'invalid_request', error_description: 'Refresh tokens are not enabled for this application' }, 400);
    }
    if (grantType !== 'authorization_code') return c.json({ error: 'invalid_request', error_description: 'A required parameter "grant_type" is missing' }, 400);
    const code = form.get('code') ?? '';
    const grant = codes.get(code);
    codes.delete(code);
    const unusable = () =>
      c.json({ error: 'invalid_request', error_description: 'Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired. Or external member binding exists' }, 400);
    if (!grant || grant.expiresMs < Date.now() || grant.clientId !== clientId || grant.redirectUri !== form.get('redirect_uri')) return unusable();
    if (grant.challenge !== undefined) {
      const verifier = form.get('code_verifier') ?? '';
      if (!validVerifier(verifier) || !pkceMatches(grant.challenge, 'S256', verifier)) return unusable();
    } else {
      const secret = Object.hasOwn(options.clients, clientId) ? options.clients[clientId]! : '';
      if (!sameSecret(form.get('client_secret') ?? '', secret)) return c.json({ error: 'invalid_client', error_description: 'Client authentication failed' }, 401);
    }
    const accessToken = newToken(64);
    access.set(accessToken, { sub: grant.sub, clientId, scopes: grant.scopes, expiresMs: Date.now() + ttlSeconds * 1000, revoked: false });
    return c.json({ access_token: accessToken, expires_in: ttlSeconds, scope: grant.scopes.join(','), token_type: 'Bearer', ...(grant.scopes.includes('openid') ? { id_token: `sim.${newToken()}.sig` } : {}) });
  });

  app.get('/v2/userinfo', (c) => {
    const limited = rateLimited(c, 'userinfo');
    if (limited) return limited;
    const grant = authenticate(c, ['openid', 'profile'], 'userinfo.GET.NO_VERSION');
    if (grant instanceof Response) return grant;
    const member = options.members.find((m) => m.sub === grant.sub)!;
    return c.json({ sub: member.sub, name: member.name, given_name: member.given_name, family_name: member.family_name, locale: { country: 'US', language: 'en' }, picture: `https://media.licdn.com/dms/image/sim/${member.sub}` });
  });

  app.post('/rest/images', async (c) => {
    const version = versioned(c);
    if (version) return version;
    if (new URL(c.req.url).searchParams.get('action') !== 'initializeUpload') return fail(c, 400, 'Unsupported action', 'ILLEGAL_ARGUMENT');
    const limited = rateLimited(c, 'images.initialize');
    if (limited) return limited;
    const grant = authenticate(c, ['w_member_social'], 'partnerApiImages.ACTION-initializeUpload');
    if (grant instanceof Response) return grant;
    const body = (await c.req.json().catch(() => undefined)) as { initializeUploadRequest?: { owner?: unknown } } | undefined;
    const owner = body?.initializeUploadRequest?.owner;
    if (typeof owner !== 'string') return fail(c, 422, 'ERROR :: /initializeUploadRequest/owner :: field is required but not found and has no default value\n');
    if (owner !== `urn:li:person:${grant.sub}`) return fail(c, 403, `Not enough permissions to act on behalf of ${owner}`, 'ACCESS_DENIED', 100);
    const urn = `urn:li:image:D${newToken(12)}`;
    const upload = newToken(24);
    images.set(urn, { urn, owner, bytes: undefined });
    uploads.set(upload, urn);
    const origin = new URL(c.req.url).origin;
    return c.json({ value: { uploadUrlExpiresAt: Date.now() + 3_600_000, uploadUrl: `${origin}/dms-uploads/${upload}`, image: urn } });
  });

  app.put('/dms-uploads/:upload', async (c) => {
    const grant = authenticate(c, ['w_member_social'], 'dms-uploads');
    if (grant instanceof Response) return grant;
    const urn = uploads.get(c.req.param('upload'));
    const image = urn ? images.get(urn) : undefined;
    if (!image || image.owner !== `urn:li:person:${grant.sub}`) return fail(c, 404, 'Upload not found');
    const bytes = Buffer.from(await c.req.arrayBuffer());
    if (!isPng(bytes) && !isJpeg(bytes)) return fail(c, 400, 'The uploaded file is not a supported image', 'ILLEGAL_ARGUMENT');
    image.bytes = bytes;
    uploads.delete(c.req.param('upload'));
    return c.body(null, 201);
  });

  app.post('/rest/posts', async (c) => {
    const version = versioned(c);
    if (version) return version;
    const limited = rateLimited(c, 'posts.create');
    if (limited) return limited;
    const grant = authenticate(c, ['w_member_social'], 'partnerApiPostsExternal.CREATE.20240101');
    if (grant instanceof Response) return grant;
    const body = (await c.req.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!body) return fail(c, 400, 'Request body could not be converted to data map', 'ILLEGAL_ARGUMENT');
    const missing = ['author', 'commentary', 'visibility', 'distribution', 'lifecycleState'].filter((field) => body[field] === undefined);
    if (missing.length > 0) return fail(c, 422, missing.map((field) => `ERROR :: /${field} :: field is required but not found and has no default value\n`).join(''));
    if (body.author !== `urn:li:person:${grant.sub}`) return fail(c, 403, 'Unpermitted fields present in REQUEST_BODY: Data Processing Exception while processing fields [/author]', 'ACCESS_DENIED', 100);
    if (typeof body.commentary !== 'string' || body.commentary.length > 3000) return fail(c, 422, 'ERROR :: /commentary :: length of the string must be at most 3000\n');
    if (body.visibility !== 'PUBLIC' && body.visibility !== 'CONNECTIONS') return fail(c, 422, `ERROR :: /visibility :: "${String(body.visibility)}" is not an enum symbol\n`);
    const content = body.content as { media?: { id?: unknown; altText?: unknown; title?: unknown } } | undefined;
    if (content?.media !== undefined) {
      const image = typeof content.media.id === 'string' ? images.get(content.media.id) : undefined;
      if (!image || image.owner !== body.author) return fail(c, 400, `Invalid media ${String(content.media.id)}`, 'ILLEGAL_ARGUMENT');
      if (!image.bytes) return fail(c, 400, `Media ${image.urn} is not AVAILABLE (WAITING_UPLOAD)`, 'ILLEGAL_ARGUMENT');
    }
    const id = `urn:li:share:${ids.take()}`;
    const post: LinkedInPost = {
      id,
      author: body.author,
      commentary: body.commentary,
      visibility: body.visibility,
      lifecycleState: String(body.lifecycleState),
      createdAt: Date.now(),
      ...(content?.media
        ? {
            content: {
              media: {
                id: String(content.media.id),
                ...(typeof content.media.altText === 'string' ? { altText: content.media.altText } : {}),
                ...(typeof content.media.title === 'string' ? { title: content.media.title } : {}),
              },
            },
          }
        : {}),
    };
    posts.push(post);
    if (faults.takeHang('posts.create')) return faults.hang();
    c.header('x-restli-id', id);
    return c.body(null, 201);
  });

  app.get('/rest/posts', (c) => {
    const version = versioned(c);
    if (version) return version;
    const limited = rateLimited(c, 'posts.list');
    if (limited) return limited;
    const query = new URL(c.req.url).searchParams;
    if (query.get('q') !== 'author') return fail(c, 400, 'Unsupported finder', 'ILLEGAL_ARGUMENT');
    const grant = authenticate(c, ['r_member_social'], 'partnerApiPostsExternal.FINDER-author.20240101');
    if (grant instanceof Response) return grant;
    const author = query.get('author') ?? '';
    if (author !== `urn:li:person:${grant.sub}`) return fail(c, 403, 'Not enough permissions to access: partnerApiPostsExternal.FINDER-author.20240101', 'ACCESS_DENIED', 100);
    const count = Math.min(100, Math.max(1, Number(query.get('count') ?? '10') || 10));
    const start = Math.max(0, Number(query.get('start') ?? '0') || 0);
    const mine = posts.filter((p) => p.author === author).reverse();
    const elements = mine.slice(start, start + count).map((p) => ({ ...p, publishedAt: p.createdAt, lastModifiedAt: p.createdAt, distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] } }));
    return c.json({ paging: { start, count, links: [], total: mine.length }, elements });
  });

  app.notFound((c) => fail(c, 404, `No resource found for ${c.req.method} ${c.req.path}`, 'NOT_FOUND'));

  return {
    app,
    members: options.members,
    posts: () => [...posts],
    image: (urn) => images.get(urn),
    faults,
    setTokenExpiry(secondsFromNow, accessToken) {
      for (const [token, grant] of access) if (accessToken === undefined || token === accessToken) grant.expiresMs = Date.now() + secondsFromNow * 1000;
    },
    revokeMember(sub) {
      for (const grant of access.values()) if (grant.sub === sub) grant.revoked = true;
    },
    close: () => faults.releaseAll(),
  };
}

/** "little" text back to what a reader sees: each backslash escape becomes its character. */
export function renderLittleText(commentary: string): string {
  let out = '';
  for (let i = 0; i < commentary.length; i++) {
    const ch = commentary[i]!;
    if (ch === '\\' && i + 1 < commentary.length && LITTLE_RESERVED.includes(commentary[i + 1]!)) {
      out += commentary[i + 1];
      i++;
    } else if (LITTLE_RESERVED.includes(ch)) {
      // Unescaped reserved characters: LinkedIn cuts the visible text here.
      break;
    } else {
      out += ch;
    }
  }
  return out;
}

function isDigits(value: string): boolean {
  for (const ch of value) if (ch < '0' || ch > '9') return false;
  return value.length > 0;
}

export interface RunningLinkedInSimulator extends RunningApp {
  sim: LinkedInSimulator;
}

export async function startLinkedInSimulator(options: LinkedInSimulatorOptions, port = 0): Promise<RunningLinkedInSimulator> {
  const sim = createLinkedInSimulator(options);
  const running = await serveApp(sim.app.fetch, port, '127.0.0.1', () => sim.close());
  return { ...running, sim };
}
