import { type Context } from 'hono';
import { type Principal, type SimContext, type SimEnv } from './env';
import { DIGEST_CHALLENGE_BODY } from '../digest';

/**
 * HQ's API authentication (corehq/apps/domain/auth.py determine_authtype_from_header
 * and the decorators it picks): `ApiKey user:key` (scheme in any case),
 * `Bearer <token>` from the OAuth server, HTTP Basic or HTTP Digest with the
 * password. Anything else, or no header, is treated as Digest, HQ's default.
 */

/** How a failed request is answered: the challenge of the scheme HQ tried. */
export type Challenge = 'digest' | 'basic' | 'none';

export type AuthOutcome = { principal: Principal; challenge?: never } | { principal: null; challenge: Challenge };

function fromParts(header: string | undefined): { scheme: string; credentials: string } | null {
  if (!header) return null;
  const trimmed = header.trim();
  const space = trimmed.search(/\s/);
  if (space < 0) return { scheme: trimmed.toLowerCase(), credentials: '' };
  return { scheme: trimmed.slice(0, space).toLowerCase(), credentials: trimmed.slice(space).trim() };
}

export function authenticate(c: Context<SimEnv>, ctx: SimContext): AuthOutcome {
  const parts = fromParts(c.req.header('authorization'));
  const scheme = parts?.scheme ?? '';
  const credentials = parts?.credentials ?? '';

  if (scheme === 'apikey') {
    const colon = credentials.lastIndexOf(':');
    const user = colon > 0 ? ctx.users.withApiKey(credentials.slice(0, colon), credentials.slice(colon + 1)) : undefined;
    // tastypie's ApiKeyAuthentication answers HttpUnauthorized: no body, no challenge.
    return user ? { principal: { user, scopes: null, via: 'apikey' } } : { principal: null, challenge: 'none' };
  }
  if (scheme === 'bearer') {
    const bearer = ctx.oauth.authenticate(credentials);
    return bearer ? { principal: { ...bearer, via: 'bearer' } } : { principal: null, challenge: 'none' };
  }
  if (scheme === 'basic') {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon > 0 ? ctx.users.withPassword(decoded.slice(0, colon), decoded.slice(colon + 1)) : undefined;
    return user ? { principal: { user, scopes: null, via: 'basic' } } : { principal: null, challenge: 'basic' };
  }
  if (scheme === 'digest') {
    const user = ctx.digest.authenticate(credentials, c.req.method, new URL(c.req.url).pathname);
    if (user) return { principal: { user, scopes: null, via: 'digest' } };
  }
  return { principal: null, challenge: 'digest' };
}

/**
 * The 401 of a domain API. Digest (and no credentials at all) get
 * django-digest's challenge; Basic gets `Basic realm=""` (HQ's basicauth);
 * ApiKey and Bearer get tastypie's bare HttpUnauthorized.
 */
export function unauthorized(c: Context<SimEnv>, ctx: SimContext, challenge: Challenge): Response {
  if (challenge === 'digest') {
    return c.body(DIGEST_CHALLENGE_BODY, 401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': ctx.digest.challenge() });
  }
  if (challenge === 'basic') return c.body(null, 401, { 'WWW-Authenticate': 'Basic realm=""' });
  return c.body(null, 401);
}

/** API data needs the access_apis scope when the caller came through OAuth. */
export function canUseApis(principal: Principal): boolean {
  return principal.scopes === null || principal.scopes.includes('access_apis');
}
