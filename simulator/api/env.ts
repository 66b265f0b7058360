import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type FaultInjector } from '../faults';
import { type DomainData } from '../generator/domain-data';
import { type OAuthServer } from '../oauth';
import { type RateLimiter } from '../rate-limit';
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
}

export interface SimEnv {
  Bindings: SimBindings;
  Variables: { principal: Principal; data: DomainData };
}

/** Everything the route modules share. */
export interface SimContext {
  basePath: string;
  users: UserDirectory;
  oauth: OAuthServer;
  domains: ReadonlyMap<string, DomainData>;
  faults: FaultInjector;
  rateLimiter: RateLimiter | null;
}
