import { useCallback, useEffect, useRef, useState } from 'react';
import { asApiError } from '@/api/client';
import { exportsApi, type ExportFormat, type ExportStatus } from '@/api/exports';
import { newRequestId, toolsApi } from '@/api/tools';
import { saveUrl } from '@/lib/save-url';

export type ExportState =
  | { kind: 'idle' }
  | { kind: 'running'; format: ExportFormat; rows: number }
  | { kind: 'done'; format: ExportFormat; rows: number; fileName: string; /** Why it stopped short (a cap), when it did. */ note: string | null }
  | { kind: 'failed'; format: ExportFormat; message: string }
  | { kind: 'cancelled'; format: ExportFormat };

/** Times the outcome is asked for while the server still records it as running, and the wait between. */
const OUTCOME_TRIES = 5;
const OUTCOME_WAIT_MS = 300;

/**
 * One export at a time of a query's whole result: streams it with live row counts,
 * can be cancelled, saves the file under the server's name, and then says how it
 * ended (completed, cut at a cap, failed).
 */
export function useExport(membershipId: string) {
  const [state, setState] = useState<ExportState>({ kind: 'idle' });
  const current = useRef<{ controller: AbortController; requestId: string } | null>(null);

  // Leaving the page stops the export (the server sees the request go).
  useEffect(() => () => current.current?.controller.abort(), []);

  const start = useCallback(
    async (sql: string, format: ExportFormat) => {
      if (current.current) return;
      const controller = new AbortController();
      const requestId = newRequestId();
      current.current = { controller, requestId };
      setState({ kind: 'running', format, rows: 0 });
      // What the progress last said: the count to show if the server's record can't be read.
      let written = 0;
      try {
        const file = await exportsApi.download(membershipId, {
          sql,
          format,
          requestId,
          signal: controller.signal,
          onProgress: (rows) => {
            written = Math.max(written, rows);
            setState((s) => (s.kind === 'running' ? { ...s, rows: written } : s));
          },
        });
        const status = await outcome(membershipId, requestId);
        if (status?.state === 'failed' || status?.state === 'cancelled') {
          setState(status.state === 'cancelled' ? { kind: 'cancelled', format } : { kind: 'failed', format, message: status.message ?? 'The export failed.' });
          return;
        }
        saveUrl(URL.createObjectURL(file.blob), file.fileName);
        setState({ kind: 'done', format, rows: status?.rows ?? written, fileName: file.fileName, note: status?.state === 'truncated' ? status.message : null });
      } catch (error) {
        if (controller.signal.aborted) setState({ kind: 'cancelled', format });
        else setState({ kind: 'failed', format, message: asApiError(error).message });
      } finally {
        if (current.current?.controller === controller) current.current = null;
      }
    },
    [membershipId],
  );

  const cancel = useCallback(() => {
    const running = current.current;
    if (!running) return;
    running.controller.abort();
    // Aborting already stops it on the server; asking too stops it even when the request is stuck in a proxy.
    void toolsApi.cancelQuery(membershipId, running.requestId).catch(() => undefined);
  }, [membershipId]);

  return { state, start, cancel };
}

/** The export's recorded outcome; the response ends once it is written, a retry or two covers a slow write. */
async function outcome(membershipId: string, requestId: string): Promise<ExportStatus | null> {
  for (let attempt = 0; attempt < OUTCOME_TRIES; attempt++) {
    try {
      const status = await exportsApi.status(membershipId, requestId);
      if (status.state !== 'running') return status;
    } catch {
      return null;
    }
    await new Promise((resolve) => setTimeout(resolve, OUTCOME_WAIT_MS));
  }
  return null;
}
