import type { ChartSpec } from '@shared/charts/spec';
import type { QuestionRun } from '@shared/questions';
import type { ToolSuccess } from '@shared/tools';
import { useMemo, useState } from 'react';
import type { View } from 'vega';
import type { QueryResult } from '@/api/tools';
import { LazyChart } from '@/features/charts/LazyChart';
import { QueryResultTabs } from '@/features/data/QueryResultTabs';
import { QueryResultView, ResultRows } from '@/features/data/QueryResultView';
import { useMediaQuery } from '@/lib/use-media-query';

/** A question's run in the query tool's envelope, which the result views read. */
export function runEnvelope(run: QuestionRun, domain: string, timingMs: number): ToolSuccess<QueryResult> {
  return { success: true, data: run, tenant_id: domain, schema: '', timing_ms: timingMs };
}

/** A question's result on its page: its chart (the saved one) and table, one click apart. */
export function QuestionRunView({ run, domain, timingMs, membershipId }: { run: QuestionRun; domain: string; timingMs: number; membershipId: string }) {
  const envelope = useMemo(() => runEnvelope(run, domain, timingMs), [run, domain, timingMs]);
  const source = { membershipId, sql: run.sql_executed };
  if (!run.spec) return <QueryResultView envelope={envelope} domain={domain} source={source} />;
  return <QueryResultTabs envelope={envelope} domain={domain} given={{ chart: run.chart, spec: run.spec }} source={source} />;
}

/** Just the chart of a run, drawn `height` px tall (a dashboard tile's body); its table when it has no chart. */
export function RunChart({ run, height }: { run: QuestionRun; height: number }) {
  const dark = useMediaQuery('(prefers-color-scheme: dark)');
  const [, setView] = useState<View | null>(null);
  // The tile's header names it, so the chart's own title goes; Scout's specs fit their axes and legend inside the height (autosize fit).
  const spec = useMemo<ChartSpec | null>(() => {
    if (!run.spec) return null;
    const { title: _title, ...rest } = run.spec;
    return { ...rest, height: Math.max(height, 80) };
  }, [run.spec, height]);
  if (run.rows.length === 0) return <p className="flex h-full items-center justify-center text-sm text-muted-foreground">No rows</p>;
  if (!spec) return <ResultRows result={run} maxHeight="max-h-full" />;
  return <LazyChart spec={spec} scheme={dark ? 'dark' : 'light'} onView={setView} />;
}
