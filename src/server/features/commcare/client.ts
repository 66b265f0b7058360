import type { CommCareCredentials } from './credentials';
import { CommCareHttp, type HttpOptions } from './http';
import { normalizeTimestamp } from './timestamps';
import type {
  Application,
  CaseV05,
  CaseV2,
  CommCareDomainMembership,
  CommCareIdentity,
  FormV05,
  GroupV05,
  LocationTypeV05,
  LocationV2,
  LookupTableItemV05,
  LookupTableV05,
  MobileWorkerV05,
  Page,
  WebUserV05,
} from './types';

export const DEFAULT_HQ_BASE_URL = 'https://www.commcarehq.org';

export interface CommCareClientOptions extends Omit<HttpOptions, 'baseUrl' | 'credentials'> {
  baseUrl?: string;
  credentials: CommCareCredentials;
}

export interface StreamOptions {
  /** Resume after this checkpoint (an `indexed_on` from a previous load's last page). */
  since?: string;
  /** Records per request; HQ's maximum is used when omitted. */
  pageSize?: number;
  signal?: AbortSignal;
}

export interface CaseStreamOptions extends StreamOptions {
  caseType?: string;
}

interface V05Envelope<T> {
  meta: { limit: number; next: string | null; offset: number; previous: string | null; total_count: number | null };
  objects: T[];
}

interface V2Envelope {
  matching_records?: number;
  cases: CaseV2[];
  next?: string | null;
}

/** Page sizes HQ allows per API. */
const MAX_CASES_V2 = 5000;
const MAX_CASES_V05 = 5000;
const MAX_FORMS_V05 = 1000;

/**
 * A client for one HQ server and one set of credentials. Listings are async
 * iterators of pages: memory stays flat however large the domain, and the
 * next page is already on its way while the caller handles the current one.
 */
export class CommCareClient {
  private readonly http: CommCareHttp;

  constructor(options: CommCareClientOptions) {
    this.http = new CommCareHttp({ ...options, baseUrl: options.baseUrl ?? DEFAULT_HQ_BASE_URL });
  }

  get baseUrl(): string {
    return this.http.baseUrl.origin + this.http.baseUrl.pathname.replace(/\/$/, '');
  }

  identity(signal?: AbortSignal): Promise<CommCareIdentity> {
    return this.http.getJson<CommCareIdentity>(this.http.resolve('api/v0.5/identity/'), signal);
  }

  /** Every project space the user belongs to (HQ pages this list too). */
  async userDomains(signal?: AbortSignal): Promise<CommCareDomainMembership[]> {
    const domains: CommCareDomainMembership[] = [];
    for await (const page of this.offsetPages<CommCareDomainMembership>('api/v0.5/user_domains/', { limit: '100' }, signal)) {
      domains.push(...page.records);
    }
    return domains;
  }

  /** Cheap proof that the credentials can read this domain's data: one case, at most. */
  async verifyDomainAccess(domain: string, signal?: AbortSignal): Promise<{ caseCount: number | undefined }> {
    const envelope = await this.http.getJson<V2Envelope>(this.http.resolve(`${domainPath(domain)}/api/case/v2/?limit=1`), signal);
    return { caseCount: envelope.matching_records };
  }

  /** Every case, on case API v2 (cursor paging, ordered by indexed_on then case_id). */
  async *cases(domain: string, options: CaseStreamOptions = {}): AsyncGenerator<Page<CaseV2>> {
    const params = new URLSearchParams({ limit: String(clamp(options.pageSize, MAX_CASES_V2)) });
    if (options.caseType) params.set('case_type', options.caseType);
    if (options.since) params.set('indexed_on.gte', toV2Timestamp(options.since));
    const first = this.http.resolve(`${domainPath(domain)}/api/case/v2/?${params}`);
    let loaded = 0;
    let checkpoint = options.since;
    // Later cursor pages count only what remains after the cursor; the first page's count is the total.
    let total: number | undefined;
    const pages = this.prefetch<URL, V2Envelope>(
      first,
      (url, signal) => this.http.getJson<V2Envelope>(url, signal),
      (envelope, url) => (envelope.next ? this.http.follow(envelope.next, url) : undefined),
      options.signal,
    );
    for await (const { envelope } of pages) {
      loaded += envelope.cases.length;
      total ??= envelope.matching_records;
      checkpoint = envelope.cases.at(-1)?.indexed_on ?? checkpoint;
      yield { records: envelope.cases, loaded, total, checkpoint };
    }
  }

