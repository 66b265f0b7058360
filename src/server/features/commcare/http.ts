import type { CommCareCredentials } from './credentials';
import {
  CommCareAuthError,
  CommCareForeignLinkError,
  CommCareNotFoundError,
  CommCarePermissionError,
  CommCareRateLimitError,
  CommCareRequestError,
  CommCareUnavailableError,
} from './errors';

export interface RetryPolicy {
  /** Attempts for 5xx, timeouts, resets and malformed bodies (first try included). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Consecutive 429s tolerated before giving up. */
  maxRateLimitRetries: number;
  /** Wait when a 429 carries no Retry-After. */
  defaultRetryAfterMs: number;
  /** Longest single wait for a Retry-After, however large HQ's value. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRateLimitRetries: 10,
  defaultRetryAfterMs: 1_000,
  maxRetryAfterMs: 60_000,
};

export interface HttpOptions {
  baseUrl: string;
  credentials: CommCareCredentials;
  retry?: Partial<RetryPolicy>;
  /** Per request, body included. */
  timeoutMs?: number;
  /** Called before each wait, for logs and progress ("rate limited, waiting 2 s"). */
  onRetry?: (event: RetryEvent) => void;
  userAgent?: string;
  /** The transport; an in-process handler for the simulator mounted inside Scout. */
  fetch?: (input: URL, init: RequestInit) => Promise<Response>;
}

export interface RetryEvent {
  reason: 'rate_limited' | 'server_error' | 'network' | 'timeout' | 'malformed' | 'token_refresh';
  attempt: number;
  delayMs: number;
  path: string;
  status?: number;
}

/** Thrown inside an attempt for failures worth another try. */
class TransientFailure extends Error {
  constructor(
    readonly reason: RetryEvent['reason'],
    readonly status?: number,
  ) {
    super(reason);
  }
}

/**
 * GETs JSON from HQ with the retry rules HQ's behaviour calls for: waits out
 * 429s, backs off on 5xx/timeouts/resets/malformed bodies with jitter,
 * refreshes an OAuth token once on 401, and never lets a credential reach an
 * error message.
 */
export class CommCareHttp {
  readonly baseUrl: URL;
  private credentials: CommCareCredentials;
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;

  constructor(private readonly options: HttpOptions) {
    this.baseUrl = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.credentials = options.credentials;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 120_000;
  }

  /** One of Scout's own API paths ("a/demo/api/case/v2/?limit=1"), under the configured base URL. */
  resolve(path: string): URL {
    return new URL(path.startsWith('/') ? path.slice(1) : path, this.baseUrl);
  }

  /**
   * A `next` link HQ returned, read as a browser would (relative to the page
   * it came on) by the URL parser, never by string tests: "///host", "\\host",
   * "http:host" and leading spaces or tabs all name other hosts to a URL parser.
   * A link to any origin but the configured one is refused before any request,
   * so credentials never leave for another host.
   */
  follow(link: string, from: URL): URL {
    let url: URL;
    try {
      url = new URL(link, from);
    } catch {
      throw new CommCareForeignLinkError('CommCare HQ returned a next-page link that is not a valid URL; the sync stopped there');
    }
    if (url.origin !== this.baseUrl.origin) {
      throw new CommCareForeignLinkError(`CommCare HQ returned a next-page link to another server (${url.host}); Scout does not send your credentials there, so the sync stopped`);
    }
    return url;
  }

  async getJson<T>(url: URL, signal?: AbortSignal): Promise<T> {
    let attempt = 0;
    let rateLimited = 0;
    let refreshed = false;
    for (;;) {
      signal?.throwIfAborted();
      attempt++;
      try {
        return await this.attempt<T>(url, signal);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (error instanceof TokenExpired) {
          if (refreshed || this.credentials.kind !== 'oauth') throw authError();
          refreshed = true;
          this.options.onRetry?.({ reason: 'token_refresh', attempt, delayMs: 0, path: url.pathname, status: 401 });
          const accessToken = await this.credentials.refresh();
          this.credentials = { ...this.credentials, accessToken };
          attempt--;
          continue;
        }
        if (error instanceof RateLimited) {
          rateLimited++;
          if (rateLimited > this.policy.maxRateLimitRetries) {
            throw new CommCareRateLimitError(`CommCare HQ is rate limiting requests to ${url.pathname} and did not recover after ${this.policy.maxRateLimitRetries} waits; try again later`, 429);
          }
          const delayMs = Math.min(error.retryAfterMs ?? this.policy.defaultRetryAfterMs, this.policy.maxRetryAfterMs);
          this.options.onRetry?.({ reason: 'rate_limited', attempt, delayMs, path: url.pathname, status: 429 });
          attempt--; // waiting out a rate limit is not a failed attempt
          await sleep(delayMs, signal);
          continue;
        }
        if (error instanceof TransientFailure) {
          if (attempt >= this.policy.maxAttempts) throw unavailable(url, error);
          const delayMs = backoff(attempt, this.policy);
          this.options.onRetry?.({ reason: error.reason, attempt, delayMs, path: url.pathname, ...(error.status ? { status: error.status } : {}) });
          await sleep(delayMs, signal);
          continue;
        }
        throw error;
      }
    }
  }

