import { type Principal, type SimContext } from './env';

/**
 * HQ's API authentication: `ApiKey user:key` (scheme case-insensitive),
 * `Bearer <token>` from the OAuth server, or HTTP Basic with the password.
 * Returns null for missing or wrong credentials (a 401).
 */
export function authenticate(header: string | undefined, ctx: SimContext): Principal | null {
  if (!header) return null;
  const trimmed = header.trim();
  const space = trimmed.search(/\s/);
  if (space < 0) return null;
  const scheme = trimmed.slice(0, space).toLowerCase();
  const credentials = trimmed.slice(space).trim();

  if (scheme === 'apikey') {
    const colon = credentials.lastIndexOf(':');
    if (colon <= 0) return null;
    const user = ctx.users.withApiKey(credentials.slice(0, colon), credentials.slice(colon + 1));
    return user ? { user, scopes: null } : null;
  }
  if (scheme === 'bearer') {
    return ctx.oauth.authenticate(credentials);
  }
  if (scheme === 'basic') {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return null;
    const user = ctx.users.withPassword(decoded.slice(0, colon), decoded.slice(colon + 1));
    return user ? { user, scopes: null } : null;
  }
  return null;
}

/** API data needs the access_apis scope when the caller came through OAuth. */
export function canUseApis(principal: Principal): boolean {
  return principal.scopes === null || principal.scopes.includes('access_apis');
}
