/** The envelope every data tool answers with, in chat, over MCP and over REST. */
export const TOOL_ERROR_CODES = [
  'VALIDATION_ERROR',
  'NOT_FOUND',
  'QUERY_TIMEOUT',
  'QUERY_REJECTED',
  'QUERY_CANCELLED',
  'SCHEMA_NOT_READY',
  'AUTH_TOKEN_MISSING',
  'AUTH_TOKEN_EXPIRED',
  'RATE_LIMITED',
  'FORBIDDEN',
  'INTERNAL_ERROR',
] as const;
export type ToolErrorCode = (typeof TOOL_ERROR_CODES)[number];

export interface ToolSuccess<T = unknown> {
  success: true;
  data: T;
  /** The domain name: the seeds' wire name, kept like those of /api/auth/tenants/ (see shared/tenants.ts). */
  tenant_id: string;
  schema: string;
  timing_ms: number;
  warnings?: string[];
}

export interface ToolFailure {
  success: false;
  error: { code: ToolErrorCode; message: string; detail?: string };
}

export type ToolEnvelope<T = unknown> = ToolSuccess<T> | ToolFailure;

export const TOOL_NAMES = [
  'list_tables',
  'describe_table',
  'get_metadata',
  'query',
  'visualize',
  'run_materialization',
  'get_materialization_status',
  'list_questions',
  'run_question',
  'save_question',
  'draft_publication',
  'search_knowledge',
] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

/** One audit-log entry: `GET /api/tenants/<membership id>/tool-calls` (owners and admins). */
export interface ToolCallEntry {
  id: string;
  called_at: string;
  user: string | null;
  channel: 'chat' | 'mcp' | 'api' | 'schedule';
  tool: string;
  arguments: unknown;
  status: 'success' | 'error';
  error_code: string | null;
  rows: number | null;
  timing_ms: number;
}

import type { ChartConfig } from './charts/types';
import type { ChartSpec } from './charts/spec';

/** What the `query` tool answers with on success. */
export interface QueryResult {
  columns: Array<{ name: string; type: string }>;
  rows: unknown[][];
  row_count: number;
  truncated: boolean;
  sql_executed: string;
}

/**
 * What the `visualize` tool answers with: the query's result and the chart
 * drawn from it. `spec` is a Vega-Lite spec carrying the rows (`data.values`);
 * `chart` is the choice it was built from (null when the caller sent a spec).
 */
export interface VisualizeResult extends QueryResult {
  chart: ChartConfig | null;
  spec: ChartSpec;
}
