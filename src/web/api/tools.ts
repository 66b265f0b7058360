import type { ToolEnvelope } from '@shared/tools';
import { errorFromBody, networkError, NOT_JSON, readBody, type RequestOptions } from './client';

/** What the `query` tool answers with on success. */
export interface QueryResult {
  columns: Array<{ name: string; type: string }>;
  rows: unknown[][];
  row_count: number;
  truncated: boolean;
  sql_executed: string;
}

/** The tool answers a refused or failed call with its envelope, under these statuses. */
const ENVELOPE_STATUSES = new Set([200, 400, 500]);

const toolPath = (membershipId: string, tool: string) =>
  `/api/tenants/${encodeURIComponent(membershipId)}/tools/${encodeURIComponent(tool)}`;

function isEnvelope(value: unknown): value is ToolEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const body = value as { success?: unknown; data?: unknown; error?: unknown };
  if (body.success === true) return 'data' in body;
  if (body.success !== false || typeof body.error !== 'object' || body.error === null) return false;
  const error = body.error as { code?: unknown; message?: unknown };
  return typeof error.code === 'string' && typeof error.message === 'string';
}

/**
 * Calls a data tool over REST, through the same checks and audit log as the chat agent.
 * A refused or failed call (bad SQL, a timeout) resolves to its envelope, whose message
 * is written to be shown; only a request that never reached the tool (signed out,
 * not a member, no connection) throws `ApiError`.
 */
async function callTool<T>(membershipId: string, tool: string, args: unknown, options: RequestOptions = {}): Promise<ToolEnvelope<T>> {
  let response: Response;
  try {
    response = await fetch(toolPath(membershipId, tool), {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify(args),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw networkError(0);
  }

  const payload = await readBody(response);
  if (payload === NOT_JSON) throw networkError(response.status);
  if (ENVELOPE_STATUSES.has(response.status) && isEnvelope(payload)) return payload as ToolEnvelope<T>;
  throw errorFromBody(response.status, payload);
}

export const toolsApi = {
  /** One read-only SELECT on the domain's tables; at most the row cap comes back. */
  query: (membershipId: string, sql: string, options?: RequestOptions) => callTool<QueryResult>(membershipId, 'query', { sql }, options),
};
