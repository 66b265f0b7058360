import type { Context } from 'hono';
import { ERROR_CODES } from '../../../shared/errors';
import { AppError } from '../http/errors';
import type { AppEnv } from '../http/env';
import type { Auth } from './auth';

/**
 * Hands an already validated request to better-auth and returns its JSON and
 * cookies. Scout's routes own the HTTP contract (body shapes, error shape,
 * what a response may contain); better-auth owns passwords, sessions and
 * rate limits.
 */
export interface AuthResult<T> {
  body: T;
  setCookies: string[];
}

export async function callAuth<T>(
  auth: Auth,
  c: Context<AppEnv>,
  endpoint: string,
  body: unknown,
  /** For flows a browser starts with a plain link (no Origin header): Scout's own origin. */
  origin?: string,
): Promise<AuthResult<T>> {
  const incoming = c.req.raw;
  const headers = new Headers();
  for (const name of ['cookie', 'origin', 'referer', 'user-agent', 'x-scout-client-ip', 'sec-fetch-site', 'sec-fetch-mode', 'sec-fetch-dest']) {
    const value = incoming.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  headers.set('content-type', 'application/json');
  if (origin) headers.set('origin', origin);
  const url = new URL(`/api/auth${endpoint}`, incoming.url);
  const response = await auth.handler(new Request(url, { method: 'POST', headers, body: JSON.stringify(body) }));
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) throw authError(response, payload);
  return { body: payload as T, setCookies: response.headers.getSetCookie() };
}

export function applyCookies(c: Context, setCookies: string[]): void {
  for (const cookie of setCookies) c.header('set-cookie', cookie, { append: true });
}

/** better-auth's error codes, in the words and fields Scout's forms show. */
function authError(response: Response, payload: unknown): AppError {
  const code = typeof payload === 'object' && payload !== null && 'code' in payload ? String(payload.code) : '';
  if (response.status === 429) {
    const retryAfter = response.headers.get('x-retry-after') ?? response.headers.get('retry-after');
    const wait = retryAfter ? ` in ${retryAfter} seconds` : ' in a minute';
    return new AppError(429, ERROR_CODES.rateLimited, `Too many attempts. Try again${wait}.`, undefined, retryAfter ? { 'retry-after': retryAfter } : undefined);
  }
  switch (code) {
    case 'USER_ALREADY_EXISTS':
    case 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL':
      return new AppError(409, ERROR_CODES.conflict, 'An account with this email already exists', {
        email: ['An account with this email already exists. Sign in instead?'],
      });
    case 'INVALID_EMAIL_OR_PASSWORD':
    case 'INVALID_PASSWORD':
    case 'USER_NOT_FOUND':
    case 'CREDENTIAL_ACCOUNT_NOT_FOUND':
      return new AppError(401, ERROR_CODES.invalidCredentials, 'Email or password is incorrect');
    case 'INVALID_EMAIL':
      return new AppError(400, ERROR_CODES.validation, 'Some fields need attention', { email: ['Enter a valid email address'] });
    case 'PASSWORD_TOO_SHORT':
    case 'PASSWORD_TOO_LONG':
      return new AppError(400, ERROR_CODES.validation, 'Some fields need attention', { password: ['Password does not meet the rules'] });
    case 'FAILED_TO_UNLINK_LAST_ACCOUNT':
      return new AppError(400, 'LAST_SIGN_IN_METHOD', 'This is your only way to sign in. Set a password or connect another provider before disconnecting it.');
    case 'INVALID_ORIGIN':
    case 'MISSING_OR_NULL_ORIGIN':
    case 'CROSS_SITE_NAVIGATION_LOGIN_BLOCKED':
      return new AppError(403, ERROR_CODES.forbidden, 'This request came from a page Scout does not trust. Open Scout at its own address and try again.');
  }
  if (response.status >= 500) throw new Error(`better-auth answered ${response.status} ${code}`);
  const status = response.status === 401 || response.status === 403 || response.status === 404 ? response.status : 400;
  return new AppError(status, code || ERROR_CODES.validation, 'The request could not be completed');
}
