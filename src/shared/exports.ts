/** Exports of a query's whole result: `POST /api/tenants/<membership id>/exports`. */
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** `GET /api/tenants/<membership id>/exports/<id or request id>`: how an export is going or how it ended. */
export interface ExportStatus {
  id: string;
  request_id: string | null;
  format: ExportFormat;
  state: 'running' | 'completed' | 'truncated' | 'failed' | 'cancelled';
  /** Rows written so far (every few seconds while it runs), or in all. */
  rows: number;
  bytes: number;
  /** Why it stopped short, in words; null when it completed. */
  message: string | null;
  started_at: string;
  finished_at: string | null;
}

/** Headers of an export's response. */
export const EXPORT_ID_HEADER = 'X-Scout-Export-Id';
export const EXPORT_ROW_CAP_HEADER = 'X-Scout-Row-Cap';
