import { DEFAULT_LINKEDIN_API_VERSION, defaultSocialProviders, type SocialProviderConfig } from '../../../config';
import type { Egress, EgressResponse } from '../../../platform/http/egress';
import type { ConnectionOutcome, ConnectionTarget, ConnectorAdapter, PublishContent, PublishOutcome } from './index';
import { call, day, expiresAt, notPublished, retryWhen, sha256, type CallResult } from './social';

/**
 * LinkedIn with a member's OAuth token. Test: `GET /v2/userinfo` (OpenID
 * Connect; `sub` is the member id). Publish on the versioned REST API
 * (`LinkedIn-Version`, `X-Restli-Protocol-Version: 2.0.0`): the chart through
 * `POST /rest/images?action=initializeUpload` and a PUT of its bytes, then
 * `POST /rest/posts` (the post's URN comes back in `x-restli-id`). The
 * commentary is LinkedIn's "little" text format, so every reserved character
 * is backslash-escaped: the post shows the text exactly as written, never
 * as markup (unescaped, LinkedIn would cut the text at the first one).
 * Tokens last 60 days and are not renewed (LinkedIn gives refresh tokens to
 * few apps): past expiry, the adapter says "connect again" without calling.
 * Duplicates: the attempt is recorded before posting and `findPublished`
 * reads the author's posts (`q=author`, needs `r_member_social`).
 */
export const linkedinAdapter: ConnectorAdapter = { testConnection, publish, findPublished, preview };

export const LINKEDIN_LIMIT = 3000;
/** "little" text's reserved characters. */
const RESERVED = '\\|{}@[]()<>#*_~';

function providerOf(target: ConnectionTarget): SocialProviderConfig {
  return target.provider ?? defaultSocialProviders().linkedin;
}

/** The plain text as LinkedIn's commentary: each reserved character escaped. */
export function littleText(text: string): string {
  let out = '';
  for (const ch of text) out += RESERVED.includes(ch) ? `\\${ch}` : ch;
  return out;
}

function fromLittleText(commentary: string): string {
  let out = '';
  for (let i = 0; i < commentary.length; i++) {
    const ch = commentary[i]!;
    if (ch === '\\' && i + 1 < commentary.length && RESERVED.includes(commentary[i + 1]!)) {
      out += commentary[i + 1];
      i++;
    } else {
      out += ch;
    }
  }
  return out;
}

async function testConnection(target: ConnectionTarget, egress: Egress): Promise<ConnectionOutcome> {
  const member = await userinfo(target, egress);
  if (!member.ok) return { ok: false, message: member.message, ...(member.field ? { field: member.field } : {}) };
  const expiry = expiresAt(target);
  const author = authorOf(target, member.sub);
  const posting = author.startsWith('urn:li:organization:') ? ` Posts go to the page ${author}: the member must be one of its admins.` : '';
  return { ok: true, account: { name: member.name }, message: `Connected to LinkedIn as ${member.name}${expiry ? `; the sign-in lasts until ${day(expiry)}` : ''}.${posting}` };
}

function authorOf(target: ConnectionTarget, sub: string): string {
  const configured = target.config.author_urn;
  return typeof configured === 'string' && configured !== '' ? configured : `urn:li:person:${sub}`;
}

async function userinfo(target: ConnectionTarget, egress: Egress): Promise<{ ok: true; sub: string; name: string } | (CallResult & { ok: false; field?: string })> {
  const answer = await api(target, egress, 'GET', '/v2/userinfo', undefined, { versioned: false });
  if (!answer.ok) return answer;
  const body = (answer.response.json() ?? {}) as { sub?: unknown; name?: unknown };
  if (typeof body.sub !== 'string' || body.sub === '') return { ok: false, transient: true, message: 'LinkedIn answered userinfo without a member; try again later.' };
  return { ok: true, sub: body.sub, name: typeof body.name === 'string' && body.name !== '' ? body.name : body.sub };
}

