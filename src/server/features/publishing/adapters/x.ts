import { defaultSocialProviders, type SocialProviderConfig } from '../../../config';
import type { Egress, EgressResponse } from '../../../platform/http/egress';
import type { ConnectionOutcome, ConnectionTarget, ConnectorAdapter, PublishContent, PublishOutcome } from './index';
import { refreshTokens } from './oauth-client';
import { call, expiresAt, notPublished, retryWhen, sha256, type CallResult } from './social';

/**
 * X through API v2 with an OAuth 2.0 user token. Test: `GET /2/users/me`.
 * Publish: the chart through `POST /2/media/upload` (v2, base64 JSON; its
 * alt text through `/2/media/metadata`), then `POST /2/tweets` with the
 * text (≤ 280 by X's weighting: refused, never cut) and the default
 * hashtags. The two-hour access token is renewed with the refresh token
 * when it has expired or X says 401, and the rotated pair is stored.
 * Duplicates: X takes no idempotency key and a post can carry no hidden
 * marker, so the attempt (text hash, time) is recorded before posting and
 * `findPublished` looks through the account's posts since then for that text.
 */
export const xAdapter: ConnectorAdapter = { testConnection, publish, findPublished, preview };

export const X_LIMIT = 280;
/** Renew this long before X's expiry, so a token does not die mid-request. */
const EXPIRY_MARGIN_MS = 60_000;

type Session = { ok: true; token: string } | { ok: false; message: string; transient: boolean; field?: string };

function providerOf(target: ConnectionTarget): SocialProviderConfig {
  return target.provider ?? defaultSocialProviders().x;
}

async function testConnection(target: ConnectionTarget, egress: Egress): Promise<ConnectionOutcome> {
  const me = await currentUser(target, egress);
  if (!me.ok) return { ok: false, message: me.message, ...(me.field ? { field: me.field } : {}) };
  const handle = typeof target.config.account_handle === 'string' ? target.config.account_handle.replace('@', '') : '';
  if (handle !== '' && handle.toLowerCase() !== me.user.username.toLowerCase()) {
    return { ok: false, field: 'config.account_handle', message: `The connected X account is @${me.user.username}, not @${handle}. Connect @${handle}, or change the handle.` };
  }
  return { ok: true, account: { name: `@${me.user.username}`, url: `https://x.com/${me.user.username}` }, message: `Connected to X as @${me.user.username} (${me.user.name}).` };
}

async function currentUser(target: ConnectionTarget, egress: Egress): Promise<{ ok: true; user: { id: string; name: string; username: string } } | { ok: false; message: string; transient: boolean; field?: string }> {
  const answer = await api(target, egress, 'GET', '/2/users/me');
  if (!answer.ok) return answer;
  const data = (answer.response.json() as { data?: { id?: unknown; name?: unknown; username?: unknown } } | undefined)?.data;
  if (typeof data?.id !== 'string' || typeof data.username !== 'string') return { ok: false, message: 'X answered users/me without an account; try again later.', transient: true };
  return { ok: true, user: { id: data.id, name: typeof data.name === 'string' ? data.name : data.username, username: data.username } };
}

/** The text exactly as posted: the publication's text, then the connector's hashtags not already in it. */
export function composeTweet(config: Record<string, unknown>, text: string): string {
  const body = text.trim();
  const present = new Set(body.split(/\s+/).filter((word) => word.startsWith('#')).map((word) => word.toLowerCase()));
  const tags = (Array.isArray(config.default_hashtags) ? config.default_hashtags : [])
    .filter((tag): tag is string => typeof tag === 'string' && tag !== '')
    .map((tag) => (tag.startsWith('#') ? tag : `#${tag}`))
    .filter((tag) => !present.has(tag.toLowerCase()));
  return tags.length > 0 ? `${body}\n\n${tags.join(' ')}` : body;
}

/**
 * X's weighted length (twitter-text v3 configuration): code points in the
 * Latin, general punctuation and similar ranges count 1, all others 2, and
 * each link counts 23 (X wraps it in t.co) whatever its length.
 */
export function tweetLength(text: string): number {
  let length = 0;
  let word = '';
  const flush = () => {
    if ((word.startsWith('https://') || word.startsWith('http://')) && word.length > 8) length += 23;
    else for (const ch of word) length += weight(ch);
    word = '';
  };
  for (const ch of text.normalize('NFC')) {
    if (ch.trim() === '') {
      flush();
      length += weight(ch);
    } else {
      word += ch;
    }
  }
  flush();
  return length;
}

function weight(ch: string): number {
  const cp = ch.codePointAt(0)!;
  return cp <= 4351 || (cp >= 8192 && cp <= 8205) || (cp >= 8208 && cp <= 8223) || (cp >= 8242 && cp <= 8247) ? 1 : 2;
}

