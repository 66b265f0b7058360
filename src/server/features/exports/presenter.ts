import type { ExportStatus } from '../../../shared/exports';
import type { ExportRunTable } from '../../platform/db/schema';
import type { Selectable } from 'kysely';

export function presentExport(row: Selectable<ExportRunTable>): ExportStatus {
  return {
    id: row.id,
    request_id: row.request_id,
    format: row.format,
    state: row.state,
    rows: Number(row.rows),
    bytes: Number(row.bytes),
    message: row.message,
    started_at: row.started_at.toISOString(),
    finished_at: row.finished_at?.toISOString() ?? null,
  };
}
