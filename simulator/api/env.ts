import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type AccessScope } from './access';
import { type DigestAuthenticator } from '../digest';
import { type FaultInjector } from '../faults';
import { type DomainData } from '../generator/domain-data';
import { type OAuthServer } from '../oauth';
import { type RateLimiter } from '../rate-limit';
import { type DomainRole } from '../roles';
import { type SimulatorUser, type UserDirectory } from '../users';

/**
 * Bindings @hono/node-server passes as `env`. Optional: app.fetch may also be
 * called in-process without them, and fault injection then falls back to
 * web-stream tricks instead of the raw socket.
 */
export interface SimBindings {
  incoming?: IncomingMessage;
  outgoing?: ServerResponse;
}

export interface Principal {
  user: SimulatorUser;
  /** OAuth scopes; null for API key or password authentication (full API access). */
  scopes: string[] | null;
  /** The scheme that authenticated the request (a Digest user who is not a member is challenged again, as django-digest does). */
  via: 'apikey' | 'bearer' | 'basic' | 'digest';
}

/**
 * How HQ's APIs that are not location-safe answer a location-restricted
 * user (see README, "Location-restricted users"):
 * - 'deny': 403, as LocationAccessMiddleware answers any view not marked @location_safe;
 * - 'filter': as if they were location-safe (cases by owner, forms by submitting user, users by location, no groups);
 * - 'unfiltered': the whole domain, as if the restriction were not seen.
 */
export type RestrictedUserAccess = 'deny' | 'filter' | 'unfiltered';

export interface SimEnv {
  Bindings: SimBindings;
  Variables: { principal: Principal; data: DomainData; role: DomainRole; scope: AccessScope };
}

/** Everything the route modules share. */
export interface SimContext {
  basePath: string;
  users: UserDirectory;
  oauth: OAuthServer;
  digest: DigestAuthenticator;
  restrictedUserAccess: RestrictedUserAccess;
  domains: ReadonlyMap<string, DomainData>;
  faults: FaultInjector;
  rateLimiter: RateLimiter | null;
}
