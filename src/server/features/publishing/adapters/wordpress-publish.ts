import { EgressError, type Egress, type EgressResponse } from '../../../platform/http/egress';
import type { ConnectionTarget, PublishContent, PublishOutcome } from './index';
import { escapeHtml, paragraphs } from '../text';

/**
 * Posting to WordPress through its REST API: the chart uploaded to the media
 * library (`/wp/v2/media`) and used as the featured and inline image, then the
 * post (`/wp/v2/posts`) with the status and category the connector says. Every
 * piece of text is HTML-escaped: what people and CommCare wrote stays text.
 *
 * The post's slug is `scout-<publication id>`: after a timeout, the next
 * attempt looks the slug up first and takes the post it finds instead of
 * writing a second one.
 */

const MAX_ANSWER_BYTES = 2 * 1024 * 1024;
const CHART_SLOT = 'scout-chart-slot';

type Json = Record<string, unknown>;

export function markerSlug(publicationId: string): string {
  return `scout-${publicationId.toLowerCase()}`;
}

/** `?rest_route=` works on every WordPress, whatever its permalinks. */
function apiUrl(baseUrl: string, route: string, query: Record<string, string> = {}): URL {
  const base = new URL(baseUrl);
  base.search = '';
  base.hash = '';
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const url = new URL(base);
  url.searchParams.set('rest_route', route);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url;
}

function authHeader(credentials: Record<string, unknown>): string {
  return `Basic ${Buffer.from(`${String(credentials.username ?? '')}:${String(credentials.application_password ?? '')}`).toString('base64')}`;
}

/** The post's HTML: escaped paragraphs, the chart, the table excerpt. */
export function postHtml(content: Pick<PublishContent, 'text' | 'table'> & { image?: { url: string; alt: string } | null }): string {
  const parts = paragraphs(content.text).map((p) => `<p>${p.split('\n').map(escapeHtml).join('<br>')}</p>`);
  if (content.image) parts.push(`<figure class="wp-block-image"><img src="${escapeHtml(content.image.url)}" alt="${escapeHtml(content.image.alt)}"></figure>`);
  if (content.table && content.table.columns.length > 0) {
    const head = content.table.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
    const rows = content.table.rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('');
    parts.push(`<figure class="wp-block-table"><table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></figure>`);
  }
  return parts.join('\n');
}

class WordPressRefusal extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

async function call(egress: Egress, url: URL, init: { method?: string; headers: Record<string, string>; body?: string | Uint8Array; timeoutMs: number }, what: string): Promise<Json> {
  let response: EgressResponse;
  try {
    response = await egress.fetch(url, { ...init, maxBytes: MAX_ANSWER_BYTES });
  } catch (error) {
    if (error instanceof EgressError) throw new WordPressRefusal(`${what}: ${error.message}`, error.reason === 'timeout' || error.reason === 'unreachable');
    throw error;
  }
  const body = response.json() as Json | undefined;
  if (response.ok && body && typeof body === 'object') return body;
  const code = typeof body?.code === 'string' ? `, ${body.code}` : '';
  if (response.status === 401 || response.status === 403) {
    throw new WordPressRefusal(`WordPress refused ${what} (HTTP ${response.status}${code}): check the connector's account and its permission to publish.`, false);
  }
  const transient = response.status === 429 || response.status >= 500;
  throw new WordPressRefusal(`WordPress could not ${what} (HTTP ${response.status}${code}).`, transient);
}

export async function findPublishedPost(target: ConnectionTarget, publicationId: string, egress: Egress): Promise<{ externalId: string; url: string | null } | undefined> {
  const headers = { authorization: authHeader(target.credentials), accept: 'application/json' };
  const url = apiUrl(String(target.config.base_url), '/wp/v2/posts', { slug: markerSlug(publicationId), status: 'any', context: 'edit' });
  const response = await egress.fetch(url, { headers, maxBytes: MAX_ANSWER_BYTES, ...(target.timeoutMs ? { timeoutMs: target.timeoutMs } : {}) });
  const posts = response.json();
  if (!response.ok || !Array.isArray(posts) || posts.length === 0) return undefined;
  const post = posts[0] as Json;
  return { externalId: String(post.id), url: typeof post.link === 'string' ? post.link : null };
}

