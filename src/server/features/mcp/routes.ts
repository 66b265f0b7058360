import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { createMcpTokenSchema, MCP_OAUTH_SCOPES, MCP_TOKEN_PREFIX } from '../../../shared/mcp';
import type { ToolErrorCode } from '../../../shared/tools';
import { parseBody, parseJsonInput } from '../../platform/http/body';
import type { AppEnv } from '../../platform/http/env';
import { AppError, notFound } from '../../platform/http/errors';
import type { TenantContext } from '../tools/context';
import type { ToolService } from '../tools/service';
import { presentCreatedToken, presentToken } from './presenter';
import type { RateLimit } from '../../platform/rate-limit';
import { createMcpServer, describeTools, type McpCaller } from './server';
import type { AccessTokenVerifier } from './oauth/access-token';
import type { McpGrantService } from './oauth/grants';
import type { Logger } from '../../platform/logger';
import type { McpTokenService } from './service';
import { bearerToken } from './token';

/** Scopes the 401 asks a client to request: tools, syncing (the user may still say no), and a refresh token so it need not sign in every 15 minutes. */
const CHALLENGE_SCOPES = [MCP_OAUTH_SCOPES.tools, MCP_OAUTH_SCOPES.sync, 'offline_access'];

/** Mounted at /api/mcp behind the session check: the signed-in user's personal access tokens. */
export function mcpTokensRouter(deps: { tokens: McpTokenService }) {
  const router = new Hono<AppEnv>();

  router.get('/tokens', async (c) => c.json((await deps.tokens.list(c.get('user').id)).map(presentToken)));

  router.post('/tokens', async (c) => {
    const { name, expires_in_days: lifetime } = await parseBody(c, createMcpTokenSchema);
    const { row, token } = await deps.tokens.create(c.get('user').id, name, lifetime);
    return c.json(presentCreatedToken(row, token), 201);
  });

  router.delete('/tokens/:tokenId', async (c) => {
    await deps.tokens.revoke(c.get('user').id, c.req.param('tokenId'));
    return c.body(null, 204);
  });

  return router;
}

/** Scout as the authorization server of its MCP endpoint (absent: personal access tokens only). */
export interface McpOAuth {
  verifier: AccessTokenVerifier;
  grants: McpGrantService;
  /** Where a client finds the protected-resource metadata (RFC 9728), for the 401 challenge. */
  resourceMetadataUrl: string;
}

/** Who an accepted bearer token stands for. */
interface McpAuthorization {
  userId: string;
  caller: McpCaller;
  /** The OAuth grant's domains, in the order picked; undefined for a personal token (all the user's domains). */
  membershipIds?: string[];
}

/**
 * The MCP endpoint (Streamable HTTP, stateless: a new server and transport per
 * request). Mounted at /mcp and /mcp/<membership id>; authenticated by a
 * personal access token or an OAuth access token, never a cookie, so it sits
 * outside /api's origin guard.
 */
