import { z } from 'zod';
import { Rng } from './prng';

/**
 * Fault injection for data endpoints (case, form, application). Random faults
 * draw from their own PRNG, reseeded whenever the settings change, so a test
 * that sets `{seed, errorRate}` sees the same sequence every run; `failNext`
 * and `rateLimitBurst` fail an exact number of upcoming requests.
 */

export const FAULT_KINDS = ['error', 'rate-limit', 'malformed', 'truncated', 'reset'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FailNext {
  count: number;
  /** Defaults to 'error' (or 'rate-limit' when status is 429). */
  kind?: FaultKind;
  /** For 'error': the status to answer with (default 500). */
  status?: number;
}

export interface FaultSettings {
  /** Share of data requests answered with a status from errorStatuses. */
  errorRate: number;
  errorStatuses: number[];
  /** Added before every data request is answered. */
  latencyMs: number;
  /** Share answered 200 with a body that isn't JSON. */
  malformedJsonRate: number;
  /** Share answered 200 with a JSON body cut in half (a complete HTTP response). */
  truncatedBodyRate: number;
  /** Share whose connection is reset after part of the body. */
  connectionResetRate: number;
  /** The next N data requests get 429. */
  rateLimitBurst: number;
  /** Retry-After on injected 429s. */
  retryAfterSeconds: number;
  /** Queue of exact failures for the next requests, consumed in order. */
  failNext: FailNext[];
  /** Seed of the fault PRNG. */
  seed: number;
}

export const NO_FAULTS: FaultSettings = {
  errorRate: 0,
  errorStatuses: [500, 502, 503],
  latencyMs: 0,
  malformedJsonRate: 0,
  truncatedBodyRate: 0,
  connectionResetRate: 0,
  rateLimitBurst: 0,
  retryAfterSeconds: 1,
  failNext: [],
  seed: 1,
};

const rate = z.number().min(0).max(1);
const failNextSchema = z.strictObject({
  count: z.number().int().min(1).max(100_000),
  kind: z.enum(FAULT_KINDS).optional(),
  status: z.number().int().min(400).max(599).optional(),
});

/** Body of POST /_sim/faults: any subset of the settings; failNext may be one entry or a list. */
export const faultPatchSchema = z.strictObject({
  errorRate: rate.optional(),
  errorStatuses: z.array(z.number().int().min(400).max(599)).min(1).optional(),
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  malformedJsonRate: rate.optional(),
  truncatedBodyRate: rate.optional(),
  connectionResetRate: rate.optional(),
  rateLimitBurst: z.number().int().min(0).max(1_000_000).optional(),
  retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
  failNext: z.union([failNextSchema, z.array(failNextSchema)]).optional(),
  seed: z.number().int().optional(),
});
export type FaultPatch = z.infer<typeof faultPatchSchema>;

export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'error'; status: number }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'malformed' }
  | { kind: 'truncated' }
  | { kind: 'reset' };

export class FaultInjector {
  private current: FaultSettings;
  private rng: Rng;

  constructor(
    private readonly defaultSeed: number,
    initial: FaultPatch = {},
  ) {
    this.current = { ...NO_FAULTS, seed: defaultSeed, failNext: [] };
    this.rng = new Rng(defaultSeed);
    this.set(initial);
  }

  get settings(): FaultSettings {
    return { ...this.current, errorStatuses: [...this.current.errorStatuses], failNext: this.current.failNext.map((f) => ({ ...f })) };
  }

  set(patch: FaultPatch): FaultSettings {
    const { failNext, ...rest } = faultPatchSchema.parse(patch);
    this.current = { ...this.current, ...rest };
    if (failNext !== undefined) this.current.failNext = (Array.isArray(failNext) ? failNext : [failNext]).map((f) => ({ ...f }));
    this.rng = new Rng(this.current.seed);
    return this.settings;
  }

  reset(): FaultSettings {
    this.current = { ...NO_FAULTS, seed: this.defaultSeed, failNext: [] };
    this.rng = new Rng(this.defaultSeed);
    return this.settings;
  }

  get latencyMs(): number {
    return this.current.latencyMs;
  }

  /** Decides the fate of one data request (consuming queued failures first). */
  decide(): FaultDecision {
    const settings = this.current;
    const queued = settings.failNext[0];
    if (queued) {
      queued.count -= 1;
      if (queued.count <= 0) settings.failNext.shift();
      const kind = queued.kind ?? (queued.status === 429 ? 'rate-limit' : 'error');
      return this.decision(kind, queued.status ?? 500);
    }
    if (settings.rateLimitBurst > 0) {
      settings.rateLimitBurst -= 1;
      return { kind: 'rate-limit', retryAfterSeconds: settings.retryAfterSeconds };
    }
    const { errorRate, malformedJsonRate, truncatedBodyRate, connectionResetRate } = settings;
    if (errorRate + malformedJsonRate + truncatedBodyRate + connectionResetRate === 0) return { kind: 'none' };
    const draw = this.rng.next();
    if (draw < errorRate) return { kind: 'error', status: this.rng.pick(settings.errorStatuses) };
    if (draw < errorRate + malformedJsonRate) return { kind: 'malformed' };
    if (draw < errorRate + malformedJsonRate + truncatedBodyRate) return { kind: 'truncated' };
    if (draw < errorRate + malformedJsonRate + truncatedBodyRate + connectionResetRate) return { kind: 'reset' };
    return { kind: 'none' };
  }

  private decision(kind: FaultKind, status: number): FaultDecision {
    switch (kind) {
      case 'error':
        return { kind: 'error', status };
      case 'rate-limit':
        return { kind: 'rate-limit', retryAfterSeconds: this.current.retryAfterSeconds };
      default:
        return { kind };
    }
  }
}
