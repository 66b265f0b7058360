import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ToolEnvelope } from '../../../shared/tools';
import type { TenantContext } from '../tools/context';
import type { ToolService } from '../tools/service';
import type { RateLimit } from '../../platform/rate-limit';
import type { Logger } from '../../platform/logger';
import { toCallToolResult } from './tool-result';
import { listResources, readResource, resourceTemplates } from './resources';
import { getPrompt, listPrompts } from './prompts';
import { guarded, RpcError } from './rpc-error';

const INSTRUCTIONS =
  "Scout gives read-only SQL access to one CommCare domain's data (cases and forms). Start with list_tables or get_metadata, describe_table before querying a table, then query. To show an answer as a chart, call visualize with SQL that returns it aggregated: it returns the chart as an image plus its Vega-Lite spec and rows. If a tool answers SCHEMA_NOT_READY, call run_materialization and poll get_materialization_status. Resources (scout://<domain>/tables/<table>, scout://<domain>/questions/<id>) hold each table's data dictionary and the domain's saved questions as Markdown; prompts are starter questions written for this domain's data.";

/** The tools as MCP lists them: JSON Schemas derived once from the same zod inputs runTool validates with. */
export function describeTools(tools: ToolService): Tool[] {
  return tools.tools.map((tool) => ({
    name: tool.name,
    title: tool.annotations.title,
    description: tool.description,
    annotations: tool.annotations,
    inputSchema: z.toJSONSchema(tool.input, { target: 'draft-2020-12' }) as Tool['inputSchema'],
  }));
}

/** Who is calling, as the MCP server needs it. */
export interface McpCaller {
  /** What the per-caller tool-call limit counts by: the personal token, or the OAuth grant. */
  rateKey: string;
  /** Whether it may start syncs: personal tokens may; an OAuth client only with the `mcp:sync` grant. */
  maySync: boolean;
}

/** Tools that start work in CommCare HQ rather than read what Scout holds. */
export const SYNC_TOOLS: ReadonlySet<string> = new Set(['run_materialization']);

/**
 * One MCP server for one request (the transport is stateless). The low-level
 * `Server` rather than `McpServer`: McpServer validates arguments itself and
 * answers a bad call before our handler runs, whereas every call must go
 * through `ToolService.call` so that it is validated, answered with the
 * envelope and audited in one place.
 */
export function createMcpServer(deps: { tools: ToolService; listed: Tool[]; rateLimit: RateLimit; logger: Logger }, ctx: TenantContext, caller: McpCaller): Server {
  const server = new Server({ name: 'scout', version: '1.0.0' }, { capabilities: { tools: {}, resources: {}, prompts: {} }, instructions: INSTRUCTIONS });
  const listed = caller.maySync ? deps.listed : deps.listed.filter((tool) => !SYNC_TOOLS.has(tool.name));
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listed }));
  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const waitSeconds = await deps.rateLimit.take(caller.rateKey);
    const envelope: ToolEnvelope = waitSeconds
      ? {
          success: false,
          error: { code: 'RATE_LIMITED', message: `Too many tool calls with this token (${deps.rateLimit.limit} a minute). Wait ${waitSeconds} s and try again.` },
        }
      : !caller.maySync && SYNC_TOOLS.has(request.params.name)
        ? {
            success: false,
            error: { code: 'FORBIDDEN', message: 'This client may read data but not start syncs. Connect it again and allow "Start syncs" to let it.' },
          }
        : await deps.tools.call(ctx, request.params.name, request.params.arguments ?? {});
    return toCallToolResult(request.params.name, request.params.arguments ?? {}, envelope, deps.logger);
  });

  // Resources and prompts read through the tools, so they count against the same limit as tool calls.
  const limited = <T>(method: string, handler: () => Promise<T>) =>
    guarded(deps.logger, method, async () => {
      const waitSeconds = await deps.rateLimit.take(caller.rateKey);
      if (waitSeconds) throw new RpcError(ErrorCode.InternalError, `Too many requests with this token (${deps.rateLimit.limit} a minute). Wait ${waitSeconds} s and try again.`, 'RATE_LIMITED');
      return handler();
    });
  server.setRequestHandler(ListResourcesRequestSchema, () => limited('resources/list', () => listResources(ctx, deps.tools)));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: resourceTemplates(ctx) }));
  server.setRequestHandler(ReadResourceRequestSchema, (request) => limited('resources/read', () => readResource(ctx, deps.tools, request.params.uri)));
  server.setRequestHandler(ListPromptsRequestSchema, () => limited('prompts/list', async () => ({ prompts: await listPrompts(ctx, deps.tools) })));
  server.setRequestHandler(GetPromptRequestSchema, (request) => limited('prompts/get', () => getPrompt(ctx, deps.tools, request.params.name)));
  return server;
}
