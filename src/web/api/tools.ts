import type { QueryResult, ToolEnvelope } from '@shared/tools';

export type { QueryResult };
import { api, type RequestOptions } from './client';

/** The tool answers a refused or failed call with its envelope, under these statuses. */
const ENVELOPE_STATUSES = new Set([200, 400, 403, 429, 500]);

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
function callTool<T>(membershipId: string, tool: string, args: unknown, options: RequestOptions = {}): Promise<ToolEnvelope<T>> {
  return api.post<ToolEnvelope<T>>(toolPath(membershipId, tool), args, {
    ...options,
    acceptBody: (status, payload) => ENVELOPE_STATUSES.has(status) && isEnvelope(payload),
  });
}

export const toolsApi = {
  /** One read-only SELECT on the domain's tables; at most the row cap comes back. */
  query: (membershipId: string, sql: string, options?: RequestOptions) => callTool<QueryResult>(membershipId, 'query', { sql }, options),
};
