import type { MaterializationRun } from '@shared/warehouse';
import { CircleAlert, RotateCw } from 'lucide-react';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { formatDate } from '@/features/connections/format';
import { LinkedMessage } from '@/components/linked-message';

interface SyncFailedAlertProps {
  run: MaterializationRun;
  /** Whether tables from an earlier sync are still there to use. */
  hasData: boolean;
  retrying: boolean;
  onRetry: () => void;
}

/** The last sync failed: why, in the server's plain words, and a way to run it again. */
export function SyncFailedAlert({ run, hasData, retrying, onRetry }: SyncFailedAlertProps) {
  return (
    <Alert variant="destructive">
      <CircleAlert aria-hidden />
      <AlertTitle>The last sync failed</AlertTitle>
      <AlertDescription>
        <p className="break-words">
          <LinkedMessage text={run.error ?? 'It stopped before it finished.'} />
        </p>
        <p className="text-muted-foreground">
          Started {formatDate(run.started_at, true)}.
          {hasData && ' The tables below are from the last sync that completed.'}
        </p>
        <Button variant="outline" size="sm" className="mt-2" loading={retrying} onClick={onRetry}>
          {!retrying && <RotateCw aria-hidden />}
          Try again
        </Button>
      </AlertDescription>
    </Alert>
  );
}
