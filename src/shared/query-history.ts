/** `GET /api/tenants/<membership id>/queries`: SQL this member ran in the domain, newest first, starred ones first. */
export interface HistoryEntry {
  sql: string;
  /** When it last ran (null for a starred query not run since the log was kept). */
  last_run_at: string | null;
  runs: number;
  /** How the last run ended: success, or the error code. */
  last_outcome: string | null;
  last_rows: number | null;
  /** The star's id when starred. */
  star_id: string | null;
}

export const HISTORY_SEARCH_MAX = 200;
