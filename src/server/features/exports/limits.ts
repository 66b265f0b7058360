/** What one export may write. Defaults are documented in the README (Exports). */
export interface ExportLimits {
  maxRows: number;
  maxBytes: number;
  timeoutMs: number;
}

export const DEFAULT_EXPORT_LIMITS: ExportLimits = { maxRows: 1_000_000, maxBytes: 1024 * 1024 * 1024, timeoutMs: 10 * 60_000 };

/** Excel's own limit is 1,048,576 rows, one of them the header. */
export const XLSX_MAX_ROWS = 1_048_575;

/** Exports each member and each domain may run at once: apart from the query tool's slots, so a long export leaves queries free. */
export const EXPORTS_PER_USER = 1;
export const EXPORTS_PER_DOMAIN = 2;