function tooLong(length: number, hasHashtags: boolean): string {
  return `This post is ${length} characters as X counts them (links 23 each, some characters 2), over X's limit of ${X_LIMIT}. Shorten the text${hasHashtags ? ' or remove default hashtags' : ''}: Scout never cuts a post.`;
}

function preview(config: Record<string, unknown>, content: Omit<PublishContent, 'publicationId' | 'image'> & { hasImage: boolean }) {
  const body = composeTweet(config, content.text);
  const length = tweetLength(body);
  const warnings: string[] = [];
  if (length > X_LIMIT) warnings.push(tooLong(length, body !== content.text.trim()));
  if (content.title.trim() !== '' && !body.includes(content.title.trim())) warnings.push('X posts have no title: the title is not posted.');
  if (content.table) warnings.push('X posts carry no table: the table excerpt is left out (the chart image shows the figures).');
  if (body === '') warnings.push('The post has no text.');
  return { body, format: 'text' as const, limit: X_LIMIT, length, warnings };
}

async function publish(target: ConnectionTarget, content: PublishContent, egress: Egress): Promise<PublishOutcome> {
  const text = composeTweet(target.config, content.text);
  const length = tweetLength(text);
  if (length > X_LIMIT) return notPublished(tooLong(length, text !== content.text.trim()));
  if (text === '' && !content.image) return notPublished('The post has no text.');
  const media: string[] = [];
  if (content.image) {
    const uploaded = await api(target, egress, 'POST', '/2/media/upload', { media: content.image.png.toString('base64'), media_category: 'tweet_image', media_type: 'image/png' });
    if (!uploaded.ok) return notPublished(`X did not take the chart image: ${uploaded.message}`, uploaded.transient);
    const id = (uploaded.response.json() as { data?: { id?: unknown } } | undefined)?.data?.id;
    if (typeof id !== 'string') return notPublished('X did not say which media id the chart image got; try again.', true);
    if (content.image.alt.trim() !== '') {
      const described = await api(target, egress, 'POST', '/2/media/metadata', { id, metadata: { alt_text: { text: content.image.alt.slice(0, 1000) } } });
      if (!described.ok) return notPublished(`X did not take the chart's description: ${described.message}`, described.transient);
    }
    media.push(id);
  }
  await target.attempts?.record(content.publicationId, { textSha256: sha256(text), startedAt: new Date() });
  const posted = await api(target, egress, 'POST', '/2/tweets', { text, ...(media.length > 0 ? { media: { media_ids: media } } : {}) }, { timeoutMs: target.timeoutMs ?? 20_000 });
  if (!posted.ok) return notPublished(posted.status === 403 && posted.message.includes('duplicate') ? 'X refuses this post: the account posted the same text recently.' : posted.message, posted.transient);
  const id = (posted.response.json() as { data?: { id?: unknown } } | undefined)?.data?.id;
  if (typeof id !== 'string') return notPublished('X accepted the post but did not say its id.', false);
  return { ok: true, externalId: id, url: `https://x.com/i/web/status/${id}` };
}

async function findPublished(target: ConnectionTarget, publicationId: string, egress: Egress): Promise<{ externalId: string; url: string | null } | undefined> {
  const attempt = await target.attempts?.find(publicationId);
  if (!attempt) return undefined;
  const me = await currentUser(target, egress);
  if (!me.ok) throw new Error(`Scout could not check X for an earlier attempt of this post: ${me.message}`);
  // A minute of slack for clocks that disagree.
  const since = new Date(attempt.startedAt.getTime() - 60_000).toISOString().slice(0, 19) + 'Z';
  const listed = await api(target, egress, 'GET', `/2/users/${encodeURIComponent(me.user.id)}/tweets?${new URLSearchParams({ max_results: '100', start_time: since, 'tweet.fields': 'created_at,entities' })}`);
  if (!listed.ok) throw new Error(`Scout could not check X for an earlier attempt of this post: ${listed.message}`);
  const tweets = (listed.response.json() as { data?: Array<{ id?: unknown; text?: unknown; entities?: { urls?: Array<{ url?: unknown; expanded_url?: unknown }> } }> } | undefined)?.data ?? [];
  for (const tweet of tweets) {
    if (typeof tweet.id !== 'string' || typeof tweet.text !== 'string') continue;
    if (sha256(originalText(tweet.text, tweet.entities?.urls ?? [])) === attempt.textSha256) return { externalId: tweet.id, url: `https://x.com/i/web/status/${tweet.id}` };
  }
  return undefined;
}

/** What was sent, from what X answers: t.co links back to the links, and X's HTML escapes undone. */
function originalText(text: string, urls: Array<{ url?: unknown; expanded_url?: unknown }>): string {
  let out = text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
  for (const link of urls) if (typeof link.url === 'string' && typeof link.expanded_url === 'string') out = out.replace(link.url, link.expanded_url);
  return out;
}

