import type { DashboardTile, TileResult } from '@shared/questions';
import { CircleAlert, GripVertical, Pencil, RefreshCw, Trash2 } from 'lucide-react';
import type { ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { Markdown } from '@/features/chat/Markdown';
import { cellText } from '@/features/data/csv';
import { ResultRows } from '@/features/data/QueryResultView';
import { RunChart } from '@/features/questions/RunResult';
import { cn } from '@/lib/cn';
import { bigNumber } from './dashboard-model';
import { DRAG_HANDLE } from './DashboardGrid';

/** What a tile has to show: its result arriving, arrived, or nothing yet (a tile added since the last save). */
export type TileData = { status: 'loading'; previous?: TileResult | undefined } | { status: 'ready'; result: TileResult } | { status: 'none' };

/** Header (40 px and its border) plus the body's padding, in px: what the body's height leaves out of the tile's. */
const CHROME = 66;

interface TileViewProps {
  tile: DashboardTile;
  /** The tile's title: its own, else its question's. */
  title: string;
  data: TileData;
  heightPx: number;
  editing?: boolean;
  onRefresh?: (() => void) | undefined;
  onEdit?: () => void;
  onRemove?: () => void;
}

/** One tile: a chart, a table, a big number or a note, with its own loading, error and empty states. */
export function TileView({ tile, title, data, heightPx, editing = false, onRefresh, onEdit, onRemove }: TileViewProps) {
  const loading = data.status === 'loading';
  return (
    <article
      aria-label={title}
      aria-busy={loading || undefined}
      data-tile-kind={tile.kind}
      className={cn('flex h-full min-w-0 flex-col overflow-hidden rounded-xl border bg-card text-card-foreground shadow-sm', editing && 'ring-1 ring-dashed ring-foreground/20')}
    >
      <header className={cn('flex h-10 shrink-0 items-center gap-1 border-b px-3', editing && `${DRAG_HANDLE} cursor-move`)}>
        {editing && <GripVertical aria-hidden className="size-4 shrink-0 text-muted-foreground" />}
        <h2 className="min-w-0 flex-1 truncate text-sm font-medium" title={title}>
          {title}
        </h2>
        {onRefresh && !editing && (
          <Button variant="ghost" size="icon" className="size-7" aria-label={`Refresh ${title}`} onClick={onRefresh} disabled={loading}>
            <RefreshCw aria-hidden className={cn(loading && 'animate-spin')} />
          </Button>
        )}
        {editing && onEdit && (
          <Button variant="ghost" size="icon" className="size-7" aria-label={`Edit ${title}`} onClick={onEdit}>
            <Pencil aria-hidden />
          </Button>
        )}
        {editing && onRemove && (
          <Button variant="ghost" size="icon" className="size-7" aria-label={`Remove ${title}`} onClick={onRemove}>
            <Trash2 aria-hidden />
          </Button>
        )}
      </header>
      <div className="min-h-0 flex-1 overflow-auto p-3">
        <TileBody tile={tile} data={data} bodyHeight={heightPx - CHROME} />
      </div>
    </article>
  );
}

function TileBody({ tile, data, bodyHeight }: { tile: DashboardTile; data: TileData; bodyHeight: number }) {
  if (tile.kind === 'text') {
    return tile.text?.trim() ? (
      <div className="text-sm">
        <Markdown text={tile.text} />
      </div>
    ) : (
      <Note>An empty note.</Note>
    );
  }
  // A refresh keeps the previous result on screen, dimmed, rather than blanking the tile.
  const result = data.status === 'ready' ? data.result : data.status === 'loading' ? data.previous : undefined;
  if (data.status === 'none') return <Note>Save the dashboard to see this tile's data.</Note>;
  if (!result) return <Skeleton role="status" aria-label="Loading" className="h-full min-h-16 w-full" />;
  const dimmed = data.status === 'loading' ? 'opacity-60 transition-opacity' : undefined;
  if (result.status === 'error' || !result.run) {
    return (
      <p role="alert" className="flex h-full items-start gap-2 text-sm text-muted-foreground">
        <CircleAlert aria-hidden className="mt-0.5 size-4 shrink-0 text-destructive" />
        <span className="break-words">{result.error?.message ?? 'This tile could not be loaded.'}</span>
      </p>
    );
  }
  const run = result.run;
  if (run.rows.length === 0) return <Note>No rows for these filters.</Note>;
  if (tile.kind === 'number') {
    const value = bigNumber(run.rows);
    const label = run.columns[0]?.name;
    return (
      <div className={cn('flex h-full flex-col items-center justify-center gap-1 text-center', dimmed)}>
        <p className="text-4xl font-semibold tracking-tight tabular-nums break-all sm:text-5xl" data-big-number>
          {value === null || value === undefined ? '—' : formatBig(value)}
        </p>
        {label && <p className="text-xs text-muted-foreground">{label}</p>}
      </div>
    );
  }
  if (tile.display === 'table' || !run.spec) {
    return (
      <div className={dimmed}>
        <ResultRows result={run} maxHeight="max-h-none" />
      </div>
    );
  }
  return (
    <div className={dimmed}>
      <RunChart run={run} height={bodyHeight} />
    </div>
  );
}

const NUMBER = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

function formatBig(value: unknown): string {
  if (typeof value === 'number') return NUMBER.format(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return NUMBER.format(Number(value));
  return cellText(value);
}

function Note({ children }: { children: ReactNode }) {
  return <p className="flex h-full items-center justify-center text-center text-sm text-muted-foreground">{children}</p>;
}
