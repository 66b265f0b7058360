import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { Auth } from '../../../platform/auth/auth';

/** What Scout reads from a verified OAuth access token. */
export interface AccessTokenClaims {
  userId: string;
  clientId: string;
  scopes: Set<string>;
  issuedAt: number;
}

const JWKS_TTL_MS = 5 * 60_000;

/**
 * Verifies the access tokens Scout's authorization server signed: signature
 * against its own key set (read in-process, never over the network), issuer,
 * audience (the MCP resource: a token for any other resource is refused),
 * expiry. Only the JWT is checked here; the grant behind it is checked by the
 * caller on every request.
 */
export class AccessTokenVerifier {
  private keys: { set: ReturnType<typeof createLocalJWKSet>; at: number } | undefined;

  constructor(
    private readonly auth: Auth,
    private readonly settings: { issuer: string; audience: string; baseUrl: string },
  ) {}

  async verify(token: string): Promise<AccessTokenClaims | undefined> {
    // A JWT is three base64url parts; anything else (or a huge header) is not worth parsing.
    if (token.length > 8_192 || token.split('.').length !== 3) return undefined;
    let payload: JWTPayload;
    try {
      payload = await this.verifyWith(await this.keySet(false), token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) return undefined;
      // A key made since the set was read (the first token, or a rotation): read it again, once.
      try {
        payload = await this.verifyWith(await this.keySet(true), token);
      } catch {
        return undefined;
      }
    }
    const clientId = typeof payload.azp === 'string' ? payload.azp : typeof payload.client_id === 'string' ? payload.client_id : undefined;
    if (!payload.sub || !clientId || typeof payload.iat !== 'number') return undefined;
    const scopes = new Set(typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : []);
    return { userId: payload.sub, clientId, scopes, issuedAt: payload.iat };
  }

  private async verifyWith(keys: ReturnType<typeof createLocalJWKSet>, token: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, keys, { issuer: this.settings.issuer, audience: this.settings.audience, clockTolerance: 5 });
    return payload;
  }

  private async keySet(fresh: boolean): Promise<ReturnType<typeof createLocalJWKSet>> {
    if (!fresh && this.keys && Date.now() - this.keys.at < JWKS_TTL_MS) return this.keys.set;
    const response = await this.auth.handler(new Request(`${this.settings.baseUrl}/api/auth/jwks`));
    const jwks = (await response.json()) as JSONWebKeySet;
    this.keys = { set: createLocalJWKSet({ keys: Array.isArray(jwks.keys) ? jwks.keys : [] }), at: Date.now() };
    return this.keys.set;
  }
}