export function mcpEndpoint(deps: { tokens: McpTokenService; tools: ToolService; rateLimit: RateLimit; logger: Logger; oauth?: McpOAuth }) {
  const listed = describeTools(deps.tools);
  const challenge = (error?: string, description?: string) => {
    const parts = ['Bearer realm="scout"'];
    if (deps.oauth) parts.push(`resource_metadata="${deps.oauth.resourceMetadataUrl}"`, `scope="${CHALLENGE_SCOPES.join(' ')}"`);
    if (error) parts.push(`error="${error}"`);
    if (description) parts.push(`error_description="${description}"`);
    return { 'WWW-Authenticate': parts.join(', ') };
  };

  /** The caller behind the token, or the answer that refuses it. */
  const authorize = async (c: Context<AppEnv>, token: string): Promise<McpAuthorization | Response> => {
    if (token.startsWith(MCP_TOKEN_PREFIX) || !deps.oauth) {
      const caller = await deps.tokens.authenticate(token);
      if (!caller) return rpcError(c, 401, 'AUTH_TOKEN_EXPIRED', 'This token is unknown, revoked or expired. Create a new one on Settings → MCP access.', challenge('invalid_token'));
      return { userId: caller.userId, caller: { rateKey: caller.tokenId, maySync: true } };
    }
    const claims = await deps.oauth.verifier.verify(token);
    if (!claims) return rpcError(c, 401, 'AUTH_TOKEN_EXPIRED', 'This access token is invalid or expired: sign in again from your MCP client.', challenge('invalid_token', 'The access token is invalid or expired'));
    if (!claims.scopes.has(MCP_OAUTH_SCOPES.tools)) {
      return rpcError(c, 403, 'FORBIDDEN', `This access token lacks the ${MCP_OAUTH_SCOPES.tools} scope.`, challenge('insufficient_scope', `Needs ${MCP_OAUTH_SCOPES.tools}`));
    }
    const grant = await deps.oauth.grants.authorize(claims.userId, claims.clientId, claims.issuedAt);
    if (!grant) return rpcError(c, 401, 'AUTH_TOKEN_EXPIRED', 'Access for this client was revoked: sign in again from your MCP client.', challenge('invalid_token', 'The grant was revoked'));
    return {
      userId: claims.userId,
      caller: { rateKey: grant.id, maySync: grant.maySync && claims.scopes.has(MCP_OAUTH_SCOPES.sync) },
      membershipIds: grant.membershipIds,
    };
  };

  /** The domain the request is for: the one in the URL, else the grant's first or the user's latest. */
  const context = async (auth: McpAuthorization, membershipId: string | undefined): Promise<TenantContext | undefined> => {
    if (membershipId) {
      // Outside the grant answers exactly like a domain the user does not have.
      if (auth.membershipIds && !auth.membershipIds.includes(membershipId)) throw notFound('This domain');
      return deps.tools.context(auth.userId, membershipId, 'mcp');
    }
    if (!auth.membershipIds) return deps.tools.defaultContext(auth.userId, 'mcp');
    for (const id of auth.membershipIds) {
      try {
        return await deps.tools.context(auth.userId, id, 'mcp');
      } catch (error) {
        // A granted domain the user has left since: try the next one.
        if (!(error instanceof AppError && error.status === 404)) throw error;
      }
    }
    return undefined;
  };

  return async (c: Context<AppEnv>) => {
    const token = bearerToken(c.req.header('authorization'));
    if (!token) {
      const how = deps.oauth ? 'Sign in from your MCP client (OAuth), or send' : 'Send';
      return rpcError(c, 401, 'AUTH_TOKEN_MISSING', `${how} a Scout personal access token: Authorization: Bearer scout_pat_… (create one on Settings → MCP access).`, challenge());
    }
    const auth = await authorize(c, token);
    if (auth instanceof Response) return auth;

    let ctx: TenantContext | undefined;
    try {
      ctx = await context(auth, c.req.param('membershipId'));
    } catch (error) {
      if (error instanceof AppError && error.status === 404) return rpcError(c, 404, 'NOT_FOUND', 'You have no domain with this id. Copy the URL from Settings → MCP access.');
      throw error;
    }
    if (!ctx) return rpcError(c, 404, 'NOT_FOUND', 'You have not connected a CommCare domain yet: connect a domain in Scout (Settings → Connections), then try again.');

    // Stateless: there is no session to stream to (GET) or end (DELETE).
    if (c.req.method !== 'POST') {
      c.header('Allow', 'POST');
      return rpcError(c, 405, 'VALIDATION_ERROR', 'This MCP server is stateless: send JSON-RPC messages with POST.');
    }

    // Parsed here so the nesting limit applies (the SDK would parse anything); tool arguments' text is checked, and audited, by the tool call.
    let parsedBody: unknown;
    try {
      parsedBody = parseJsonInput(await c.req.text(), { text: 'lenient' });
    } catch (error) {
      if (error instanceof AppError) return c.json({ jsonrpc: '2.0', error: { code: -32700, message: `Parse error: ${error.message}` }, id: null }, 400);
      throw error;
    }
    const server = createMcpServer({ tools: deps.tools, listed, rateLimit: deps.rateLimit, logger: deps.logger }, ctx, auth.caller);
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw, { parsedBody });
    } finally {
      await server.close();
    }
  };
}

/** MCP clients read JSON-RPC errors; `data.code` carries Scout's code for the model or the user. */
function rpcError(c: Context<AppEnv>, status: ContentfulStatusCode, code: ToolErrorCode, message: string, headers: Record<string, string> = {}) {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  return c.json({ jsonrpc: '2.0', error: { code: -32001, message, data: { code } }, id: null }, status);
}
