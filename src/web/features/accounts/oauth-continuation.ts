/** Where an MCP client's authorization request continues once the user is signed in. */
export const OAUTH_AUTHORIZE_PATH = '/api/auth/oauth2/authorize';

/** What the authorization server adds when it signs the request it sends to the sign-in page. */
function isSignatureParam(name: string): boolean {
  return name === 'sig' || name === 'exp' || name.startsWith('ba_');
}

/** The `prompt` values that ask for a sign-in: a user who just signed in has answered them. */
const SIGN_IN_PROMPTS = new Set(['login', 'create']);

/**
 * The authorization request an MCP client started, when the authorization
 * server sent the browser to the sign-in page with it (`client_id` and its
 * signature `sig`), as the path that continues it once the user has signed in:
 * the client's own query without the signature, whose freshness only the
 * server's redirect needed. A sign-in just happened, so a `prompt=login` (or
 * `create`) and `max_age` are answered and dropped, as better-auth's own
 * client does, or the server would send the user to sign in again.
 * `null` for any other query. Always a path on this origin, so the query can't
 * send a signed-in user elsewhere.
 */
export function oauthContinuation(search: URLSearchParams): string | null {
  if (!search.get('client_id') || !search.has('sig')) return null;
  const query = new URLSearchParams();
  for (const [name, value] of search) {
    if (isSignatureParam(name) || name === 'max_age') continue;
    if (name === 'prompt') {
      const rest = value.split(' ').filter((prompt) => prompt && !SIGN_IN_PROMPTS.has(prompt));
      if (rest.length > 0) query.append(name, rest.join(' '));
      continue;
    }
    query.append(name, value);
  }
  return `${OAUTH_AUTHORIZE_PATH}?${query.toString()}`;
}

/**
 * Whether the client asked for a fresh sign-in (`prompt=login` or `create`, or
 * `max_age`): then a user who arrives already signed in signs in again rather
 * than being sent straight on.
 */
export function oauthAsksForSignIn(search: URLSearchParams): boolean {
  if (search.has('max_age')) return true;
  return (search.get('prompt') ?? '').split(' ').some((prompt) => SIGN_IN_PROMPTS.has(prompt));
}

/** The sign-in or sign-up page, carrying the authorization request along (signature and all). */
export function oauthAccountPageHref(page: '/sign-in' | '/sign-up', search: URLSearchParams): string {
  return `${page}?${search.toString()}`;
}

/** Leaves the single-page app for the authorization server: it answers with redirects, not pages of this app. */
export function continueOAuth(path: string): void {
  window.location.assign(path);
}
