import { CircleAlert } from 'lucide-react';
import { Component, lazy, Suspense, type ReactNode } from 'react';
import { Skeleton } from '@/components/ui/skeleton';
import type { ChartCanvasProps } from './ChartCanvas';
import { specHeight } from './chart-choices';

// vega, vega-lite and vega-embed come with the first chart, not with the app.
const ChartCanvas = lazy(() => import('./ChartCanvas'));

/** A chart, fetched with its renderer the first time one is shown; a grey placeholder of its size until then. */
export function LazyChart(props: ChartCanvasProps) {
  return (
    <ChunkErrorBoundary>
      <Suspense fallback={<ChartPlaceholder height={specHeight(props.spec)} />}>
        <ChartCanvas {...props} />
      </Suspense>
    </ChunkErrorBoundary>
  );
}

function ChartPlaceholder({ height }: { height: number }) {
  return (
    <div role="status" className="relative" style={{ height }}>
      <Skeleton className="absolute inset-0" />
      <span className="sr-only">Loading the chart…</span>
    </div>
  );
}

/** The chart's code failing to download (offline, a deploy replaced it) costs the chart, not the page. */
class ChunkErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <p role="alert" className="flex items-start gap-2 rounded-md border border-dashed px-4 py-6 text-sm text-muted-foreground">
        <CircleAlert aria-hidden className="mt-0.5 size-4 shrink-0 text-destructive" />
        <span>The chart couldn't be loaded. Reload the page to try again; the rows are in the table.</span>
      </p>
    );
  }
}
