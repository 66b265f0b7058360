import { EXPORT_ROW_CAP_HEADER, type ExportFormat, type ExportStatus } from '@shared/exports';
import { CsvRecordCounter, fileNameFromDisposition } from '@/features/workbench/export-file';
import { ApiError, NETWORK_ERROR, api } from './client';

export type { ExportFormat, ExportStatus };

const tenantPath = (membershipId: string) => `/api/tenants/${encodeURIComponent(membershipId)}`;

const MIME_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv;charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** How often an Excel export's row count is asked for (its bytes are zipped, so they can't be counted). */
const POLL_MS = 1_000;

export interface DownloadedExport {
  blob: Blob;
  fileName: string;
  /** The row cap the server applied (its header), when it sent one. */
  rowCap: number | null;
}

export interface ExportDownload {
  sql: string;
  format: ExportFormat;
  /** A UUID: the export's status and its cancel are found by it. */
  requestId: string;
  signal: AbortSignal;
  /** Rows written so far, as they are known. */
  onProgress: (rows: number) => void;
}

/** Exports of a query's whole result, streamed by the server as a file. */
export const exportsApi = {
  /**
   * Streams the export into memory, reporting rows as they arrive, and resolves to
   * the file. Throws `ApiError` for a refused export (the server's message, field
   * errors under `sql`) and the abort error when `signal` aborts.
   */
  async download(membershipId: string, { sql, format, requestId, signal, onProgress }: ExportDownload): Promise<DownloadedExport> {
    let response: Response;
    try {
      response = await fetch(`${tenantPath(membershipId)}/exports`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: `${MIME_TYPES[format]}, application/json` },
        body: JSON.stringify({ sql, format, request_id: requestId }),
        credentials: 'same-origin',
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new ApiError({ status: 0, code: NETWORK_ERROR, message: "Can't reach Scout. Check your connection and try again." });
    }
    if (!response.ok || !response.body) throw await refusal(response);

    const fallbackName = `export.${format}`;
    const fileName = fileNameFromDisposition(response.headers.get('Content-Disposition'), fallbackName);
    const cap = Number(response.headers.get(EXPORT_ROW_CAP_HEADER));
    const chunks: Uint8Array<ArrayBuffer>[] = [];
    const reader = response.body.getReader();
    const counter = format === 'csv' ? new CsvRecordCounter() : null;
    const decoder = new TextDecoder();
    const poll = counter ? null : pollRows(membershipId, requestId, onProgress);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value as Uint8Array<ArrayBuffer>);
        if (counter) {
          counter.push(decoder.decode(value, { stream: true }));
          onProgress(counter.rows);
        }
      }
    } catch (error) {
      if (signal.aborted) throw error;
      throw new ApiError({ status: 0, code: NETWORK_ERROR, message: 'The download was interrupted. Try again.' });
    } finally {
      poll?.stop();
    }
    return { blob: new Blob(chunks, { type: MIME_TYPES[format] }), fileName, rowCap: Number.isFinite(cap) && cap > 0 ? cap : null };
  },

  /** How an export is going, or how it ended: by its id or the request id it was started with. */
  status: (membershipId: string, id: string, options?: { signal?: AbortSignal }) =>
    api.get<ExportStatus>(`${tenantPath(membershipId)}/exports/${encodeURIComponent(id)}`, options),
};

/** Asks the server for the export's row count every second until stopped. */
function pollRows(membershipId: string, requestId: string, onProgress: (rows: number) => void) {
  let stopped = false;
  const timer = setInterval(() => {
    exportsApi.status(membershipId, requestId).then(
      (status) => {
        if (!stopped) onProgress(status.rows);
      },
      () => undefined,
    );
  }, POLL_MS);
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}

/** The `ApiError` of an export refused before its first byte (the body is Scout's JSON error). */
async function refusal(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = body as { error?: unknown; code?: unknown; fields?: unknown } | undefined;
  if (typeof error?.error === 'string' && typeof error.code === 'string') {
    const fields = typeof error.fields === 'object' && error.fields !== null ? (error.fields as Record<string, string[]>) : {};
    return new ApiError({ status: response.status, code: error.code, message: error.error, fields });
  }
  return new ApiError({ status: response.status, code: 'UNEXPECTED_RESPONSE', message: 'Something went wrong. Please try again.' });
}
