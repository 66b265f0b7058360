/** API contracts of the warehouse (materialization) feature. */

export const RUN_STATES = ['started', 'loading', 'transforming', 'completed', 'failed', 'cancelled'] as const;
export type RunState = (typeof RUN_STATES)[number];
export type RunMode = 'full' | 'incremental';
export type SchemaState = 'provisioning' | 'active' | 'materializing' | 'expired' | 'teardown';

/** Progress of one source (cases, forms, applications) within a run. */
export interface SourceProgress {
  rows_loaded: number;
  /** As HQ reports it; null until known. */
  rows_total: number | null;
}

/** A materialization run as the API presents it. */
export interface MaterializationRun {
  id: string;
  state: RunState;
  mode: RunMode;
  /** cases, forms, applications. */
  sources: Record<string, SourceProgress>;
  /** Plain-words failure, when state is failed. */
  error: string | null;
  started_at: string;
  completed_at: string | null;
  /** Set on completed runs: rows per table and the views built. */
  result: MaterializationResult | null;
  /** Who asked for it (the member's name). */
  requested_by: string | null;
}

export interface MaterializationResult {
  tables: Array<{ name: string; rows: number }>;
  views: string[];
  duration_ms: number;
}

/** `POST /api/tenants/<membership id>/materializations` → 202. */
export interface StartRunResponse {
  status: 'started' | 'already_in_progress';
  run: MaterializationRun;
}

/** `GET /api/tenants/<membership id>/warehouse`: what the Data page shows. */
export interface WarehouseSummary {
  schema_state: SchemaState | 'none';
  last_sync_at: string | null;
  running: MaterializationRun | null;
  tables: WarehouseTable[];
}

export interface WarehouseTable {
  name: string;
  kind: 'table' | 'view';
  description: string;
  row_count: number;
  columns: Array<{ name: string; type: string; description: string }>;
}

/** One server-sent `progress` event on `…/materializations/<id>/events`. */
export interface RunProgressEvent {
  id: string;
  state: RunState;
  source: string | null;
  rows_loaded: number;
  rows_total: number | null;
  sources: Record<string, SourceProgress>;
  error: string | null;
}
