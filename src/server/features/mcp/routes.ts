import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { createMcpTokenSchema } from '../../../shared/mcp';
import type { ToolErrorCode } from '../../../shared/tools';
import { parseBody, parseJsonInput } from '../../platform/http/body';
import type { AppEnv } from '../../platform/http/env';
import { AppError } from '../../platform/http/errors';
import type { TenantContext } from '../tools/context';
import type { ToolService } from '../tools/service';
import { presentCreatedToken, presentToken } from './presenter';
import type { RateLimit } from '../../platform/rate-limit';
import { createMcpServer, describeTools } from './server';
import type { Logger } from '../../platform/logger';
import type { McpTokenService } from './service';
import { bearerToken } from './token';

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

/**
 * The MCP endpoint (Streamable HTTP, stateless: a new server and transport per
 * request). Mounted at /mcp and /mcp/<membership id>; authenticated by a
 * personal access token, never a cookie, so it sits outside /api's origin guard.
 */
export function mcpEndpoint(deps: { tokens: McpTokenService; tools: ToolService; rateLimit: RateLimit; logger: Logger }) {
  const listed = describeTools(deps.tools);

  return async (c: Context<AppEnv>) => {
    const token = bearerToken(c.req.header('authorization'));
    if (!token) {
      return rpcError(c, 401, 'AUTH_TOKEN_MISSING', 'Send a Scout personal access token: Authorization: Bearer scout_pat_… (create one on Settings → MCP access).', {
        'WWW-Authenticate': 'Bearer realm="scout"',
      });
    }
    const caller = await deps.tokens.authenticate(token);
    if (!caller) {
      return rpcError(c, 401, 'AUTH_TOKEN_EXPIRED', 'This token is unknown, revoked or expired. Create a new one on Settings → MCP access.', {
        'WWW-Authenticate': 'Bearer realm="scout", error="invalid_token"',
      });
    }

    let ctx: TenantContext | undefined;
    const membershipId = c.req.param('membershipId');
    try {
      ctx = membershipId ? await deps.tools.context(caller.userId, membershipId, 'mcp') : await deps.tools.defaultContext(caller.userId, 'mcp');
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
    const server = createMcpServer({ tools: deps.tools, listed, rateLimit: deps.rateLimit, logger: deps.logger }, ctx, caller.tokenId);
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
