import type { ChartSpec } from '@shared/charts/spec';
import type { ChartConfig, ChartData, ChartKind } from '@shared/charts/types';
import { CircleAlert, SlidersHorizontal } from 'lucide-react';
import { useMemo, useState } from 'react';
import type { View } from 'vega';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useMediaQuery } from '@/lib/use-media-query';
import { drawChart, kindAvailability, ownTitle, withKind, type DrawnChart } from './chart-choices';
import { ChartDownloads } from './ChartDownloads';
import { ChartFields } from './ChartFields';
import { ChartKindPicker } from './ChartKindPicker';
import { LazyChart } from './LazyChart';

/** A chart someone else already drew: the visualize tool's spec, and the choice it came from (null for a spec the model wrote). */
export interface GivenChart {
  chart: ChartConfig | null;
  spec: ChartSpec;
}

interface ChartPanelProps {
  data: ChartData;
  /** Drawn until the user changes something; without it, Scout's suggestion for the rows. */
  given?: GivenChart | undefined;
  suggestion: ChartConfig;
  /** The user's own choice, null until they make one. Held by the caller, so it survives switching to the table and back. */
  choice: ChartConfig | null;
  onChoiceChange: (choice: ChartConfig) => void;
}

const FIELD_NAMES: Partial<Record<keyof ChartConfig, string>> = { x: 'X axis', y: 'Y axis', series: 'Series', kind: 'Chart kind' };

/** A result as a chart: the kind, the fine-tuning, the picture and its downloads. */
export function ChartPanel({ data, given, suggestion, choice, onChoiceChange }: ChartPanelProps) {
  const [adjusting, setAdjusting] = useState(false);
  const [view, setView] = useState<View | null>(null);
  const dark = useMediaQuery('(prefers-color-scheme: dark)');
  const scheme = dark ? 'dark' : 'light';

  const drawn = useMemo<DrawnChart | { ok: true; config: null; spec: ChartSpec }>(() => {
    if (choice === null && given) return { ok: true, config: given.chart, spec: given.spec };
    return drawChart(choice ?? suggestion, data);
  }, [choice, given, suggestion, data]);
  // What the next change starts from: the chart as drawn (Scout's filled-in columns included), or the choice that failed.
  const current = drawn.ok ? drawn.config : choice;
  const availability = useMemo(() => kindAvailability(current, data), [current, data]);

  if (data.rows.length === 0) return <p className="rounded-md border border-dashed px-4 py-6 text-center text-sm text-muted-foreground">No rows to chart</p>;

  // A choice that can't be drawn keeps its controls open: they are where it gets fixed.
  const showFields = adjusting || !drawn.ok;
  const pickKind = (kind: ChartKind) => onChoiceChange(withKind(current, kind, data));
  const change = (patch: Partial<ChartConfig>) => {
    if (!current) return;
    const title = ownTitle(current);
    onChoiceChange({ ...current, title, ...patch });
  };

  return (
    <div className="grid min-w-0 gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <ChartKindPicker kind={current?.kind ?? null} availability={availability} onPick={pickKind} />
        {current && (
          <Button variant="ghost" size="sm" aria-expanded={showFields} onClick={() => setAdjusting((open) => !open)}>
            <SlidersHorizontal aria-hidden />
            Adjust
          </Button>
        )}
      </div>
      {current && showFields && <ChartFields drawn={current} ownTitle={ownTitle(current)} data={data} invalid={drawn.ok ? undefined : drawn.field} onChange={change} />}
      {drawn.ok ? (
        <>
          <LazyChart spec={drawn.spec} scheme={scheme} onView={setView} />
          <ChartDownloads view={view} title={drawn.config?.title ?? titleOf(drawn.spec)} scheme={scheme} />
        </>
      ) : (
        <Alert variant="destructive">
          <CircleAlert aria-hidden />
          <AlertTitle>Can't draw this chart</AlertTitle>
          <AlertDescription>
            <p>
              {FIELD_NAMES[drawn.field] ?? 'The chart'}: {drawn.message}
            </p>
          </AlertDescription>
        </Alert>
      )}
    </div>
  );
}

/** A spec's title text, for a file name, whatever shape the title takes. */
function titleOf(spec: ChartSpec): string | undefined {
  const title = spec.title;
  if (typeof title === 'string') return title;
  if (title && typeof title === 'object' && 'text' in title && typeof title.text === 'string') return title.text;
  return undefined;
}
