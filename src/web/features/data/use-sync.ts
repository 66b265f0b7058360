import type { MaterializationRun, RunMode } from '@shared/warehouse';
import { useState } from 'react';
import { toast } from 'sonner';
import { asApiError } from '@/api/client';
import { warehouseApi } from '@/api/warehouse';

interface UseSyncOptions {
  membershipId: string;
  /** The domain's label, for the messages. */
  domainName: string;
  /** The run the server says is going on, from the summary (null when none, or not loaded yet). */
  running: MaterializationRun | null;
  /** The newest run in the history, to tell whether the last attempt failed. */
  latestRun: MaterializationRun | null;
  /** Refreshes what a run changes: the tables, the last sync time, the history. */
  onChanged: () => void;
}

export interface Sync {
  /** The run to follow now, whether this page started it or found it going. */
  activeRun: MaterializationRun | null;
  /** Waiting for the server to accept a new run. */
  starting: boolean;
  /** The last run, when it failed and nothing has been started since. */
  failure: MaterializationRun | null;
  start: (mode?: RunMode) => Promise<void>;
  /** For the progress card: the active run ended in this state. */
  finish: (run: MaterializationRun) => void;
}

/** Starting a domain's sync, and what to show about it: the run in progress, or how the last one failed. */
export function useSync({ membershipId, domainName, running, latestRun, onChanged }: UseSyncOptions): Sync {
  const [startedRun, setStartedRun] = useState<MaterializationRun | null>(null);
  // Runs seen to finish: the summary may still list one as running until it is refreshed.
  const [finishedIds, setFinishedIds] = useState<ReadonlySet<string>>(() => new Set());
  const [starting, setStarting] = useState(false);
  const [failedRun, setFailedRun] = useState<MaterializationRun | null>(null);

  const candidate = startedRun ?? running;
  const activeRun = candidate && !finishedIds.has(candidate.id) ? candidate : null;
  const failure = activeRun || starting ? null : (failedRun ?? (latestRun?.state === 'failed' ? latestRun : null));

  async function start(mode?: RunMode) {
    if (starting || activeRun) return;
    setStarting(true);
    try {
      const { status, run } = await warehouseApi.startRun(membershipId, mode);
      setFailedRun(null);
      setStartedRun(run);
      if (status === 'already_in_progress') toast.info('A sync is already running', { description: 'Showing its progress.' });
      onChanged();
    } catch (error) {
      toast.error("Couldn't start the sync", { description: asApiError(error).message });
    } finally {
      setStarting(false);
    }
  }

  function finish(run: MaterializationRun) {
    setFinishedIds((ids) => new Set(ids).add(run.id));
    setStartedRun(null);
    if (run.state === 'completed') toast.success('Sync complete', { description: `${domainName} is up to date.` });
    else if (run.state === 'cancelled') toast('Sync cancelled');
    setFailedRun(run.state === 'failed' ? run : null);
    onChanged();
  }

  return { activeRun, starting, failure, start, finish };
}
