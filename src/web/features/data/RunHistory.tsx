import type { MaterializationRun } from '@shared/warehouse';
import { Card } from '@/components/ui/card';
import { formatDate } from '@/features/connections/format';
import { formatDuration, formatRows, modeLabel } from './format';
import { isFinished, rowsLoaded } from './progress';
import { RunStateBadge } from './RunStateBadge';

/** How many past syncs the page lists. */
export const HISTORY_LENGTH = 10;

/** The domain's latest syncs, newest first: how each went, how long it took, what it loaded, and why it failed. */
/**
 * `activeRunId`: the run the page follows live. It reads "running now" here
 * until the page has taken in its outcome (tables, last sync), whatever the
 * stored record says by then, so this list never runs ahead of the rest.
 */
export function RunHistory({ runs, activeRunId = null }: { runs: MaterializationRun[]; activeRunId?: string | null }) {
  return (
    <Card className="gap-0 py-0">
      <ol className="divide-y" aria-label="Latest syncs, newest first">
        {runs.slice(0, HISTORY_LENGTH).map((run) => (
          <li key={run.id} className="grid gap-1 px-4 py-3 sm:px-5">
            <RunSummary run={run.id === activeRunId && isFinished(run.state) ? { ...run, state: 'loading', completed_at: null } : run} />
          </li>
        ))}
      </ol>
    </Card>
  );
}

function RunSummary({ run }: { run: MaterializationRun }) {
  const details = isFinished(run.state)
    ? [
        run.completed_at ? `took ${formatDuration(Date.parse(run.completed_at) - Date.parse(run.started_at))}` : null,
        `${formatRows(rowsLoaded(run.sources))} loaded`,
      ]
    : ['running now'];
  if (run.requested_by) details.push(`by ${run.requested_by}`);

  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1">
        <div className="flex flex-wrap items-center gap-2">
          <RunStateBadge state={run.state} />
          <span className="text-sm font-medium">{modeLabel(run.mode)}</span>
        </div>
        <time dateTime={run.started_at} className="text-sm text-muted-foreground">
          <span className="sr-only">Started </span>
          {formatDate(run.started_at, true)}
        </time>
      </div>
      <p className="text-sm text-muted-foreground tabular-nums">{capitalize(details.filter(Boolean).join(' · '))}</p>
      {run.state === 'failed' && run.error && <p className="text-sm break-words text-destructive">{run.error}</p>}
    </>
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