  /** Every case on case API v0.5, keyset-paged on indexed_on (offsets degrade on large domains). */
  casesV05(domain: string, options: CaseStreamOptions = {}): AsyncGenerator<Page<CaseV05>> {
    const filters: Record<string, string> = options.caseType ? { type: options.caseType } : {};
    return this.keysetPages<CaseV05>(`${domainPath(domain)}/api/v0.5/case/`, filters, clamp(options.pageSize, MAX_CASES_V05), options);
  }

  /** Every form (v0.5), keyset-paged on indexed_on so an incremental load sees late-arriving forms. */
  forms(domain: string, options: StreamOptions & { xmlns?: string; appId?: string } = {}): AsyncGenerator<Page<FormV05>> {
    const filters: Record<string, string> = {};
    if (options.xmlns) filters.xmlns = options.xmlns;
    if (options.appId) filters.app_id = options.appId;
    return this.keysetPages<FormV05>(`${domainPath(domain)}/api/v0.5/form/`, filters, clamp(options.pageSize, MAX_FORMS_V05), options);
  }

  /** The domain's applications with their modules, case types, forms and questions. */
  async applications(domain: string, signal?: AbortSignal): Promise<Application[]> {
    const apps: Application[] = [];
    for await (const page of this.offsetPages<Application>(`${domainPath(domain)}/api/v0.5/application/`, { limit: '20' }, signal)) {
      apps.push(...page.records);
    }
    return apps;
  }

  /** Every record of a small v0.5 listing (users, groups, locations, lookup tables), following `next`. */
  async all<T>(domain: string, resource: string, signal?: AbortSignal, limit = 1000): Promise<T[]> {
    const records: T[] = [];
    for await (const page of this.offsetPages<T>(`${domainPath(domain)}/api/${resource}/`, { limit: String(limit) }, signal)) records.push(...page.records);
    return records;
  }

  mobileWorkers(domain: string, signal?: AbortSignal): Promise<MobileWorkerV05[]> {
    return this.all(domain, 'v0.5/user', signal);
  }

  webUsers(domain: string, signal?: AbortSignal): Promise<WebUserV05[]> {
    return this.all(domain, 'v0.5/web-user', signal);
  }

  groups(domain: string, signal?: AbortSignal): Promise<GroupV05[]> {
    return this.all(domain, 'v0.5/group', signal);
  }

  /** The locations the credential may see: a location-restricted user's assigned ones and those below them. */
  locations(domain: string, signal?: AbortSignal): Promise<LocationV2[]> {
    return this.all(domain, 'location/v2', signal, 5000);
  }

  locationTypes(domain: string, signal?: AbortSignal): Promise<LocationTypeV05[]> {
    return this.all(domain, 'v0.5/location_type', signal);
  }

  lookupTables(domain: string, signal?: AbortSignal): Promise<LookupTableV05[]> {
    return this.all(domain, 'v0.5/lookup_table', signal);
  }

  lookupTableItems(domain: string, signal?: AbortSignal): Promise<LookupTableItemV05[]> {
    return this.all(domain, 'v0.5/lookup_table_item', signal);
  }

  /** v0.5 offset paging by following HQ's relative `next` links. */
  private async *offsetPages<T>(path: string, params: Record<string, string>, signal?: AbortSignal): AsyncGenerator<Page<T>> {
    let loaded = 0;
    const pages = this.prefetch<URL, V05Envelope<T>>(
      this.http.resolve(`${path}?${new URLSearchParams(params)}`),
      (url, pageSignal) => this.http.getJson<V05Envelope<T>>(url, pageSignal),
      (envelope, url) => (envelope.meta.next && envelope.objects.length > 0 ? this.http.follow(envelope.meta.next, url) : undefined),
      signal,
    );
    for await (const { envelope } of pages) {
      loaded += envelope.objects.length;
      yield { records: envelope.objects, loaded, total: envelope.meta.total_count ?? undefined, checkpoint: undefined };
    }
  }

