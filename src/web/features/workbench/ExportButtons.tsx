import { CircleAlert, CircleCheck, Download, FileSpreadsheet, TriangleAlert, X } from 'lucide-react';
import type { ExportFormat } from '@/api/exports';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/spinner';
import { formatCount } from '@/features/data/format';
import { cn } from '@/lib/cn';
import { useExport } from './use-export';

const FORMAT_NAMES: Record<ExportFormat, string> = { csv: 'CSV', xlsx: 'Excel' };

interface ExportButtonsProps {
  membershipId: string;
  sql: string;
  /** Only the CSV button (a table's export in the schema browser). */
  csvOnly?: boolean;
  /** The words before the buttons. */
  label?: string;
  className?: string;
}

/** "Export all: CSV · Excel": the query's every row as a file from the server, with progress, cancel and how it ended. */
export function ExportButtons({ membershipId, sql, csvOnly = false, label = 'Export all', className }: ExportButtonsProps) {
  const { state, start, cancel } = useExport(membershipId);
  const formats: ExportFormat[] = csvOnly ? ['csv'] : ['csv', 'xlsx'];

  if (state.kind === 'running') {
    return (
      <div className={cn('flex flex-wrap items-center gap-x-3 gap-y-1 text-sm', className)}>
        <p role="status" className="flex items-center gap-2 text-muted-foreground">
          <Spinner className="size-4" />
          <span>
            Exporting {FORMAT_NAMES[state.format]}… <span className="font-medium text-foreground tabular-nums">{formatCount(state.rows)}</span> {state.rows === 1 ? 'row' : 'rows'}
          </span>
        </p>
        <Button variant="outline" size="sm" onClick={cancel}>
          <X aria-hidden />
          Cancel export
        </Button>
      </div>
    );
  }

  return (
    <div className={cn('grid justify-items-end gap-1', className)}>
      <div role="group" aria-label={`${label} rows`} className="flex flex-wrap items-center justify-end gap-2">
        <span className="text-sm text-muted-foreground">{label}</span>
        {formats.map((format) => (
          <Button key={format} variant="outline" size="sm" aria-label={`Download ${FORMAT_NAMES[format]}`} onClick={() => void start(sql, format)}>
            {format === 'csv' ? <Download aria-hidden /> : <FileSpreadsheet aria-hidden />}
            {FORMAT_NAMES[format]}
          </Button>
        ))}
      </div>
      <ExportOutcome state={state} />
    </div>
  );
}

function ExportOutcome({ state }: { state: ReturnType<typeof useExport>['state'] }) {
  switch (state.kind) {
    case 'idle':
    case 'running':
      return null;
    case 'done':
      return (
        <p role="status" className="grid gap-0.5 text-right text-xs text-muted-foreground">
          <span className="inline-flex items-center justify-end gap-1.5">
            <CircleCheck aria-hidden className="size-3.5 text-emerald-600 dark:text-emerald-400" />
            Exported {formatCount(state.rows)} {state.rows === 1 ? 'row' : 'rows'} to <span className="font-mono break-all">{state.fileName}</span>
          </span>
          {state.note && (
            <span className="inline-flex items-start justify-end gap-1.5 text-amber-700 dark:text-amber-400">
              <TriangleAlert aria-hidden className="mt-px size-3.5 shrink-0" />
              {state.note}
            </span>
          )}
        </p>
      );
    case 'failed':
      return (
        <p role="alert" className="inline-flex max-w-md items-start gap-1.5 text-right text-xs text-destructive">
          <CircleAlert aria-hidden className="mt-px size-3.5 shrink-0" />
          <span>Export failed: {state.message}</span>
        </p>
      );
    case 'cancelled':
      return (
        <p role="status" className="text-xs text-muted-foreground">
          Export cancelled
        </p>
      );
  }
}
