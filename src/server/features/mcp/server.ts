import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ToolEnvelope } from '../../../shared/tools';
import type { TenantContext } from '../tools/context';
import type { ToolService } from '../tools/service';
import type { RateLimit } from '../../platform/rate-limit';
import type { Logger } from '../../platform/logger';
import { toCallToolResult } from './tool-result';

const INSTRUCTIONS =
  "Scout gives read-only SQL access to one CommCare domain's data (cases and forms). Start with list_tables or get_metadata, describe_table before querying a table, then query. To show an answer as a chart, call visualize with SQL that returns it aggregated: it returns the chart as an image plus its Vega-Lite spec and rows. If a tool answers SCHEMA_NOT_READY, call run_materialization and poll get_materialization_status.";

/** The tools as MCP lists them: JSON Schemas derived once from the same zod inputs runTool validates with. */
export function describeTools(tools: ToolService): Tool[] {
  return tools.tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    inputSchema: z.toJSONSchema(tool.input, { target: 'draft-2020-12' }) as Tool['inputSchema'],
  }));
}

/**
 * One MCP server for one request (the transport is stateless). The low-level
 * `Server` rather than `McpServer`: McpServer validates arguments itself and
 * answers a bad call before our handler runs, whereas every call must go
 * through `ToolService.call` so that it is validated, answered with the
 * envelope and audited in one place.
 */
export function createMcpServer(deps: { tools: ToolService; listed: Tool[]; rateLimit: RateLimit; logger: Logger }, ctx: TenantContext, tokenId: string): Server {
  const server = new Server({ name: 'scout', version: '1.0.0' }, { capabilities: { tools: {} }, instructions: INSTRUCTIONS });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: deps.listed }));
  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const waitSeconds = await deps.rateLimit.take(tokenId);
    const envelope: ToolEnvelope = waitSeconds
      ? {
          success: false,
          error: { code: 'RATE_LIMITED', message: `Too many tool calls with this token (${deps.rateLimit.limit} a minute). Wait ${waitSeconds} s and try again.` },
        }
      : await deps.tools.call(ctx, request.params.name, request.params.arguments ?? {});
    return toCallToolResult(request.params.name, request.params.arguments ?? {}, envelope, deps.logger);
  });
  return server;
}
