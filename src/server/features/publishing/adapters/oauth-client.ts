import type { SocialProviderConfig } from '../../../config';
import { EgressError, type Egress } from '../../../platform/http/egress';

/**
 * The token endpoint of X and LinkedIn (RFC 6749): exchanging an
 * authorization code, and renewing with a refresh token where the provider
 * gives one (X rotates it: the used one dies). X wants a confidential
 * client's id and secret in HTTP Basic; LinkedIn wants them in the form.
 * Messages never carry a token or the client secret.
 */

export interface TokenSet {
  accessToken: string;
  /** Absent when the provider gives none (LinkedIn for most apps). */
  refreshToken: string | undefined;
  expiresAt: Date | null;
  scopes: string[];
}

export type TokenOutcome =
  | { ok: true; tokens: TokenSet }
  /** `revoked`: the grant is gone (connect again); `transient`: try again later. */
  | { ok: false; message: string; revoked: boolean; transient: boolean };

export interface ClientCredentials {
  id: string;
  secret: string;
}

export function exchangeCode(
  provider: SocialProviderConfig,
  client: ClientCredentials,
  egress: Egress,
  grant: { code: string; redirectUri: string; verifier: string | undefined },
): Promise<TokenOutcome> {
  const form = new URLSearchParams({ grant_type: 'authorization_code', code: grant.code, redirect_uri: grant.redirectUri });
  if (grant.verifier !== undefined) form.set('code_verifier', grant.verifier);
  return tokenRequest(provider, client, egress, form);
}

export function refreshTokens(provider: SocialProviderConfig, client: ClientCredentials, egress: Egress, refreshToken: string): Promise<TokenOutcome> {
  return tokenRequest(provider, client, egress, new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }));
}

async function tokenRequest(provider: SocialProviderConfig, client: ClientCredentials, egress: Egress, form: URLSearchParams): Promise<TokenOutcome> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  form.set('client_id', client.id);
  if (provider.id === 'x') {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString('base64')}`;
  } else {
    form.set('client_secret', client.secret);
  }
  let response;
  try {
    response = await egress.fetch(provider.tokenUrl, { method: 'POST', headers, body: form.toString(), maxBytes: 64 * 1024 });
  } catch (error) {
    if (error instanceof EgressError) return { ok: false, message: `${provider.name} could not be reached to sign in: ${error.message}`, revoked: false, transient: true };
    throw error;
  }
  const body = (response.json() ?? {}) as Record<string, unknown>;
  if (response.ok && typeof body.access_token === 'string' && body.access_token !== '') {
    const expiresIn = Number(body.expires_in);
    const scope = typeof body.scope === 'string' ? body.scope : '';
    return {
      ok: true,
      tokens: {
        accessToken: body.access_token,
        refreshToken: typeof body.refresh_token === 'string' && body.refresh_token !== '' ? body.refresh_token : undefined,
        expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(Date.now() + expiresIn * 1000) : null,
        // X separates scopes with spaces, LinkedIn with commas.
        scopes: scope.split(provider.id === 'x' ? ' ' : ',').map((s) => s.trim()).filter(Boolean),
      },
    };
  }
  if (response.status === 401 || body.error === 'invalid_client' || body.error === 'unauthorized_client') {
    return { ok: false, message: `${provider.name} refused Scout's app credentials (client id or secret); a Scout administrator must check them.`, revoked: false, transient: false };
  }
  if (response.status === 429 || response.status >= 500) {
    return { ok: false, message: `${provider.name} could not sign in just now (HTTP ${response.status}); try again in a few minutes.`, revoked: false, transient: true };
  }
  const grantType = form.get('grant_type');
  return {
    ok: false,
    message:
      grantType === 'refresh_token'
        ? `${provider.name} no longer accepts this connection's sign-in (it was revoked, or used elsewhere). Connect the account again.`
        : `${provider.name} did not accept the sign-in (the authorization was used, expired or did not match). Try Connect again.`,
    revoked: true,
    transient: false,
  };
}
