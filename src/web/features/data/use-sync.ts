import type { MaterializationRun, RunMode, WarehouseSummary } from '@shared/warehouse';
import { useCallback, useState } from 'react';
import { toast } from 'sonner';
import { asApiError } from '@/api/client';
import { warehouseApi } from '@/api/warehouse';
import { useResource, type Resource } from '@/lib/use-resource';

/** A domain's warehouse as one snapshot: the summary (tables, last sync, the run going on) and the history, read together. */
export interface DomainWarehouse {
  summary: Resource<WarehouseSummary>;
  runs: Resource<MaterializationRun[]>;
  /** Reads both again; they change together on screen. */
  reload: () => Promise<void>;
}

/**
 * The summary and the history are fetched together and replaced together,
 * so the header, the tables and the history always describe the same
 * moment: a run can't read "Completed" beside a domain "Never synced".
 */
export function useDomainWarehouse(membershipId: string): DomainWarehouse {
  const load = useCallback(
    async (signal: AbortSignal) => {
      const [summary, runs] = await Promise.all([warehouseApi.summary(membershipId, { signal }), warehouseApi.listRuns(membershipId, { signal })]);
      return { summary, runs };
    },
    [membershipId],
  );
  const both = useResource(load);
  const { reload } = both;
  const part = <T,>(pick: (data: { summary: WarehouseSummary; runs: MaterializationRun[] }) => T): Resource<T> =>
    both.status === 'ready' ? { status: 'ready', data: pick(both.data), error: null, reload } : { ...both, reload };
  return { summary: part((data) => data.summary), runs: part((data) => data.runs), reload };
}

interface UseSyncOptions {
  membershipId: string;
  /** The domain's label, for the messages. */
  domainName: string;
  /** The run the server says is going on, from the summary (null when none, or not loaded yet). */
  running: MaterializationRun | null;
  /** The newest run in the history, to tell whether the last attempt failed. */
  latestRun: MaterializationRun | null;
  /** Refreshes what a run changes: the tables, the last sync time, the history. */
  onChanged: () => Promise<void>;
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
  finish: (run: MaterializationRun) => Promise<void>;
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
      void onChanged();
    } catch (error) {
      toast.error("Couldn't start the sync", { description: asApiError(error).message });
    } finally {
      setStarting(false);
    }
  }

  /**
   * The run ended: the page reads the tables, last sync and history again
   * first, and only then stops showing the run as going on, so no moment
   * shows the run finished beside a domain that has not taken it in.
   */
  async function finish(run: MaterializationRun) {
    await onChanged();
    setFinishedIds((ids) => new Set(ids).add(run.id));
    setStartedRun(null);
    if (run.state === 'completed') toast.success('Sync complete', { description: `${domainName} is up to date.` });
    else if (run.state === 'cancelled') toast('Sync cancelled');
    setFailedRun(run.state === 'failed' ? run : null);
  }

  return { activeRun, starting, failure, start, finish };
}