function preview(_config: Record<string, unknown>, content: Omit<PublishContent, 'publicationId' | 'image'> & { hasImage: boolean }) {
  const body = content.text.trim();
  const length = [...body].length;
  const warnings: string[] = [];
  if (length > LINKEDIN_LIMIT) warnings.push(tooLong(length));
  if (content.title.trim() !== '' && !body.includes(content.title.trim())) warnings.push('LinkedIn posts have no title: the title is not posted.');
  if (content.table) warnings.push('LinkedIn posts carry no table: the table excerpt is left out (the chart image shows the figures).');
  if (body === '') warnings.push('The post has no text.');
  return { body, format: 'text' as const, limit: LINKEDIN_LIMIT, length, warnings };
}

function tooLong(length: number): string {
  return `This post is ${length} characters, over LinkedIn's limit of ${LINKEDIN_LIMIT}. Shorten the text: Scout never cuts a post.`;
}

async function publish(target: ConnectionTarget, content: PublishContent, egress: Egress): Promise<PublishOutcome> {
  const text = content.text.trim();
  const length = [...text].length;
  if (length > LINKEDIN_LIMIT) return notPublished(tooLong(length));
  if (text === '' && !content.image) return notPublished('The post has no text.');
  const member = await userinfo(target, egress);
  if (!member.ok) return notPublished(member.message, member.transient);
  const author = authorOf(target, member.sub);
  let media: { id: string; altText?: string } | undefined;
  if (content.image) {
    const started = await api(target, egress, 'POST', '/rest/images?action=initializeUpload', { initializeUploadRequest: { owner: author } });
    if (!started.ok) return notPublished(`LinkedIn did not take the chart image: ${started.message}`, started.transient);
    const value = (started.response.json() as { value?: { uploadUrl?: unknown; image?: unknown } } | undefined)?.value;
    if (typeof value?.uploadUrl !== 'string' || typeof value.image !== 'string') return notPublished('LinkedIn did not say where to upload the chart image; try again.', true);
    const uploaded = await call(egress, value.uploadUrl, { method: 'PUT', headers: { authorization: `Bearer ${String(target.credentials.access_token)}`, 'content-type': 'application/octet-stream' }, body: content.image.png });
    if ('failure' in uploaded) return notPublished(`LinkedIn did not take the chart image: ${uploaded.failure.message}`, uploaded.failure.transient);
    if (!uploaded.response.ok) return notPublished(`LinkedIn did not take the chart image: ${explain(uploaded.response).message}`, uploaded.response.status >= 500);
    media = { id: value.image, ...(content.image.alt.trim() !== '' ? { altText: content.image.alt.slice(0, 4086) } : {}) };
  }
  const visibility = target.config.visibility === 'CONNECTIONS' ? 'CONNECTIONS' : 'PUBLIC';
  const post = {
    author,
    commentary: littleText(text),
    visibility,
    distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
    ...(media ? { content: { media } } : {}),
    lifecycleState: 'PUBLISHED',
    isReshareDisabledByAuthor: false,
  };
  await target.attempts?.record(content.publicationId, { textSha256: sha256(text), startedAt: new Date() });
  const posted = await api(target, egress, 'POST', '/rest/posts', post, { timeoutMs: target.timeoutMs ?? 20_000 });
  if (!posted.ok) return notPublished(posted.message, posted.transient);
  const id = posted.response.headers.get('x-restli-id');
  if (!id) return notPublished('LinkedIn accepted the post but did not say its id.', false);
  return { ok: true, externalId: id, url: postUrl(id) };
}

const postUrl = (urn: string) => `https://www.linkedin.com/feed/update/${urn}/`;

