import type { ChartSpec } from '@shared/charts/spec';
import { trimEnd } from '@shared/text';
import { CircleAlert } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import * as vega from 'vega';
import embed, { type VisualizationSpec } from 'vega-embed';
import { Skeleton } from '@/components/ui/skeleton';
import { cn } from '@/lib/cn';
import { useElementWidth } from '@/lib/use-element-width';
import { specHeight } from './chart-choices';
import { chartTheme, type ColorScheme } from './chart-theme';

/**
 * Every spec Scout draws carries its rows, so a chart never needs to load
 * anything: a spec that asks for a URL (data, an image) gets a refusal, not
 * a request.
 */
const refusingLoader = vega.loader();
refusingLoader.load = () => Promise.reject(new Error('Charts load no external data'));
refusingLoader.sanitize = () => Promise.reject(new Error('Charts load no external data'));

export interface ChartCanvasProps {
  spec: ChartSpec;
  scheme: ColorScheme;
  /** Called with the drawn view (for downloads), and with null when it goes. A state setter keeps it stable. */
  onView: (view: vega.View | null) => void;
  className?: string;
}

/** What the canvas shows for the spec it was given: the drawing under way, the chart, or why it couldn't be drawn. */
type Drawing = { spec: ChartSpec; scheme: ColorScheme } & ({ status: 'drawn' } | { status: 'failed'; message: string });

/**
 * A Vega-Lite spec drawn with vega-embed, in the page's colours. Loaded
 * lazily (see LazyChart): vega is most of a megabyte the rest of the app
 * doesn't need.
 */
export default function ChartCanvas({ spec, scheme, onView, className }: ChartCanvasProps) {
  const frame = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLDivElement>(null);
  const view = useRef<vega.View | null>(null);
  const [drawing, setDrawing] = useState<Drawing | null>(null);
  const width = useElementWidth(frame);
  const latestWidth = useRef(width);

  // Vega-Lite's own `width: "container"` re-measures on every window resize (a phone's toolbar hiding, a
  // full-page screenshot) and fits legends in a second pass, so the picture jumps meanwhile. The frame's
  // measured width, in pixels, fits in one pass; a real change of width resizes the view in place.
  useEffect(() => {
    latestWidth.current = width;
    if (width !== null && view.current) void view.current.width(width).runAsync();
  }, [width]);

  const measured = width !== null;
  useEffect(() => {
    const element = canvas.current;
    const pixels = latestWidth.current;
    if (!element || pixels === null) return;
    let cancelled = false;
    let finalize: (() => void) | undefined;
    // embedOptions in a spec's usermeta would override the options below (the loader among them): a spec doesn't get a say.
    const { usermeta: _usermeta, ...drawn } = spec;
    const sized = drawn.width === 'container' ? { ...drawn, width: pixels } : drawn;
    embed(element, sized as VisualizationSpec, {
      actions: false,
      renderer: 'svg',
      loader: refusingLoader,
      config: chartTheme(scheme),
      tooltip: { theme: scheme },
      // The page styles the container; vega-embed's own sheet would size it inline-block.
      defaultStyle: false,
      logLevel: vega.Error,
    })
      .then((result) => {
        if (cancelled) {
          result.finalize();
          return;
        }
        finalize = result.finalize;
        view.current = result.view;
        onView(result.view);
        setDrawing({ spec, scheme, status: 'drawn' });
      })
      .catch((error: unknown) => {
        if (!cancelled) setDrawing({ spec, scheme, status: 'failed', message: error instanceof Error ? error.message : String(error) });
      });
    return () => {
      cancelled = true;
      view.current = null;
      onView(null);
      finalize?.();
    };
  }, [spec, scheme, onView, measured]);

  const current = drawing?.spec === spec && drawing.scheme === scheme ? drawing : null;
  // A redraw (another kind, the other colour scheme) keeps the old picture until the new one replaces it; only the first draw has nothing to show.
  const first = drawing === null;
  const description = typeof spec.description === 'string' ? spec.description : 'Chart';
  return (
    <div ref={frame} className={cn('relative min-w-0', className)} style={first ? { minHeight: specHeight(spec) } : undefined}>
      {/* Vega gives the element it draws in its own ARIA roles: the text alternative sits on a wrapper it leaves alone. */}
      <div role="img" aria-label={description} className={cn('min-w-0', current?.status === 'failed' && 'hidden')} data-chart-state={current?.status ?? 'drawing'}>
        <div ref={canvas} className="block w-full min-w-0" />
      </div>
      {first && <Skeleton className="absolute inset-0" />}
      {current?.status === 'failed' && (
        <p role="alert" className="flex items-start gap-2 rounded-md border border-dashed px-4 py-6 text-sm text-muted-foreground">
          <CircleAlert aria-hidden className="mt-0.5 size-4 shrink-0 text-destructive" />
          <span>The chart couldn't be drawn: {trimEnd(current.message, '.')}. The rows are in the table.</span>
        </p>
      )}
    </div>
  );
}
