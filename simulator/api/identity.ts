import { type Hono } from 'hono';
import { authenticate } from './auth';
import { type SimContext, type SimEnv } from './env';
import { jsonResponse } from './http';
import { projectNameOf } from '../generator/program';

/**
 * Who am I, and which domains can I see. Never throttled and never subject to
 * fault injection: a client uses them to check credentials. Both use HQ's
 * LoginAuthentication, whose failure is a bare 401 without a challenge
 * (identity) or UserDomainsResource's plain-text one. Neither shows roles or
 * locations: see sso.ts and the location API for those.
 */

/** The one HQ endpoint whose 401 has a body (UserDomainsResource.dispatch_list). */
export const USER_DOMAINS_UNAUTHORIZED = 'Username or API Key is incorrect, expired or deactivated';

export function registerIdentity(app: Hono<SimEnv>, ctx: SimContext): void {
  for (const path of ['/api/v0.5/identity', '/api/identity/v1']) {
    app.get(path, (c) => {
      const { principal } = authenticate(c, ctx);
      if (!principal) return c.body(null, 401);
      const { user } = principal;
      return jsonResponse(c, { email: user.email, first_name: user.firstName, id: user.id, last_name: user.lastName, username: user.username });
    });
  }

  for (const path of ['/api/v0.5/user_domains', '/api/user_domains/v1']) {
    app.get(path, (c) => {
      const { principal } = authenticate(c, ctx);
      if (!principal) return c.text(USER_DOMAINS_UNAUTHORIZED, 401);
      const objects = principal.user.domains
        .filter((domain) => ctx.domains.has(domain))
        .map((domain) => ({ domain_name: domain, project_name: projectNameOf(domain) }));
      // DoesNothingPaginator: the whole list, and a meta holding only total_count.
      return jsonResponse(c, { meta: { total_count: objects.length }, objects });
    });
  }
}