async function findPublished(target: ConnectionTarget, publicationId: string, egress: Egress): Promise<{ externalId: string; url: string | null } | undefined> {
  const attempt = await target.attempts?.find(publicationId);
  if (!attempt) return undefined;
  const member = await userinfo(target, egress);
  if (!member.ok) throw new Error(`Scout could not check LinkedIn for an earlier attempt of this post: ${member.message}`);
  const author = authorOf(target, member.sub);
  const listed = await api(target, egress, 'GET', `/rest/posts?${new URLSearchParams({ q: 'author', author, count: '50', sortBy: 'CREATED' })}`);
  if (!listed.ok) {
    const reason = listed.status === 403 ? 'the connection may not read the account\'s posts (r_member_social); look at the LinkedIn page before publishing again' : listed.message;
    throw new Error(`Scout could not check LinkedIn for an earlier attempt of this post: ${reason}`);
  }
  const since = attempt.startedAt.getTime() - 60_000;
  const elements = (listed.response.json() as { elements?: Array<{ id?: unknown; commentary?: unknown; createdAt?: unknown }> } | undefined)?.elements ?? [];
  for (const post of elements) {
    if (typeof post.id !== 'string' || typeof post.commentary !== 'string') continue;
    if (typeof post.createdAt === 'number' && post.createdAt < since) continue;
    if (sha256(fromLittleText(post.commentary)) === attempt.textSha256) return { externalId: post.id, url: postUrl(post.id) };
  }
  return undefined;
}

/** One API call; LinkedIn tokens are not renewed, so an expired one is refused before calling. */
async function api(target: ConnectionTarget, egress: Egress, method: string, path: string, json?: unknown, { versioned = true, timeoutMs }: { versioned?: boolean; timeoutMs?: number } = {}): Promise<CallResult & { field?: string }> {
  const token = typeof target.credentials.access_token === 'string' ? target.credentials.access_token : '';
  if (token === '') return { ok: false, field: 'auth.access_token', transient: false, message: 'This LinkedIn connector is not connected yet: use Connect (or set an access token).' };
  const expiry = expiresAt(target);
  if (expiry && expiry.getTime() <= Date.now()) {
    return { ok: false, field: 'auth.access_token', transient: false, message: `The LinkedIn sign-in expired on ${day(expiry)} (LinkedIn's sign-ins last 60 days): connect the account again.` };
  }
  const provider = providerOf(target);
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    accept: 'application/json',
    ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(versioned ? { 'LinkedIn-Version': provider.apiVersion ?? DEFAULT_LINKEDIN_API_VERSION, 'X-Restli-Protocol-Version': '2.0.0' } : {}),
  };
  const answer = await call(egress, `${provider.apiBaseUrl}${path}`, { method, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}), ...(timeoutMs ? { timeoutMs } : {}) });
  if ('failure' in answer) return answer.failure;
  if (answer.response.ok) return { ok: true, response: answer.response };
  return explain(answer.response);
}

function explain(response: EgressResponse): CallResult & { ok: false; field?: string } {
  const body = (response.json() ?? {}) as { serviceErrorCode?: unknown; message?: unknown; code?: unknown };
  const said = typeof body.message === 'string' ? body.message : '';
  if (response.status === 401) {
    const why = body.serviceErrorCode === 65601 ? 'was revoked (the member removed Scout\'s access)' : body.serviceErrorCode === 65602 ? 'has expired' : 'is not valid';
    return { ok: false, status: 401, field: 'auth.access_token', transient: false, message: `LinkedIn did not accept the sign-in: it ${why}. Connect the account again.` };
  }
  if (response.status === 403) {
    return { ok: false, status: 403, field: 'auth.access_token', transient: false, message: `LinkedIn refused: the sign-in lacks a permission for this (posting needs w_member_social, a page needs its admin)${said ? ` (${said})` : ''}.` };
  }
  if (response.status === 429) {
    const seconds = Number(response.headers.get('retry-after'));
    return { ok: false, status: 429, transient: true, message: `LinkedIn's rate limit is reached; ${retryWhen(Number.isFinite(seconds) && seconds >= 0 && response.headers.get('retry-after') !== null ? new Date(Date.now() + seconds * 1000) : undefined)}.` };
  }
  if (response.status === 426) return { ok: false, status: 426, transient: false, message: `LinkedIn no longer serves the API version Scout asks for; a Scout administrator must update LINKEDIN_API_VERSION (${said}).` };
  if (response.status >= 500) return { ok: false, status: response.status, transient: true, message: `LinkedIn answered with an error (HTTP ${response.status}); try again later.` };
  return { ok: false, status: response.status, transient: false, message: `LinkedIn refused the request (HTTP ${response.status}${said ? `: ${said.trim()}` : ''}).` };
}