  /**
   * v0.5 keyset paging: `order_by=indexed_on` from the last `indexed_on`
   * seen. HQ's filter is inclusive, so the records at that boundary come
   * again and are dropped by id; when one timestamp fills a whole page, the
   * next request pages by offset within it.
   */
  private async *keysetPages<T extends { id: string; indexed_on: string }>(
    path: string,
    filters: Record<string, string>,
    pageSize: number,
    options: StreamOptions,
  ): AsyncGenerator<Page<T>> {
    const request = (cursor: KeysetCursor, signal: AbortSignal) => {
      const params = new URLSearchParams({ ...filters, order_by: 'indexed_on', limit: String(pageSize) });
      if (cursor.boundary) params.set('indexed_on_start', cursor.boundary);
      if (cursor.offset > 0) params.set('offset', String(cursor.offset));
      return this.http.getJson<V05Envelope<T>>(this.http.resolve(`${path}?${params}`), signal);
    };
    const start: KeysetCursor = { boundary: options.since ? normalizeTimestamp(options.since) : undefined, offset: 0, seen: new Set() };
    let loaded = 0;
    let total: number | undefined;
    for await (const { envelope, cursor } of this.prefetch(start, request, nextKeysetCursor, options.signal)) {
      total ??= envelope.meta.total_count ?? undefined;
      const fresh = envelope.objects.filter((r) => !(cursor.seen.has(r.id) && normalizeTimestamp(r.indexed_on) === cursor.boundary));
      loaded += fresh.length;
      yield { records: fresh, loaded, total, checkpoint: envelope.objects.at(-1)?.indexed_on ?? options.since };
    }
  }

  /**
   * Fetches page N+1 while the consumer works on page N. Stopping early
   * (break, throw) aborts the request in flight.
   */
  private async *prefetch<C, E>(
    first: C,
    fetchPage: (cursor: C, signal: AbortSignal) => Promise<E>,
    nextCursor: (envelope: E, cursor: C) => C | undefined,
    signal?: AbortSignal,
  ): AsyncGenerator<{ envelope: E; cursor: C }> {
    const controller = new AbortController();
    const combined = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
    const load = (cursor: C) => {
      const promise = fetchPage(cursor, combined).then((envelope) => ({ envelope, cursor }));
      // A failure while the consumer is busy is raised at the next await, not reported as unhandled.
      promise.catch(() => undefined);
      return promise;
    };
    let pending: Promise<{ envelope: E; cursor: C }> | undefined = load(first);
    try {
      while (pending) {
        const page: { envelope: E; cursor: C } = await pending;
        const next = nextCursor(page.envelope, page.cursor);
        pending = next === undefined ? undefined : load(next);
        yield page;
      }
    } finally {
      controller.abort();
    }
  }
}

interface KeysetCursor {
  /** Normalized `indexed_on` the request starts from (inclusive). */
  boundary: string | undefined;
  /** Records to skip within `boundary` when one timestamp spans pages. */
  offset: number;
  /** Ids already yielded whose `indexed_on` equals `boundary`. */
  seen: ReadonlySet<string>;
}

function nextKeysetCursor<T extends { id: string; indexed_on: string }>(envelope: V05Envelope<T>, cursor: KeysetCursor): KeysetCursor | undefined {
  const records = envelope.objects;
  const last = records.at(-1);
  if (!last || !envelope.meta.next) return undefined;
  const lastStamp = normalizeTimestamp(last.indexed_on);
  const atStamp = records.filter((r) => normalizeTimestamp(r.indexed_on) === lastStamp).map((r) => r.id);
  if (lastStamp === cursor.boundary) {
    return { boundary: lastStamp, offset: cursor.offset + records.length, seen: new Set([...cursor.seen, ...atStamp]) };
  }
  return { boundary: lastStamp, offset: 0, seen: new Set(atStamp) };
}

function domainPath(domain: string): string {
  return `a/${encodeURIComponent(domain)}`;
}

function clamp(size: number | undefined, max: number): number {
  if (size === undefined) return max;
  return Math.max(1, Math.min(max, Math.floor(size)));
}

/** Case v2 filters accept ISO timestamps; send UTC with an explicit Z. */
function toV2Timestamp(value: string): string {
  return `${normalizeTimestamp(value)}Z`;
}
