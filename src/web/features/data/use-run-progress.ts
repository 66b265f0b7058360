import type { MaterializationRun, RunProgressEvent } from '@shared/warehouse';
import { useEffect, useEffectEvent, useState } from 'react';
import { isApiError } from '@/api/client';
import { warehouseApi } from '@/api/warehouse';
import { addSample, dataRowsLoaded, isFinished, percentDone, progressFromRun, type RateSample } from './progress';

/** How often to ask for the run when the event stream is not available. */
const POLL_INTERVAL_MS = 2_000;

export interface LiveRun {
  progress: RunProgressEvent;
  /** Rows of cases and forms loaded over the last few seconds, for the time left. */
  samples: RateSample[];
  /** 0–100; never goes back, even when a source's total turns out larger than the others' progress suggested. */
  percent: number;
}

/**
 * Follows a run as it happens: the server's event stream, or polling the run
 * every 2 s if the stream fails. Calls `onFinished` once, with the last
 * progress, when the run completes, fails or is cancelled. Stops following
 * when the component unmounts (leaving the page, switching domain).
 */
export function useRunProgress(
  membershipId: string,
  run: MaterializationRun,
  onFinished: (final: RunProgressEvent) => void,
): LiveRun {
  const [live, setLive] = useState<LiveRun>(() => {
    const progress = progressFromRun(run);
    return { progress, samples: [], percent: percentDone(progress) };
  });
  const finished = useEffectEvent(onFinished);
  const runId = run.id;

  useEffect(() => {
    let done = false;
    let pollTimer: ReturnType<typeof setTimeout> | undefined;
    const polling = new AbortController();
    const events = new EventSource(warehouseApi.runEventsUrl(membershipId, runId));

    function stop() {
      done = true;
      events.close();
      clearTimeout(pollTimer);
      polling.abort();
    }

    function receive(progress: RunProgressEvent) {
      if (done) return;
      const sample = { at: Date.now(), rows: dataRowsLoaded(progress.sources) };
      setLive((previous) => ({
        progress,
        samples: addSample(previous.samples, sample),
        percent: Math.max(previous.percent, percentDone(progress)),
      }));
      if (isFinished(progress.state)) {
        // Close before the server does: an EventSource whose stream ends reconnects on its own.
        stop();
        finished(progress);
      }
    }

    async function poll() {
      try {
        receive(progressFromRun(await warehouseApi.getRun(membershipId, runId, { signal: polling.signal })));
      } catch (error) {
        if (done) return;
        if (isApiError(error) && error.status === 404) {
          // Gone with its domain (removed in another tab): nothing left to follow.
          receive({ id: runId, state: 'failed', source: null, rows_loaded: 0, rows_total: null, sources: {}, error: 'This sync is no longer available.' });
          return;
        }
        // Anything else (offline for a moment, a restart) is worth another try.
      }
      if (!done) pollTimer = setTimeout(() => void poll(), POLL_INTERVAL_MS);
    }

    events.addEventListener('progress', (message: MessageEvent<string>) => {
      const progress = parseProgress(message.data);
      if (progress) receive(progress);
    });
    events.addEventListener('error', () => {
      if (done) return;
      events.close();
      void poll();
    });

    return stop;
  }, [membershipId, runId]);

  return live;
}

function parseProgress(data: string): RunProgressEvent | null {
  try {
    const value = JSON.parse(data) as RunProgressEvent;
    return typeof value === 'object' && value !== null && typeof value.state === 'string' ? value : null;
  } catch {
    return null;
  }
}
