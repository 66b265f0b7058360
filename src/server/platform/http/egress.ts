import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress, LookupOptions } from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, fetch as undiciFetch, type BodyInit, type Headers } from 'undici';
import { isAllowedHost, parseAllowList, type AllowedHost } from './egress-allow';

/**
 * The one way out for requests a user can aim (a connector's base URL, later
 * every publish call): only http(s), never to private, loopback, link-local
 * (cloud metadata), CGNAT, multicast or unspecified addresses, checked after
 * DNS on every hop, with the connection pinned to the address that was
 * checked, so a name that resolves differently a moment later (DNS
 * rebinding) still reaches the vetted address.
 */

export type EgressFailure = 'invalid_url' | 'refused' | 'not_found' | 'unreachable' | 'timeout' | 'tls' | 'too_large' | 'too_many_redirects';

/** Why a request did not get an answer, in words a user can act on (no secrets: only the host). */
export class EgressError extends Error {
  constructor(
    readonly reason: EgressFailure,
    message: string,
    readonly host?: string,
  ) {
    super(message);
    this.name = 'EgressError';
  }
}

/** The guard said no: the address is private or local (or the URL is not one Scout calls). */
export class EgressRefused extends EgressError {
  constructor(
    message: string,
    host: string,
    /** The refused address (for a name: the address it resolved to). */
    readonly address: string,
  ) {
    super('refused', message, host);
    this.name = 'EgressRefused';
  }
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to (tests map names to addresses without real DNS). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface EgressOptions {
  /** `SCOUT_EGRESS_ALLOW` entries (`host` or `host:port`) reachable even when private. */
  allow?: readonly string[];
  resolve?: Resolver;
  /** The whole exchange, redirects and body included (default 10 s). */
  timeoutMs?: number;
  /** Largest response body read (default 5 MB). */
  maxBytes?: number;
  /** Redirects followed, each checked like the first URL (default 5). */
  maxRedirects?: number;
}

export interface EgressRequest {
  method?: string;
  headers?: Record<string, string>;
  /** Re-sendable bodies only: a 307/308 redirect sends it again. */
  body?: string | Uint8Array | URLSearchParams;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxBytes?: number;
}

export interface EgressResponse {
  status: number;
  ok: boolean;
  /** The URL that answered, after redirects. */
  url: string;
  headers: Headers;
  body: Buffer;
  text(): string;
  /** The body as JSON, or undefined when it is not JSON. */
  json(): unknown;
}

export interface VettedUrl {
  url: URL;
  /** The addresses the connection may use (all of them passed the check). */
  addresses: ResolvedAddress[];
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Headers that carry credentials: not sent on to another origin by a redirect. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/** The system resolver (it reads /etc/hosts too, as the connection would). */
export const systemResolver: Resolver = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

export class Egress {
  private readonly allowed: AllowedHost[];
  private readonly resolve: Resolver;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly maxRedirects: number;

  constructor(options: EgressOptions = {}) {
    const { hosts, problems } = parseAllowList((options.allow ?? []).join(','));
    if (problems.length > 0) throw new Error(`SCOUT_EGRESS_ALLOW: ${problems.join('; ')}`);
    this.allowed = hosts;
    this.resolve = options.resolve ?? systemResolver;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
    this.maxRedirects = options.maxRedirects ?? 5;
  }

