import type { GenericOAuthConfig } from 'better-auth/plugins/generic-oauth';
import type { OAuthProviderConfig } from '../../config';
import type { Kysely } from 'kysely';
import type { Auth } from '../../platform/auth/auth';
import type { Database } from '../../platform/db/schema';
import { CommCareAuthError, CommCareClient } from '../commcare';
import type { HqServerDirectory } from './hq-servers';

/** CommCare's OAuth2 endpoints (django-oauth-toolkit), as better-auth's generic OAuth provider. */
export function commcareOAuthProviders(providers: OAuthProviderConfig[], servers: HqServerDirectory): GenericOAuthConfig[] {
  return providers.map((provider) => ({
    providerId: provider.id,
    name: provider.name,
    clientId: provider.clientId,
    ...(provider.clientSecret ? { clientSecret: provider.clientSecret } : {}),
    authorizationUrl: `${provider.baseUrl}/oauth/authorize/`,
    tokenUrl: `${provider.baseUrl}/oauth/token/`,
    scopes: ['access_apis'],
    pkce: true,
    // HQ has no OIDC userinfo endpoint; its identity API says who signed in.
    getUserInfo: async (tokens) => {
      if (!tokens.accessToken) return null;
      const transport = servers.transportFor(provider.baseUrl);
      const client = new CommCareClient({
        baseUrl: provider.baseUrl,
        credentials: { kind: 'oauth', accessToken: tokens.accessToken, refresh: () => Promise.reject(new CommCareAuthError('a fresh token was rejected', 401)) },
        ...(transport ? { fetch: transport } : {}),
      });
      const identity = await client.identity();
      const name = [identity.first_name, identity.last_name].filter(Boolean).join(' ').trim();
      return { id: String(identity.id), email: identity.email || identity.username, name: name || identity.username, emailVerified: true };
    },
  }));
}

const REFRESH_MARGIN_MS = 2 * 60_000;

/** Access tokens for a user's linked OAuth account, refreshed by better-auth (encrypted at rest there). */
export interface OAuthTokenSource {
  accessToken(userId: string, providerId: string): Promise<string>;
  refresh(userId: string, providerId: string): Promise<string>;
}

export function betterAuthTokens(auth: () => Auth, db: Kysely<Database>): OAuthTokenSource {
  const accountId = async (userId: string, providerId: string) => {
    const row = await db.selectFrom('account').select('id').where('userId', '=', userId).where('providerId', '=', providerId).executeTakeFirst();
    if (!row) throw new CommCareAuthError('this CommCare account is no longer linked; connect it again', 401);
    return row.id;
  };
  return {
    async accessToken(userId, providerId) {
      const id = await accountId(userId, providerId);
      const result = await auth().api.getAccessToken({ body: { accountId: id, userId } });
      if (!result.accessToken) throw new CommCareAuthError('no access token stored for this account', 401);
      // better-auth refreshes only in the last seconds; a sync that starts now may run for minutes.
      const expiresAt = result.accessTokenExpiresAt ? new Date(result.accessTokenExpiresAt).getTime() : Number.POSITIVE_INFINITY;
      if (expiresAt - Date.now() < REFRESH_MARGIN_MS) return this.refresh(userId, providerId);
      return result.accessToken;
    },
    async refresh(userId, providerId) {
      const result = await auth().api.refreshToken({ body: { accountId: await accountId(userId, providerId), userId } });
      if (!result.accessToken) throw new CommCareAuthError('the refresh returned no access token', 401);
      return result.accessToken;
    },
  };
}
