import type { MaterializationRun } from '@shared/warehouse';
import { useId, useState } from 'react';
import { toast } from 'sonner';
import { asApiError, isApiError } from '@/api/client';
import { warehouseApi } from '@/api/warehouse';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Progress } from '@/components/ui/progress';
import { useNow } from '@/lib/use-now';
import { formatCount, modeLabel } from './format';
import { describePhase, describeStep, describeTimeLeft, estimateTimeLeft, sourceLabel, sourcesToShow } from './progress';
import { useRunProgress } from './use-run-progress';

interface SyncProgressCardProps {
  membershipId: string;
  domainName: string;
  /** The run to follow; mount one card per run (key it on the id). */
  run: MaterializationRun;
  /** The run ended: `run` as it ended (state, error and counts updated). */
  onFinished: (run: MaterializationRun) => void | Promise<void>;
}

/** A sync as it happens: a progress bar, what it is doing, rows per source, the time left, and Cancel. */
export function SyncProgressCard({ membershipId, domainName, run, onFinished }: SyncProgressCardProps) {
  const titleId = useId();
  const [cancelling, setCancelling] = useState(false);
  const { progress, samples, percent } = useRunProgress(membershipId, run, (final) =>
    void onFinished({ ...run, state: final.state, error: final.error, sources: final.sources }),
  );
  // The estimate is counted up to now, so it moves between pages too.
  const now = useNow(1_000);

  const step = cancelling ? 'Cancelling…' : describeStep(progress);
  const timeLeft = cancelling ? null : estimateTimeLeft(progress, samples, now);
  const sources = sourcesToShow(progress.sources);

  async function cancel() {
    setCancelling(true);
    try {
      await warehouseApi.cancelRun(membershipId, run.id);
      // The card stays until the run's last event says it stopped.
    } catch (error) {
      // 409: it finished meanwhile, and its last event is on the way.
      if (isApiError(error) && error.status === 409) return;
      setCancelling(false);
      toast.error("Couldn't cancel the sync", { description: asApiError(error).message });
    }
  }

  return (
    <Card role="group" aria-labelledby={titleId} className="gap-4 py-5">
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2 px-5">
        <div className="grid min-w-0 gap-1">
          <div className="flex flex-wrap items-center gap-2">
            <h2 id={titleId} className="min-w-0 font-semibold break-words">
              Syncing {domainName}
            </h2>
            <Badge variant="outline">{modeLabel(run.mode)}</Badge>
          </div>
          <p className="text-sm text-muted-foreground tabular-nums">{step}</p>
          {/* The numbers change several times a second; announce only the step. */}
          <p role="status" className="sr-only">
            {cancelling ? 'Cancelling' : describePhase(progress)}
          </p>
        </div>
        <Button variant="outline" size="sm" loading={cancelling} onClick={() => void cancel()}>
          Cancel<span className="sr-only"> sync</span>
        </Button>
      </div>

      <div className="grid gap-1.5 px-5">
        <Progress aria-label="Sync progress" value={percent} getValueLabel={(value) => `${value}%, ${step}`} />
        <div className="flex flex-wrap justify-between gap-x-4 text-xs text-muted-foreground tabular-nums">
          <span>{percent}%</span>
          {timeLeft && <span>{describeTimeLeft(timeLeft)}</span>}
        </div>
      </div>

      <dl className="grid gap-x-6 gap-y-2 border-t px-5 pt-4 text-sm sm:grid-cols-3">
        {sources.map(([name, source]) => (
          <div key={name} className="flex items-baseline justify-between gap-2 sm:grid sm:justify-start sm:gap-0.5">
            <dt className="text-muted-foreground">{sourceLabel(name)}</dt>
            {source ? (
              <dd className="font-medium tabular-nums">
                {formatCount(source.rows_loaded)}
                {source.rows_total !== null && <span className="font-normal text-muted-foreground"> of {formatCount(source.rows_total)}</span>}
              </dd>
            ) : (
              <dd className="text-muted-foreground">Waiting…</dd>
            )}
          </div>
        ))}
      </dl>
    </Card>
  );
}
