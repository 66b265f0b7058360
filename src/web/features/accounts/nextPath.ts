export const HOME_PATH = '/chat';
/** Where a new account starts: connecting its first domain. */
export const ONBOARDING_PATH = '/onboarding';

const ACCOUNT_PATHS = new Set(['/sign-in', '/sign-up']);

/**
 * Where to go after signing in: the `next` query parameter when it names a page
 * of this app, else Chat. Anything that could leave the site ("//host",
 * "/\host", "https://…") is ignored, so a crafted link can't bounce a user
 * elsewhere after they enter their password.
 */
export function nextPathFrom(next: string | null, origin: string = window.location.origin): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return HOME_PATH;
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return HOME_PATH;
  }
  if (url.origin !== origin || ACCOUNT_PATHS.has(url.pathname)) return HOME_PATH;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** A link to another account page that carries the same destination along. */
export function accountPageHref(page: '/sign-in' | '/sign-up', next: string | null): string {
  return next ? `${page}?${new URLSearchParams({ next }).toString()}` : page;
}
