import { startSimulator, type RunningSimulator, type SimulatorOptions } from './index';

/** Shared by the simulator's tests: a real server on a free port and a tiny HTTP client for it. */

export const DEMO_AUTH = { Authorization: 'ApiKey demo@example.com:demo-key' };
export const DOMAIN = 'demo-clinic';

export interface TestSimulator extends RunningSimulator {
  /** GET a path (relative to the simulator's origin, basePath included by the caller) or an absolute URL. */
  get(pathOrUrl: string, headers?: Record<string, string>): Promise<Response>;
  json<T = Record<string, unknown>>(pathOrUrl: string, headers?: Record<string, string>): Promise<T>;
  post(path: string, body: unknown): Promise<Response>;
  origin: string;
}

export async function startTestSimulator(options: Partial<SimulatorOptions> = {}): Promise<TestSimulator> {
  const running = await startSimulator({ port: 0, rateLimit: false, ...options });
  const origin = new URL(running.url).origin;
  const resolve = (pathOrUrl: string) => (/^https?:/.test(pathOrUrl) ? pathOrUrl : `${origin}${pathOrUrl}`);
  const get = (pathOrUrl: string, headers: Record<string, string> = DEMO_AUTH) => fetch(resolve(pathOrUrl), { headers });
  return {
    ...running,
    origin,
    get,
    async json<T>(pathOrUrl: string, headers: Record<string, string> = DEMO_AUTH): Promise<T> {
      const response = await get(pathOrUrl, headers);
      const text = await response.text();
      if (response.status !== 200) throw new Error(`GET ${pathOrUrl}: ${response.status} ${text}`);
      return JSON.parse(text) as T;
    },
    post: (path, body) =>
      fetch(`${running.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
  };
}

export interface V2Page {
  matching_records: number;
  cases: { case_id: string; indexed_on: string; [key: string]: unknown }[];
  next?: string;
}

export interface V05Page<T = { case_id: string; indexed_on: string; [key: string]: unknown }> {
  meta: { limit: number; next: string | null; offset: number; previous: string | null; total_count: number };
  objects: T[];
}

/** Follows v2 `next` links to the end; returns every case id in order and the page count. */
export async function allV2(sim: TestSimulator, firstPath: string, headers: Record<string, string> = DEMO_AUTH): Promise<{ ids: string[]; pages: V2Page[] }> {
  const ids: string[] = [];
  const pages: V2Page[] = [];
  let url: string | undefined = firstPath;
  while (url) {
    const page: V2Page = await sim.json<V2Page>(url, headers);
    pages.push(page);
    ids.push(...page.cases.map((c) => c.case_id));
    url = page.next;
  }
  return { ids, pages };
}

/** Follows v0.5 relative `next` links to the end. */
export async function allV05<T extends { [key: string]: unknown } = V05Page['objects'][number]>(
  sim: TestSimulator,
  firstPath: string,
  headers: Record<string, string> = DEMO_AUTH,
): Promise<{ objects: T[]; pages: V05Page<T>[] }> {
  const objects: T[] = [];
  const pages: V05Page<T>[] = [];
  let next: string | null = firstPath;
  while (next) {
    const page: V05Page<T> = await sim.json<V05Page<T>>(next, headers);
    pages.push(page);
    objects.push(...page.objects);
    next = page.meta.next;
  }
  return { objects, pages };
}

/** v0.5 keyset paging as a client does it: order_by=indexed_on, indexed_on_start = last indexed_on, dropping ids already seen. */
export async function allV05Keyset(sim: TestSimulator, basePath: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  const seen = new Set<string>();
  let since: string | undefined;
  for (;;) {
    const query = new URLSearchParams({ limit: String(limit), order_by: 'indexed_on' });
    if (since) query.set('indexed_on_start', since);
    const page = await sim.json<V05Page>(`${basePath}/a/${DOMAIN}/api/v0.5/case/?${query}`);
    let added = 0;
    for (const item of page.objects) {
      if (seen.has(item.case_id)) continue;
      seen.add(item.case_id);
      ids.push(item.case_id);
      added++;
    }
    if (page.objects.length < limit) return ids;
    if (added === 0) throw new Error('keyset paging is stuck: a full page of already-seen cases');
    since = page.objects[page.objects.length - 1]!.indexed_on;
  }
}
