import { EgressError, type Egress, type EgressResponse } from '../../../platform/http/egress';
import type { ConnectionOutcome, ConnectionTarget, ConnectorAdapter } from './index';
import { findPublishedPost, previewPost, publishPost } from './wordpress-publish';

/**
 * WordPress through its REST API with an application password (HTTP Basic).
 * The connection test is `GET /wp/v2/users/me?context=edit`: it proves the
 * address is a WordPress site, that it accepts the password, and (with
 * `context=edit`) says what the user may do.
 */
export const wordpressAdapter: ConnectorAdapter = { testConnection, publish: publishPost, findPublished: findPublishedPost, preview: previewPost };

/** A WordPress REST answer is small; anything bigger is not one. */
const MAX_ANSWER_BYTES = 1024 * 1024;

interface WordPressUser {
  id: number;
  name?: unknown;
  slug?: unknown;
  link?: unknown;
  roles?: unknown;
  capabilities?: unknown;
}

async function testConnection({ config, credentials }: ConnectionTarget, egress: Egress): Promise<ConnectionOutcome> {
  const base = siteBase(String(config.base_url ?? ''));
  if (!base) return { ok: false, field: 'config.base_url', message: "The site's address is not a web address; enter one like https://blog.example.org" };
  const username = String(credentials.username ?? '');
  const password = String(credentials.application_password ?? '');
  const headers = { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`, accept: 'application/json' };
  let answer: { response: EgressResponse; body: Record<string, unknown> } | 'not_wordpress' | 'no_users_route';
  try {
    answer = await currentUser(egress, base, headers);
  } catch (error) {
    if (error instanceof EgressError) return unreachable(error);
    throw error;
  }
  if (answer === 'not_wordpress') {
    return { ok: false, field: 'config.base_url', message: `${base.host} answers, but not as a WordPress site: Scout found no WordPress REST API there. Check the address (the site's home page, e.g. https://blog.example.org).` };
  }
  if (answer === 'no_users_route') {
    return { ok: false, field: 'config.base_url', message: `${base.host} is a WordPress site, but its REST API does not offer the current user (a security plugin may hide it), so Scout cannot check the account.` };
  }
  const { response, body } = answer;
  if (response.status === 401 || (response.status === 403 && (body.code === 'incorrect_password' || body.code === 'invalid_username' || body.code === 'invalid_email'))) {
    return {
      ok: false,
      field: body.code === 'invalid_username' ? 'auth.username' : 'auth.application_password',
      message:
        body.code === 'invalid_username'
          ? `WordPress at ${base.host} has no user with this username.`
          : `WordPress at ${base.host} did not accept the username and application password. Use an application password (Users → Profile → Application Passwords in WordPress), not the account's login password${base.protocol === 'http:' ? '; WordPress offers them only over https:// unless the site is a local one' : ''}.`,
    };
  }
  if (response.status >= 500) {
    return { ok: false, message: `WordPress at ${base.host} answered with an error (HTTP ${response.status}); try again later.` };
  }
  if (response.status !== 200 || typeof body.id !== 'number') {
    return { ok: false, message: `WordPress at ${base.host} refused to say who is signed in (HTTP ${response.status}${typeof body.code === 'string' ? `, ${body.code}` : ''}).` };
  }
  return permissionCheck(body as unknown as WordPressUser, config, base);
}

/** The site's address with a trailing slash, so API paths resolve under it (a site may live in a folder). */
function siteBase(baseUrl: string): URL | undefined {
  if (!URL.canParse(baseUrl)) return undefined;
  const url = new URL(baseUrl);
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/**
 * `/wp-json/…` works with pretty permalinks; `?rest_route=…` works on every
 * WordPress (plain permalinks too), so it is the fallback when the first
 * answer is not WordPress's.
 */
async function currentUser(egress: Egress, base: URL, headers: Record<string, string>) {
  let sawWordPress = false;
  for (const url of [new URL('wp-json/wp/v2/users/me?context=edit', base), new URL('?rest_route=/wp/v2/users/me&context=edit', base)]) {
    const response = await egress.fetch(url, { headers, maxBytes: MAX_ANSWER_BYTES });
    const body = response.json();
    if (!isWordPressAnswer(body)) continue;
    if (body.code === 'rest_no_route') {
      sawWordPress = true;
      continue;
    }
    return { response, body };
  }
  return sawWordPress ? 'no_users_route' : 'not_wordpress';
}

/** A user object (numeric id) or a WP_Error (`{code, message, data}`). */
function isWordPressAnswer(body: unknown): body is Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const record = body as Record<string, unknown>;
  return typeof record.id === 'number' || (typeof record.code === 'string' && typeof record.message === 'string');
}

/** Writing posts needs `edit_posts`; a connector that publishes directly needs `publish_posts` too. */
function permissionCheck(user: WordPressUser, config: Record<string, unknown>, base: URL): ConnectionOutcome {
  const name = typeof user.name === 'string' && user.name !== '' ? user.name : typeof user.slug === 'string' ? user.slug : `user ${user.id}`;
  const roles = Array.isArray(user.roles) ? user.roles.filter((r): r is string => typeof r === 'string') : [];
  const role = roles.length > 0 ? ` (role: ${roles.join(', ')})` : '';
  const capabilities = typeof user.capabilities === 'object' && user.capabilities !== null ? (user.capabilities as Record<string, unknown>) : undefined;
  if (!capabilities) {
    return { ok: false, field: 'auth.username', message: `WordPress at ${base.host} signed ${name} in but did not say what they may do, so Scout cannot tell whether they may publish.` };
  }
  const canWrite = capabilities.edit_posts === true;
  const canPublish = capabilities.publish_posts === true;
  if (!canWrite) {
    return {
      ok: false,
      field: 'auth.username',
      message: `${name} can sign in to ${base.host} but may not write posts${role}. Use an account with the Author, Editor or Administrator role.`,
    };
  }
  const publishesDirectly = config.default_status === 'publish' || config.default_status === 'future';
  if (publishesDirectly && !canPublish) {
    return {
      ok: false,
      field: 'auth.username',
      message: `${name} may write posts on ${base.host} but not publish them${role}, and this connector publishes. Use an Author, Editor or Administrator account, or save posts as drafts or for review.`,
    };
  }
  const link = typeof user.link === 'string' && (user.link.startsWith('https://') || user.link.startsWith('http://')) ? user.link : undefined;
  return {
    ok: true,
    account: { name, ...(link ? { url: link } : {}) },
    message: `Connected to ${base.host} as ${name}, who may ${canPublish ? 'publish' : 'write draft'} posts.`,
  };
}

function unreachable(error: EgressError): ConnectionOutcome {
  if (error.reason === 'too_large') return { ok: false, field: 'config.base_url', message: `${error.host ?? 'The site'} sent far more than a WordPress REST answer: is this the address of a WordPress site?` };
  return { ok: false, field: 'config.base_url', message: error.message };
}