  private async attempt<T>(url: URL, signal: AbortSignal | undefined): Promise<T> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(url, { headers: this.headers(), signal: combined, redirect: 'manual' });
    } catch {
      if (signal?.aborted) throw signal.reason;
      throw new TransientFailure(timeout.aborted ? 'timeout' : 'network');
    }
    if (response.status === 429) {
      await response.body?.cancel().catch(() => undefined);
      throw new RateLimited(parseRetryAfter(response.headers.get('retry-after')));
    }
    if (response.status >= 500) {
      await response.body?.cancel().catch(() => undefined);
      throw new TransientFailure('server_error', response.status);
    }
    if (response.status === 401) {
      await response.body?.cancel().catch(() => undefined);
      throw new TokenExpired();
    }
    if (response.status === 403) {
      await response.body?.cancel().catch(() => undefined);
      throw new CommCarePermissionError(permissionMessage(url), 403);
    }
    if (response.status === 404) {
      await response.body?.cancel().catch(() => undefined);
      throw new CommCareNotFoundError(notFoundMessage(url), 404);
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel().catch(() => undefined);
      // HQ redirects API calls to its login page when the credentials are not accepted.
      throw authError();
    }
    let text: string;
    try {
      text = await response.text();
    } catch {
      if (signal?.aborted) throw signal.reason;
      throw new TransientFailure(timeout.aborted ? 'timeout' : 'network');
    }
    if (response.status >= 400) throw new CommCareRequestError(requestErrorMessage(url, response.status, text), response.status);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new TransientFailure('malformed', response.status);
    }
  }

  private headers(): Record<string, string> {
    const authorization =
      this.credentials.kind === 'api_key'
        ? `ApiKey ${this.credentials.username}:${this.credentials.apiKey}`
        : `Bearer ${this.credentials.accessToken}`;
    return { authorization, accept: 'application/json', 'user-agent': this.options.userAgent ?? 'Scout (+https://github.com/scout)' };
  }
}

class RateLimited extends Error {
  constructor(readonly retryAfterMs: number | undefined) {
    super('rate limited');
  }
}

class TokenExpired extends Error {}

function authError(): CommCareAuthError {
  return new CommCareAuthError('CommCare HQ did not accept these credentials: check the username and API key (or sign in with CommCare again); keys can expire or be deactivated', 401);
}

function permissionMessage(url: URL): string {
  const domain = domainOf(url);
  return domain
    ? `This CommCare account has no API access to the project "${domain}": it is not a member, or the project's plan does not include API access`
    : 'This CommCare account is not allowed to use this API';
}

function notFoundMessage(url: URL): string {
  const domain = domainOf(url);
  return domain ? `CommCare HQ has no project space named "${domain}" at ${url.origin}` : `CommCare HQ has nothing at ${url.pathname}`;
}

function requestErrorMessage(url: URL, status: number, body: string): string {
  let detail = body.trim().slice(0, 300);
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === 'string') detail = parsed.error;
  } catch {
    // plain-text body
  }
  return `CommCare HQ refused ${url.pathname} (${status})${detail ? `: ${detail}` : ''}`;
}

function unavailable(url: URL, failure: TransientFailure): CommCareUnavailableError {
  const what = {
    server_error: `kept answering with server errors (last ${failure.status})`,
    network: 'could not be reached (connection failed or was reset)',
    timeout: 'did not answer in time',
    malformed: 'kept returning malformed data',
    rate_limited: 'kept rate limiting',
    token_refresh: 'rejected a refreshed token',
  }[failure.reason];
  return new CommCareUnavailableError(`CommCare HQ ${what} for ${url.pathname}; try again later`, failure.status);
}

function domainOf(url: URL): string | undefined {
  const match = url.pathname.match(/\/a\/([^/]+)\//);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

/** Retry-After is seconds or an HTTP date. */
function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Exponential backoff with full jitter: spreads retries from many workers apart. */
function backoff(attempt: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