  /**
   * Parses `url` and resolves its host; throws EgressRefused when Scout may
   * not connect there, EgressError when the URL is unusable or the name does
   * not resolve.
   */
  async vet(input: string | URL, signal?: AbortSignal): Promise<VettedUrl> {
    const url = parseUrl(input);
    const host = url.hostname;
    const bare = host.startsWith('[') ? host.slice(1, -1) : host;
    const literal = net.isIP(bare);
    const addresses: ResolvedAddress[] = literal ? [{ address: bare, family: literal === 6 ? 6 : 4 }] : await this.lookup(bare, signal);
    if (addresses.length === 0) throw notFound(bare);
    if (isAllowedHost(this.allowed, url)) return { url, addresses };
    for (const { address } of addresses) {
      const range = blockedRange(address);
      if (range) {
        const what = literal ? `${address} is ${range}` : `${bare} resolves to ${address}, ${range}`;
        throw new EgressRefused(
          `Scout does not connect to private or local addresses (${what}). Use the site's public address; a Scout administrator can allow a local server with SCOUT_EGRESS_ALLOW.`,
          bare,
          address,
        );
      }
    }
    return { url, addresses };
  }

  /** A fetch whose every hop is vetted and pinned; redirects followed by hand, body read up to the cap. */
  async fetch(input: string | URL, request: EgressRequest = {}): Promise<EgressResponse> {
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    const maxBytes = request.maxBytes ?? this.maxBytes;
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([deadline, request.signal]) : deadline;
    let method = (request.method ?? 'GET').toUpperCase();
    let headers = { ...request.headers };
    let body = request.body;
    let target: string | URL = input;
    // Set once the first hop is vetted; a failure before that is the guard's own EgressError.
    let host: string | undefined;
    try {
      for (let hop = 0; ; hop++) {
        const vetted = await this.vet(target, signal);
        host = vetted.url.host;
        const agent = new Agent({ connect: { lookup: pinnedLookup(vetted.addresses), timeout: timeoutMs } });
        try {
          const response = await undiciFetch(vetted.url, { method, headers, body: body as BodyInit | undefined, redirect: 'manual', signal, dispatcher: agent });
          const location = response.headers.get('location');
          if (REDIRECTS.has(response.status) && location !== null) {
            await response.body?.cancel();
            if (hop >= this.maxRedirects) throw new EgressError('too_many_redirects', `${host} redirected more than ${this.maxRedirects} times`, host);
            const next = new URL(location, vetted.url);
            // As browsers do: 303 (and 301/302 after a POST) become a GET without a body.
            if (response.status === 303 ? method !== 'HEAD' : (response.status === 301 || response.status === 302) && method === 'POST') {
              method = 'GET';
              body = undefined;
              headers = withoutHeaders(headers, ['content-type', 'content-length']);
            }
            // Credentials given for one site are not handed to another.
            if (next.origin !== vetted.url.origin) headers = withoutHeaders(headers, CREDENTIAL_HEADERS);
            target = next;
            continue;
          }
          const bytes = await readCapped(response, maxBytes, host);
          return present(response.status, vetted.url.toString(), response.headers, bytes);
        } finally {
          void agent.destroy();
        }
      }
    } catch (error) {
      throw asEgressError(error, host ?? 'the site', { timedOut: deadline.aborted, timeoutMs, cancelled: request.signal?.aborted === true });
    }
  }

  private async lookup(hostname: string, signal?: AbortSignal): Promise<ResolvedAddress[]> {
    try {
      // getaddrinfo can't be cancelled; the deadline stops the wait for it.
      return await raceAbort(this.resolve(hostname), signal);
    } catch (error) {
      if (error instanceof EgressError || signal?.aborted) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTFOUND' || code === 'ENODATA' || code === 'EAI_NONAME' || code === 'EAI_NODATA') throw notFound(hostname);
      throw new EgressError('not_found', `Scout could not look up ${hostname} (${code ?? 'DNS error'}); check the address, or try again`, hostname);
    }
  }
}

/** One call without a configured guard (no allow list): mostly for scripts and tests. */
export function egressFetch(url: string | URL, request?: EgressRequest, options?: EgressOptions): Promise<EgressResponse> {
  return new Egress(options).fetch(url, request);
}

/**
 * Why `address` is not one Scout connects to (e.g. "a loopback address"), or
 * undefined for a public unicast address. Everything but ipaddr.js's
 * `unicast` is refused, which also covers reserved ranges and the IPv6 forms
 * that embed an IPv4 address (mapped, NAT64, 6to4, Teredo).
 */
export function blockedRange(address: string): string | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    // process(): an IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged as the IPv4 address it is.
    parsed = ipaddr.process(address);
  } catch {
    return 'not an IP address';
  }
  const range = parsed.range();
  if (range === 'unicast') return undefined;
  return RANGE_NAMES[range] ?? `a reserved address (${range})`;
}

