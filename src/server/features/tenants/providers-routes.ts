import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { OAuthProviderSummary } from '../../../shared/tenants';
import type { OAuthProviderConfig } from '../../config';
import type { Auth } from '../../platform/auth/auth';
import { applyCookies, callAuth } from '../../platform/auth/bridge';
import { requireSession } from '../../platform/auth/session';
import type { Database } from '../../platform/db/schema';
import type { AppEnv } from '../../platform/http/env';
import { notFound } from '../../platform/http/errors';
import type { TenantService } from './service';

/**
 * Mounted at /api/auth: the OAuth providers (CommCare HQ, CommCare Connect)
 * configured on this Scout, a plain link that starts sign-in (or linking,
 * when signed in), better-auth's callback, and disconnecting.
 */
export function providersRouter(deps: { auth: Auth; db: Kysely<Database>; tenants: TenantService; providers: OAuthProviderConfig[]; origin: string }) {
  const router = new Hono<AppEnv>();
  const find = (id: string) => deps.providers.find((p) => p.id === id);

  router.get('/providers', async (c) => {
    const session = await deps.auth.api.getSession({ headers: c.req.raw.headers });
    const linked = session
      ? new Set((await deps.db.selectFrom('account').select('providerId').where('userId', '=', session.user.id).execute()).map((a) => a.providerId))
      : new Set<string>();
    const body: OAuthProviderSummary[] = deps.providers.map((p) => ({
      id: p.id,
      name: p.name,
      login_url: `/api/auth/providers/${p.id}/login`,
      connected: linked.has(p.id),
    }));
    return c.json(body);
  });

  router.get('/providers/:id/login', async (c) => {
    const provider = find(c.req.param('id'));
    if (!provider) throw notFound('This sign-in provider');
    const next = safeNext(c.req.query('next'));
    const session = await deps.auth.api.getSession({ headers: c.req.raw.headers });
    const result = session
      ? await callAuth<{ url: string }>(deps.auth, c, '/link-social', { provider: provider.id, callbackURL: next, errorCallbackURL: '/settings/connections?oauth_error=1' }, deps.origin)
      : await callAuth<{ url: string }>(
          deps.auth,
          c,
          '/sign-in/social',
          { provider: provider.id, callbackURL: next, errorCallbackURL: '/sign-in?oauth_error=1', disableRedirect: true },
          deps.origin,
        );
    applyCookies(c, result.setCookies);
    return c.redirect(result.body.url, 302);
  });

  // better-auth finishes the code exchange, stores the (encrypted) tokens and sets the session.
  router.on(['GET', 'POST'], '/callback/:id', (c) => deps.auth.handler(c.req.raw));

  router.post('/providers/:id/disconnect', requireSession(deps.auth), async (c) => {
    const provider = find(c.req.param('id'));
    if (!provider) throw notFound('This sign-in provider');
    const account = await deps.db.selectFrom('account').select('id').where('userId', '=', c.get('user').id).where('providerId', '=', provider.id).executeTakeFirst();
    if (!account) throw notFound('A linked account for this provider');
    const result = await callAuth<unknown>(deps.auth, c, '/unlink-account', { accountId: account.id });
    applyCookies(c, result.setCookies);
    await deps.tenants.archiveOAuthMemberships(c.get('user').id);
    return c.json({ status: 'ok' });
  });

  return router;
}

/** Only same-site paths: an open redirect after sign-in would hand the session to another site's page. */
function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/chat';
}
