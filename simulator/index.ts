import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type RestrictedUserAccess, type SimContext } from './api/env';
import { createApp } from './app';
import { DEFAULT_NONCE_TIMEOUT_SECONDS, DigestAuthenticator } from './digest';
import { FaultInjector, type FaultSettings } from './faults';
import { DomainData, type MutationChange, type MutationResult } from './generator/domain-data';
import { OAuthServer } from './oauth';
import { DEFAULT_RATE_LIMIT, RateLimiter, type RateLimitSettings } from './rate-limit';
import { UserDirectory, defaultUsers, type SimulatorUser } from './users';
import { trimEnd } from '../src/shared/text';

/**
 * The CommCare HQ simulator: a Hono app speaking HQ's REST API over
 * deterministic, generated-on-demand data. Run standalone (`scout simulate`,
 * startSimulator) or mount `app` inside Scout under basePath '/simulator'.
 */

export type { RestrictedUserAccess } from './api/env';
export type { FailNext, FaultKind, FaultSettings } from './faults';
export type { MutationChange, MutationResult } from './generator/domain-data';
export type { SimulatorUser } from './users';

export interface SimulatorOptions {
  seed: number;
  domains: string[];
  /** Cases per domain. */
  cases: number;
  formsPerCase: number;
  /** '' standalone, '/simulator' when mounted inside Scout: every route and generated URL carries it. */
  basePath?: string;
  accessTokenTtlSeconds?: number;
  /** Per domain; false disables the organic limit (injected 429s still work). */
  rateLimit?: RateLimitSettings | false;
  faults?: Partial<FaultSettings>;
  /**
   * How the APIs HQ does not mark location-safe (case and form v0.5, users,
   * groups, applications, lookup tables) answer a location-restricted user:
   * 'deny' (HQ's 403, the default), 'filter' or 'unfiltered'. Case API v2
   * and the location API always filter.
   */
  restrictedUserAccess?: RestrictedUserAccess;
  /** How long a Digest nonce may open a session (django-digest: 300 s). */
  digestNonceTimeoutSeconds?: number;
}

export interface Simulator {
  /** A Hono app; pass requests through unchanged (their path includes basePath). */
  app: { fetch(request: Request, env?: unknown): Response | Promise<Response> };
  users: SimulatorUser[];
  setFaults(faults: Partial<FaultSettings>): void;
  resetFaults(): void;
  mutate(domain: string, change: MutationChange): MutationResult;
  /** Expires one access token (or all): the next call with it gets 401. Returns how many expired. */
  expireAccessTokens(accessToken?: string): number;
  close(): Promise<void>;
}

export const DEFAULT_OPTIONS: SimulatorOptions = {
  seed: 1,
  domains: ['demo-clinic'],
  cases: 1000,
  formsPerCase: 2,
  basePath: '',
  accessTokenTtlSeconds: 900,
  restrictedUserAccess: 'deny',
  digestNonceTimeoutSeconds: DEFAULT_NONCE_TIMEOUT_SECONDS,
};

const DOMAIN_NAME = /^[a-z0-9][a-z0-9-]*$/;