const RANGE_NAMES: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private network address',
  uniqueLocal: 'a private network address',
  linkLocal: 'a link-local address, where cloud metadata services answer',
  carrierGradeNat: 'a carrier-grade NAT address',
  unspecified: 'an unspecified address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
};

function parseUrl(input: string | URL): URL {
  let url: URL;
  try {
    url = typeof input === 'string' ? new URL(input) : new URL(input.href);
  } catch {
    throw new EgressError('invalid_url', 'This is not a web address Scout can use; enter one like https://blog.example.org');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new EgressError('invalid_url', `Scout only connects to http:// and https:// addresses, not ${url.protocol}`, url.hostname);
  }
  // Credentials in an address end up in configs, logs and Referer headers.
  if (url.username !== '' || url.password !== '') {
    throw new EgressError('invalid_url', 'Remove the user name and password from the address; Scout keeps credentials separately', url.hostname);
  }
  return url;
}

function notFound(hostname: string): EgressError {
  return new EgressError('not_found', `Scout could not find ${hostname}: check the address`, hostname);
}

/** A `lookup` for net/tls.connect that answers with the vetted addresses only. */
function pinnedLookup(addresses: ResolvedAddress[]) {
  return (_hostname: string, options: LookupOptions, callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
    const usable = wanted.length > 0 ? wanted : addresses;
    if (options.all) callback(null, usable.map((a) => ({ address: a.address, family: a.family })));
    else callback(null, usable[0]!.address, usable[0]!.family);
  };
}

async function readCapped(response: Awaited<ReturnType<typeof undiciFetch>>, maxBytes: number, host: string): Promise<Buffer> {
  const tooLarge = () => new EgressError('too_large', `${host} sent more than ${Math.round(maxBytes / 1024)} kB`, host);
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      await response.body.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

function present(status: number, url: string, headers: Headers, body: Buffer): EgressResponse {
  return {
    status,
    ok: status >= 200 && status < 300,
    url,
    headers,
    body,
    text: () => body.toString('utf8'),
    json: () => {
      try {
        return JSON.parse(body.toString('utf8')) as unknown;
      } catch {
        return undefined;
      }
    },
  };
}

function withoutHeaders(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name.toLowerCase())));
}

function raceAbort<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

/** Maps what undici and the socket throw to the few failures a user can tell apart. */
function asEgressError(error: unknown, host: string, context: { timedOut: boolean; timeoutMs: number; cancelled: boolean }): Error {
  if (error instanceof EgressError) return error;
  if (context.timedOut) return new EgressError('timeout', `${host} did not answer within ${context.timeoutMs >= 1000 ? `${Math.round(context.timeoutMs / 1000)} s` : `${context.timeoutMs} ms`}`, host);
  if (context.cancelled) return error instanceof Error ? error : new Error('cancelled');
  const cause = (error as { cause?: unknown }).cause ?? error;
  const code = (cause as { code?: string }).code ?? '';
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT') {
    return new EgressError('timeout', `${host} did not answer in time`, host);
  }
  if (TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL')) {
    return new EgressError('tls', `Scout could not make a secure connection to ${host} (${code}); check that the site's certificate is valid`, host);
  }
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') {
    return new EgressError('unreachable', `Nothing answered at ${host}: check the address, and that the site is up`, host);
  }
  return new EgressError('unreachable', `Scout could not reach ${host}${code ? ` (${code})` : ''}`, host);
}
