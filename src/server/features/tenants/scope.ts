import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../platform/http/env';
import type { MembershipRow } from './repo';
import type { TenantService } from './service';

/** A member's place in one domain: who, which tenant and schema, which role. Resolved once per request. */
export type Membership = MembershipRow;

/** Routes under /api/tenants/<membership id>/ see `c.get('membership')`. */
export interface TenantEnv {
  Variables: AppEnv['Variables'] & { membership: Membership };
}

/**
 * Resolves the caller's membership from the URL once, for every route below
 * it: another user's id, an unknown one or a malformed one is 404 (never
 * 403: no hint that it exists). Needs `requireSession` before it.
 */
export function tenantScope(tenants: TenantService): MiddlewareHandler<TenantEnv> {
  return async (c, next) => {
    c.set('membership', await tenants.get(c.get('user').id, c.req.param('membershipId') ?? ''));
    await next();
  };
}