async function categoryId(egress: Egress, baseUrl: string, headers: Record<string, string>, name: string): Promise<number | undefined> {
  const found = await egress.fetch(apiUrl(baseUrl, '/wp/v2/categories', { search: name, per_page: '20' }), { headers, maxBytes: MAX_ANSWER_BYTES });
  const list = found.json();
  const match = Array.isArray(list) ? (list as Json[]).find((c) => typeof c.name === 'string' && c.name.toLowerCase() === name.toLowerCase()) : undefined;
  if (match && typeof match.id === 'number') return match.id;
  // A category the account may not create is left out rather than failing the post.
  const created = await egress.fetch(apiUrl(baseUrl, '/wp/v2/categories'), { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ name }), maxBytes: MAX_ANSWER_BYTES });
  const body = created.json() as Json | undefined;
  return created.ok && typeof body?.id === 'number' ? body.id : undefined;
}

export async function publishPost(target: ConnectionTarget, content: PublishContent, egress: Egress): Promise<PublishOutcome> {
  const baseUrl = String(target.config.base_url ?? '');
  const headers = { authorization: authHeader(target.credentials), accept: 'application/json' };
  const timeoutMs = target.timeoutMs ?? 30_000;
  try {
    let media: { id: number; url: string } | undefined;
    if (content.image) {
      const uploaded = await call(
        egress,
        apiUrl(baseUrl, '/wp/v2/media'),
        {
          method: 'POST',
          headers: { ...headers, 'content-type': 'image/png', 'content-disposition': `attachment; filename="${markerSlug(content.publicationId)}.png"` },
          body: content.image.png,
          timeoutMs,
        },
        'upload the chart',
      );
      if (typeof uploaded.id !== 'number' || typeof uploaded.source_url !== 'string') throw new WordPressRefusal('WordPress took the chart but did not say where it is.', false);
      media = { id: uploaded.id, url: uploaded.source_url };
      await call(egress, apiUrl(baseUrl, `/wp/v2/media/${media.id}`), { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ alt_text: content.image.alt }), timeoutMs }, 'describe the chart');
    }
    const category = typeof target.config.default_category === 'string' && target.config.default_category.trim() !== '' ? await categoryId(egress, baseUrl, headers, target.config.default_category.trim()) : undefined;
    const status = typeof target.config.default_status === 'string' ? target.config.default_status : 'draft';
    const post = await call(
      egress,
      apiUrl(baseUrl, '/wp/v2/posts'),
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          title: escapeHtml(content.title),
          content: postHtml({ text: content.text, table: content.table, image: media ? { url: media.url, alt: content.image!.alt } : null }),
          status,
          slug: markerSlug(content.publicationId),
          ...(media ? { featured_media: media.id } : {}),
          ...(category ? { categories: [category] } : {}),
        }),
        timeoutMs,
      },
      'create the post',
    );
    if (typeof post.id !== 'number') throw new WordPressRefusal('WordPress answered without the new post.', false);
    return { ok: true, externalId: String(post.id), url: typeof post.link === 'string' ? post.link : null };
  } catch (error) {
    if (error instanceof WordPressRefusal) return { ok: false, transient: error.transient, message: error.message };
    throw error;
  }
}

export function previewPost(_config: Record<string, unknown>, content: { title: string; text: string; table: PublishContent['table']; hasImage: boolean }) {
  // The chart is uploaded when the post is made; the preview marks where it goes (the page draws the chart itself).
  const html = postHtml({ text: content.text, table: content.table, image: content.hasImage ? { url: CHART_SLOT, alt: 'The chart' } : null });
  const body = `<h1>${escapeHtml(content.title)}</h1>\n${html.replace(`<img src="${CHART_SLOT}" alt="The chart">`, '<div data-chart-slot style="padding:2em;border:1px dashed #999;text-align:center;color:#555">The chart image goes here</div>')}`;
  return { body, format: 'html' as const, limit: null, warnings: [] };
}
