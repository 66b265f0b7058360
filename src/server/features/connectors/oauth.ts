import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ERROR_CODES } from '../../../shared/errors';
import type { SocialProviderConfig } from '../../config';
import { openSecret, registeredColumn, sealSecret } from '../../platform/crypto/encrypted-columns';
import type { KeyRing } from '../../platform/crypto/keyring';
import type { Database } from '../../platform/db/schema';
import type { Egress } from '../../platform/http/egress';
import { AppError } from '../../platform/http/errors';
import type { Logger } from '../../platform/logger';
import { authorize } from '../../platform/permissions';
import { exchangeCode } from '../publishing/adapters/oauth-client';
import type { MembershipRow } from '../tenants/repo';
import type { TenantService } from '../tenants/service';
import { oauthProviderFor } from './oauth-providers';
import type { ConnectorService } from './service';

const VERIFIER = registeredColumn('connector_oauth_state', 'verifier');
/** Long enough to sign in at the provider, short enough that a leaked state is soon useless. */
const STATE_TTL_MS = 10 * 60_000;
/** Where the browser lands after the callback: the web app's Connectors page. */
const CONNECTORS_PAGE = '/connectors';

export interface ConnectorOAuthDeps {
  db: Kysely<Database>;
  keyRing: KeyRing;
  connectors: ConnectorService;
  tenants: TenantService;
  egress: Egress;
  /** Scout's public origin: the callback URL registered at the provider is built on it. */
  origin: string;
  logger: Logger;
}

/**
 * OAuth 2.0 connect for X and LinkedIn connectors. `start` keeps a state and
 * a PKCE verifier server-side (the state hashed, the verifier encrypted,
 * ten minutes, bound to the user, membership and connector) and answers the
 * provider's authorize URL; `complete` takes the state back exactly once,
 * checks it belongs to the signed-in user, exchanges the code and stores the
 * tokens encrypted in the connector's secrets. X gets the S256 challenge;
 * LinkedIn's web flow has no PKCE (LinkedIn offers it to native apps only),
 * so there the state and the client secret carry the flow.
 */
export class ConnectorOAuth {
  constructor(private readonly deps: ConnectorOAuthDeps) {}

  redirectUri(provider: SocialProviderConfig): string {
    return `${this.deps.origin}/api/connectors/oauth/${provider.id}/callback`;
  }

  /** `GET …/connectors/<id>/oauth/start`: the provider's authorize URL to redirect to. */
  async start(membership: MembershipRow, connectorId: string): Promise<string> {
    authorize(membership, 'connectors.manage');
    const entry = await this.deps.connectors.entryOf(membership.tenant_id, connectorId);
    const provider = oauthProviderFor(this.deps.connectors.social, entry.key);
    if (!provider) throw new AppError(400, ERROR_CODES.validation, `${entry.name} connectors do not connect with OAuth`);
    const client = provider.client;
    if (!client) {
      throw new AppError(400, ERROR_CODES.validation, `Scout has no ${provider.name} app configured (${provider.id.toUpperCase()}_OAUTH_CLIENT_ID and _SECRET), so Connect is not available; paste an access token instead.`);
    }
    const state = randomBytes(32).toString('base64url');
    const verifier = randomBytes(48).toString('base64url');
    const id = randomUUID();
    const redirectUri = this.redirectUri(provider);
    // Expired states of anyone are swept here: there is no other traffic to this table.
    await this.deps.db.deleteFrom('connector_oauth_state').where('expires_at', '<', new Date()).execute();
    await this.deps.db
      .insertInto('connector_oauth_state')
      .values({
        id,
        state_hash: hash(state),
        user_id: membership.user_id,
        tenant_id: membership.tenant_id,
        membership_id: membership.membership_id,
        connector_id: entry.connectorId,
        provider: provider.id,
        redirect_uri: redirectUri,
        verifier: sealSecret(this.deps.keyRing, VERIFIER, id, verifier, { user_id: membership.user_id, connector_id: entry.connectorId }),
        expires_at: new Date(Date.now() + STATE_TTL_MS),
      })
      .execute();
    const url = new URL(provider.authorizeUrl);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', client.id);
    url.searchParams.set('redirect_uri', redirectUri);
    url.searchParams.set('scope', provider.scopes.join(' '));
    url.searchParams.set('state', state);
    if (provider.id === 'x') {
      url.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
      url.searchParams.set('code_challenge_method', 'S256');
    }
    return url.toString();
  }