function resolve(options: Partial<SimulatorOptions>): Required<Omit<SimulatorOptions, 'faults'>> & { faults: Partial<FaultSettings> } {
  const merged = { ...DEFAULT_OPTIONS, ...options };
  const domains = [...new Set(merged.domains)];
  if (domains.length === 0) throw new Error('The simulator needs at least one domain.');
  for (const domain of domains) if (!DOMAIN_NAME.test(domain)) throw new Error(`Invalid domain name '${domain}': use lowercase letters, digits and hyphens.`);
  if (!Number.isSafeInteger(merged.seed)) throw new Error('seed must be an integer.');
  if (!Number.isInteger(merged.cases) || merged.cases < 0 || merged.cases > 100_000_000) throw new Error('cases must be an integer from 0 to 100,000,000.');
  if (!Number.isInteger(merged.formsPerCase) || merged.formsPerCase < 0 || merged.formsPerCase > 50) throw new Error('formsPerCase must be an integer from 0 to 50.');
  const basePath = trimEnd(merged.basePath ?? '', '/');
  if (basePath !== '' && !basePath.startsWith('/')) throw new Error("basePath must be '' or start with '/'.");
  const ttl = merged.accessTokenTtlSeconds ?? 900;
  if (!Number.isFinite(ttl) || ttl < 0) throw new Error('accessTokenTtlSeconds must be a number >= 0.');
  const restrictedUserAccess = merged.restrictedUserAccess ?? 'deny';
  if (!['deny', 'filter', 'unfiltered'].includes(restrictedUserAccess)) throw new Error("restrictedUserAccess must be 'deny', 'filter' or 'unfiltered'.");
  const nonceTimeout = merged.digestNonceTimeoutSeconds ?? DEFAULT_NONCE_TIMEOUT_SECONDS;
  if (!Number.isFinite(nonceTimeout) || nonceTimeout < 0) throw new Error('digestNonceTimeoutSeconds must be a number >= 0.');
  return {
    seed: merged.seed,
    domains,
    cases: merged.cases,
    formsPerCase: merged.formsPerCase,
    basePath,
    accessTokenTtlSeconds: ttl,
    restrictedUserAccess,
    digestNonceTimeoutSeconds: nonceTimeout,
    rateLimit: merged.rateLimit ?? DEFAULT_RATE_LIMIT,
    faults: merged.faults ?? {},
  };
}

export function createSimulator(options: Partial<SimulatorOptions> = {}): Simulator {
  const resolved = resolve(options);
  const domains = new Map(resolved.domains.map((domain) => [domain, new DomainData(resolved.seed, domain, resolved.cases, resolved.formsPerCase)]));
  const users = defaultUsers(resolved.domains);
  const directory = new UserDirectory(users);
  const faults = new FaultInjector(resolved.seed, resolved.faults);
  const ctx: SimContext = {
    basePath: resolved.basePath,
    users: directory,
    oauth: new OAuthServer(directory, { basePath: resolved.basePath, accessTokenTtlSeconds: resolved.accessTokenTtlSeconds }),
    digest: new DigestAuthenticator(directory, resolved.digestNonceTimeoutSeconds),
    restrictedUserAccess: resolved.restrictedUserAccess,
    domains,
    faults,
    rateLimiter: resolved.rateLimit === false ? null : new RateLimiter(resolved.rateLimit),
  };
  const app = createApp(ctx, { seed: resolved.seed });

  return {
    app,
    users,
    setFaults: (patch) => void faults.set(patch),
    resetFaults: () => void faults.reset(),
    mutate(domain, change) {
      const data = domains.get(domain);
      if (!data) throw new Error(`Unknown domain '${domain}'.`);
      return data.mutate(change);
    },
    expireAccessTokens: (accessToken) => ctx.oauth.expireAccessTokens(accessToken),
    // Nothing to release: all state is in memory.
    close: async () => undefined,
  };
}

export interface RunningSimulator {
  /** Base URL of the simulated HQ, including basePath. */
  url: string;
  simulator: Simulator;
  close(): Promise<void>;
}

export async function startSimulator(options: Partial<SimulatorOptions> & { port?: number; host?: string } = {}): Promise<RunningSimulator> {
  const { port = 8100, host = '127.0.0.1', ...simulatorOptions } = options;
  const simulator = createSimulator(simulatorOptions);
  const server = await new Promise<Server>((resolveServer, reject) => {
    const instance = serve({ fetch: simulator.app.fetch, port, hostname: host }) as Server;
    instance.once('listening', () => resolveServer(instance));
    instance.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' || host.includes(':') ? `[${address.address}]` : host;
  const basePath = trimEnd(simulatorOptions.basePath ?? '', '/');
  return {
    url: `http://${hostPart}:${address.port}${basePath}`,
    simulator,
    close: async () => {
      await simulator.close();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
    },
  };
}