/** The access token, renewed first when it has expired and a refresh token is at hand. */
async function session(target: ConnectionTarget, egress: Egress, { force = false } = {}): Promise<Session> {
  const token = typeof target.credentials.access_token === 'string' ? target.credentials.access_token : '';
  if (token === '') return { ok: false, field: 'auth.access_token', message: 'This X connector is not connected yet: use Connect (or set an access token).', transient: false };
  const expiry = expiresAt(target);
  if (!force && (!expiry || expiry.getTime() - Date.now() > EXPIRY_MARGIN_MS)) return { ok: true, token };
  const refresh = typeof target.credentials.refresh_token === 'string' ? target.credentials.refresh_token : '';
  if (refresh === '') {
    return force ? { ok: true, token } : { ok: false, field: 'auth.access_token', message: 'The X sign-in has expired and there is no refresh token to renew it: connect the account again.', transient: false };
  }
  const provider = providerOf(target);
  const client = provider.client ?? pastedClient(target);
  if (!client) return { ok: false, field: 'auth.client_id', message: "The X sign-in has expired, and Scout has no X app to renew it with (X_OAUTH_CLIENT_ID, or the connector's client id and secret).", transient: false };
  const renewed = await refreshTokens(provider, client, egress, refresh);
  if (!renewed.ok) return { ok: false, message: renewed.message, transient: renewed.transient, ...(renewed.revoked ? { field: 'auth.access_token' } : {}) };
  const patch: Record<string, string> = { access_token: renewed.tokens.accessToken, token_expires_at: renewed.tokens.expiresAt?.toISOString() ?? '' };
  if (renewed.tokens.refreshToken) patch.refresh_token = renewed.tokens.refreshToken;
  await target.updateCredentials?.(patch);
  // Later calls of this adapter run see the renewed pair.
  Object.assign(target.credentials, patch);
  return { ok: true, token: renewed.tokens.accessToken };
}

function pastedClient(target: ConnectionTarget): { id: string; secret: string } | undefined {
  const id = target.credentials.client_id;
  const secret = target.credentials.client_secret;
  return typeof id === 'string' && id !== '' && typeof secret === 'string' && secret !== '' ? { id, secret } : undefined;
}

/** One API call with the session's token; a 401 renews the token once and tries again. */
async function api(target: ConnectionTarget, egress: Egress, method: string, path: string, json?: unknown, { timeoutMs }: { timeoutMs?: number } = {}): Promise<CallResult & { field?: string }> {
  for (let attempt = 0; ; attempt++) {
    const current = await session(target, egress, { force: attempt > 0 });
    if (!current.ok) return current;
    const url = `${providerOf(target).apiBaseUrl}${path}`;
    const headers: Record<string, string> = { authorization: `Bearer ${current.token}`, accept: 'application/json', ...(json !== undefined ? { 'content-type': 'application/json' } : {}) };
    const answer = await call(egress, url, { method, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}), ...(timeoutMs ? { timeoutMs } : {}) });
    if ('failure' in answer) return answer.failure;
    const { response } = answer;
    const canRenew = typeof target.credentials.refresh_token === 'string' && target.credentials.refresh_token !== '';
    if (response.status === 401 && attempt === 0 && canRenew) continue;
    if (response.ok) return { ok: true, response };
    return explain(response);
  }
}

function explain(response: EgressResponse): CallResult & { ok: false; field?: string } {
  const body = (response.json() ?? {}) as { type?: unknown; detail?: unknown; title?: unknown };
  const detail = typeof body.detail === 'string' ? body.detail : '';
  if (response.status === 401) {
    return { ok: false, status: 401, field: 'auth.access_token', transient: false, message: 'X did not accept the sign-in: the token has expired or was revoked (the account may have removed Scout\'s access). Connect the account again.' };
  }
  if (response.status === 403 && typeof body.type === 'string' && body.type.endsWith('oauth2-insufficient-scopes')) {
    return { ok: false, status: 403, field: 'auth.access_token', transient: false, message: 'The X sign-in lacks a permission Scout needs (tweet.read, tweet.write, users.read, media.write). Connect again and allow everything asked.' };
  }
  if (response.status === 403) return { ok: false, status: 403, transient: false, message: `X refused: ${detail || 'this account may not do this'}.` };
  if (response.status === 429) {
    const reset = Number(response.headers.get('x-rate-limit-reset'));
    return { ok: false, status: 429, transient: true, message: `X's rate limit for this account is reached; ${retryWhen(Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : undefined)}.` };
  }
  if (response.status >= 500) return { ok: false, status: response.status, transient: true, message: `X answered with an error (HTTP ${response.status}); try again later.` };
  return { ok: false, status: response.status, transient: false, message: `X refused the request (HTTP ${response.status}${detail ? `: ${detail}` : ''}).` };
}