  /**
   * `GET /api/connectors/oauth/<provider>/callback`: where the browser goes
   * next (the Connectors page, saying how it went). Never throws for what
   * the provider or the browser sent: every outcome is a redirect.
   */
  async complete(userId: string, providerId: string, query: { state?: string | undefined; code?: string | undefined; error?: string | undefined }): Promise<string> {
    const back = (outcome: { connected?: string; error?: string }) => {
      const params = new URLSearchParams(outcome.connected ? { connected: outcome.connected } : { oauth_error: outcome.error ?? 'failed' });
      return `${CONNECTORS_PAGE}?${params}`;
    };
    if (!query.state) return back({ error: 'The sign-in came back without its state; try Connect again.' });
    // Taken exactly once, whatever happens next: a replayed callback finds nothing.
    const row = await this.deps.db.deleteFrom('connector_oauth_state').where('state_hash', '=', hash(query.state)).returningAll().executeTakeFirst();
    if (!row || row.user_id !== userId || row.provider !== providerId || row.expires_at.getTime() < Date.now()) {
      this.deps.logger.warn({ provider: providerId, found: row !== undefined }, 'connector OAuth callback with an unknown, expired or foreign state');
      return back({ error: 'This sign-in was not started here, or it expired; try Connect again.' });
    }
    let membership: MembershipRow;
    try {
      membership = await this.deps.tenants.get(userId, row.membership_id);
      authorize(membership, 'connectors.manage');
    } catch {
      return back({ error: 'You may no longer change connectors in this domain.' });
    }
    const entry = await this.deps.connectors.entryOf(membership.tenant_id, row.connector_id).catch(() => undefined);
    const provider = entry ? oauthProviderFor(this.deps.connectors.social, entry.key) : undefined;
    if (!entry || !provider?.client || provider.id !== providerId) return back({ error: 'This connector is gone, or no longer connects with OAuth.' });
    if (query.error) {
      const cancelled = query.error === 'access_denied' || query.error === 'user_cancelled_authorize' || query.error === 'user_cancelled_login';
      return back({ error: cancelled ? `The sign-in at ${provider.name} was cancelled; nothing changed.` : `${provider.name} refused the sign-in (${query.error.slice(0, 100)}).` });
    }
    if (!query.code) return back({ error: `${provider.name} sent no authorization code; try Connect again.` });
    const verifier = openSecret(this.deps.keyRing, VERIFIER, row.id, row.verifier, { user_id: row.user_id, connector_id: row.connector_id });
    const exchanged = await exchangeCode(provider, provider.client, this.deps.egress, { code: query.code, redirectUri: row.redirect_uri, verifier: provider.id === 'x' ? verifier : undefined });
    if (!exchanged.ok) {
      this.deps.logger.warn({ provider: providerId, connector: row.connector_id }, 'connector OAuth code exchange failed');
      return back({ error: exchanged.message });
    }
    const { tokens } = exchanged;
    await this.deps.connectors.storeCredentials(
      membership.tenant_id,
      row.connector_id,
      { access_token: tokens.accessToken, ...(tokens.refreshToken ? { refresh_token: tokens.refreshToken } : {}), token_expires_at: tokens.expiresAt?.toISOString() ?? '' },
      { replaceTokens: true },
    );
    this.deps.logger.info({ provider: providerId, connector: row.connector_id, scopes: tokens.scopes, expires_at: tokens.expiresAt }, 'connector connected with OAuth');
    // The test names the account on the card (and brings an errored connector back).
    await this.deps.connectors.recheck(membership.tenant_id, row.connector_id);
    return back({ connected: row.connector_id });
  }
}

function hash(state: string): string {
  return createHash('sha256').update(state).digest('hex');
}
