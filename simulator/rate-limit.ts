/**
 * Per-domain token buckets, as HQ throttles API calls per project space.
 * Real time drives the refill: this is the "organic" limit; tests that need
 * an exact number of 429s use the `rateLimitBurst` fault instead.
 */

export interface RateLimitSettings {
  requestsPerSecond: number;
  burst: number;
}

/** Generous enough for tests and benchmarks (1000-record pages), still reachable by a runaway client. */
export const DEFAULT_RATE_LIMIT: RateLimitSettings = { requestsPerSecond: 200, burst: 1000 };

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly now: () => number = Date.now,
  ) {}

  take(domain: string): RateDecision {
    const nowMs = this.now();
    const { requestsPerSecond, burst } = this.settings;
    const bucket = this.buckets.get(domain) ?? { tokens: burst, updatedMs: nowMs };
    bucket.tokens = Math.min(burst, bucket.tokens + ((nowMs - bucket.updatedMs) / 1000) * requestsPerSecond);
    bucket.updatedMs = nowMs;
    this.buckets.set(domain, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    // Whole seconds, at least one: Retry-After is an integer header.
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / Math.max(requestsPerSecond, 1e-9)));
    return { ok: false, retryAfterSeconds: Math.min(retryAfterSeconds, 3600) };
  }
}
