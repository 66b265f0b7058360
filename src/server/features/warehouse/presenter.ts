import type { MaterializationResult, MaterializationRun, RunProgressEvent } from '../../../shared/warehouse';
import type { RunRow } from './runs';

export function presentRun(row: RunRow): MaterializationRun {
  return {
    id: row.id,
    state: row.state,
    mode: row.mode,
    sources: row.sources,
    error: row.error,
    started_at: row.started_at.toISOString(),
    completed_at: row.completed_at?.toISOString() ?? null,
    result: (row.result as MaterializationResult | null) ?? null,
    requested_by: row.requested_by_name,
  };
}

export function presentProgress(row: RunRow): RunProgressEvent {
  // The first source still loading (cases, then forms, then applications).
  const active = Object.entries(row.sources).find(([, p]) => p.rows_total === null || p.rows_loaded < p.rows_total);
  const [source, progress] = active ?? Object.entries(row.sources).at(-1) ?? [null, undefined];
  return {
    id: row.id,
    state: row.state,
    source,
    rows_loaded: progress?.rows_loaded ?? 0,
    rows_total: progress?.rows_total ?? null,
    sources: row.sources,
    error: row.error,
  };
}
