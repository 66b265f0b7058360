import { betterAuth, type BetterAuthOptions } from 'better-auth';
import { genericOAuth, type GenericOAuthConfig } from 'better-auth/plugins/generic-oauth';
import { jwt } from 'better-auth/plugins';
import { mcp } from '@better-auth/mcp';
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../shared/accounts';
import type { Logger } from '../logger';

/** The header Scout sets from the socket address (and strips from requests) for rate limiting. */
export const CLIENT_IP_HEADER = 'x-scout-client-ip';

export interface AuthSettings {
  pool: pg.Pool;
  secret: string;
  baseUrl: string;
  /** Extra origins allowed to post to auth endpoints (e.g. 127.0.0.1 beside localhost in development). */
  trustedOrigins: string[];
  secureCookies: boolean;
  logger: Logger;
  /** Sign-in attempts allowed per client address per minute. */
  signInAttemptsPerMinute?: number;
  /** Accounts that may be created per client address per minute. */
  signUpAttemptsPerMinute?: number;
  /** OAuth sign-in providers (CommCare HQ, CommCare Connect) that are configured. */
  oauthProviders?: GenericOAuthConfig[];
  /** Runs after an OAuth sign-in or account link stored fresh tokens for a user. */
  onOAuthAccount?: (userId: string, providerId: string) => Promise<void>;
  /** Scout as the OAuth 2.1 authorization server of its MCP endpoint; unset, MCP takes personal tokens only. */
  mcpOAuth?: McpOAuthSettings;
}

export interface McpOAuthSettings {
  /** The protected resource: `<origin>/mcp` (it covers every /mcp/<membership id>). */
  resource: string;
  /** Lifetime of an access token; every MCP call checks the grant anyway, so revoking never waits for it. */
  accessTokenSeconds: number;
  /** Client registrations allowed per address a minute. */
  registrationsPerMinute: number;
  /** Token requests allowed per address a minute. */
  tokenRequestsPerMinute: number;
}

/** What an MCP client may ask for: `mcp:tools` reads data and runs tools; `mcp:sync` also starts syncs. */
export const MCP_SCOPES = { tools: 'mcp:tools', sync: 'mcp:sync' } as const;
export const MCP_CONSENT_PAGE = '/oauth/consent';
export const MCP_LOGIN_PAGE = '/sign-in';

/**
 * How better-auth stores OAuth tokens (refresh tokens, codes): their SHA-256,
 * in hex, so that Scout can find a refresh token's row too (reuse detection).
 */
export function hashOAuthToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function mcpPlugins(settings: McpOAuthSettings) {
  return [
    // Signs the access tokens (JWTs, audience = the MCP resource); its private key is encrypted with the secret.
    jwt(),
    mcp({
      resource: settings.resource,
      loginPage: MCP_LOGIN_PAGE,
      consentPage: MCP_CONSENT_PAGE,
      scopes: ['openid', 'profile', 'email', 'offline_access', MCP_SCOPES.tools, MCP_SCOPES.sync],
      allowDynamicClientRegistration: true,
      allowUnauthenticatedClientRegistration: true,
      accessTokenExpiresIn: settings.accessTokenSeconds,
      // A rotated refresh token used again is theft, not a retry: the whole family goes (and Scout revokes the grant).
      refreshTokenReuseInterval: 0,
      storeTokens: { hash: (token) => hashOAuthToken(token) },
      storeClientSecret: 'hashed',
      rateLimit: {
        register: { window: 60, max: settings.registrationsPerMinute },
        token: { window: 60, max: settings.tokenRequestsPerMinute },
      },
    }),
  ];
}

export function authOptions(settings: AuthSettings): BetterAuthOptions {
  const signInLimit = { window: 60, max: settings.signInAttemptsPerMinute ?? 10 };
  const providers = settings.oauthProviders ?? [];
  const providerIds = new Set(providers.map((p) => p.providerId));
  // Only the OAuth callback (sign-in or link) syncs domains; token refreshes update the account too and must not.
  const afterOAuthAccount = async (account: { userId: string; providerId: string } | null, path: string | undefined) => {
    if (!account || !providerIds.has(account.providerId) || !path?.startsWith('/callback/')) return;
    try {
      await settings.onOAuthAccount?.(account.userId, account.providerId);
    } catch (error) {
      settings.logger.error({ err: { type: (error as Error).name, message: (error as Error).message }, providerId: account.providerId }, 'syncing domains after OAuth sign-in failed');
    }
  };
  return {
    appName: 'Scout',
    baseURL: settings.baseUrl,
    basePath: '/api/auth',
    secret: settings.secret,
    database: settings.pool,
    trustedOrigins: settings.trustedOrigins,
    emailAndPassword: {
      enabled: true,
      autoSignIn: true,
      minPasswordLength: PASSWORD_MIN_LENGTH,
      maxPasswordLength: PASSWORD_MAX_LENGTH,
    },
    session: {
      expiresIn: 60 * 60 * 24 * 14,
      updateAge: 60 * 60 * 24,
    },
    rateLimit: {
      // On in every environment: sign-in throttling is behaviour, not a production tweak.
      enabled: true,
      // In the database so that every web process shares one count.
      storage: 'database',
      window: 60,
      max: 300,
      customRules: {
        '/sign-in/email': signInLimit,
        '/sign-up/email': { window: 60, max: settings.signUpAttemptsPerMinute ?? 10 },
        // Starting a CommCare sign-in costs nothing to guess; the password is checked by CommCare.
        '/sign-in/social': { window: 60, max: 30 },
        '/link-social': { window: 60, max: 30 },
      },
    },
    advanced: {
      useSecureCookies: settings.secureCookies,
      cookiePrefix: 'scout',
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    account: {
      // OAuth tokens are secrets at rest too.
      encryptOAuthTokens: true,
      // A Scout account may connect a CommCare login under another email address.
      accountLinking: { enabled: true, trustedProviders: providers.map((p) => p.providerId), allowDifferentEmails: true },
    },
    plugins: [...(providers.length > 0 ? [genericOAuth({ config: providers })] : []), ...(settings.mcpOAuth ? mcpPlugins(settings.mcpOAuth) : [])],
    databaseHooks: {
      account: {
        create: { after: (account, context) => afterOAuthAccount(account, context?.path) },
        update: { after: (account, context) => afterOAuthAccount(account, context?.path) },
      },
    },
    telemetry: { enabled: false },
    logger: {
      level: 'warn',
      log: (level, message) => {
        const log = level === 'error' ? settings.logger.error.bind(settings.logger) : settings.logger.warn.bind(settings.logger);
        log({ component: 'better-auth' }, message);
      },
    },
  };
}

export function createAuth(settings: AuthSettings) {
  return betterAuth(authOptions(settings));
}

export type Auth = ReturnType<typeof createAuth>;
