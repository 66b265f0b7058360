import type { QueryResult, ToolEnvelope, ToolSuccess } from '@shared/tools';
import type { WarehouseTable } from '@shared/warehouse';

export type { QueryResult };
import { api, type RequestOptions } from './client';

/** The tool answers a refused or failed call with its envelope, under these statuses (409: the query was cancelled). */
const ENVELOPE_STATUSES = new Set([200, 400, 403, 409, 429, 500]);

const tenantPath = (membershipId: string) => `/api/tenants/${encodeURIComponent(membershipId)}`;
const toolPath = (membershipId: string, tool: string) => `${tenantPath(membershipId)}/tools/${encodeURIComponent(tool)}`;

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

/** A column as `describe_table` gives it: the dictionary's entry, whether it may be null, and a few of its values. */
export interface DescribedColumn {
  name: string;
  type: string;
  description: string | null;
  nullable: boolean;
  sample_values: unknown[];
}

export type DescribedTable = Omit<WarehouseTable, 'columns'> & { columns: DescribedColumn[] };

/** How long a query may run before the server stops it (`maxQueryTimeoutSeconds` in src/server/features/tools/context.ts). */
export const QUERY_TIME_LIMIT_SECONDS = 30;

/** A UUID for a query's `request_id`; `crypto.randomUUID` exists only in secure contexts (HTTPS, localhost). */
export function newRequestId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const toolsApi = {
  /**
   * One read-only SELECT on the domain's tables; at most the row cap comes back.
   * With a `requestId` (a UUID) the query can be stopped with `cancelQuery`.
   */
  query: (membershipId: string, sql: string, options?: RequestOptions & { requestId?: string }) =>
    callTool<QueryResult>(membershipId, 'query', options?.requestId ? { sql, request_id: options.requestId } : { sql }, options),

  /** A table's columns with types, descriptions and sample values. */
  describeTable: (membershipId: string, tableName: string, options?: RequestOptions) =>
    callTool<DescribedTable>(membershipId, 'describe_table', { table_name: tableName }, options),

  /**
   * Stops this user's query or export started with `requestId`. Resolves false when
   * none runs under it (not started yet, or already finished).
   */
  async cancelQuery(membershipId: string, requestId: string): Promise<boolean> {
    let notRunning = false;
    await api.post<{ cancelled: true }>(`${tenantPath(membershipId)}/queries/${encodeURIComponent(requestId)}/cancel`, {}, {
      acceptBody: (status) => {
        notRunning = status === 404;
        return notRunning;
      },
    });
    return !notRunning;
  },
};

export type QueryEnvelope = ToolEnvelope<QueryResult>;
export type QuerySuccess = ToolSuccess<QueryResult>;
