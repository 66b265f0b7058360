import { suggestChart } from '@shared/charts/suggest';
import type { ChartConfig, ChartData } from '@shared/charts/types';
import type { ToolSuccess } from '@shared/tools';
import { ChartColumn, Table } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import type { QueryResult } from '@/api/tools';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { opensOnChart } from '@/features/charts/chart-choices';
import { ChartPanel, type GivenChart } from '@/features/charts/ChartPanel';
import { ResultRows, ResultSummary, type ResultSource } from './QueryResultView';

export type ResultTab = 'chart' | 'table';

interface QueryResultTabsProps {
  envelope: ToolSuccess<QueryResult>;
  /** The CommCare domain, which names the CSV file. */
  domain: string;
  /** A chart already drawn for these rows (the visualize tool's); it opens on the chart. */
  given?: GivenChart | undefined;
  /** The tab to open on; without one, the chart when the rows make a picture, else the table. */
  initialTab?: ResultTab | undefined;
  onTabChange?: (tab: ResultTab) => void;
  /** Tailwind max-height class of the scrolling table. */
  maxHeight?: string;
  /** With it, "Export all" gets every row from the server. */
  source?: ResultSource | undefined;
  /** Told the chart on show whenever it changes (the user's choice, else the given chart, else Scout's suggestion): what saving a question keeps. */
  onChartChange?: ((chart: ChartConfig | null) => void) | undefined;
}

/**
 * A result as a chart or a table, one click apart. The chart is Scout's
 * suggestion for the rows (computed here, from the rows the page already
 * has) until the user picks another.
 */
export function QueryResultTabs({ envelope, domain, given, initialTab, onTabChange, maxHeight, source, onChartChange }: QueryResultTabsProps) {
  const result = envelope.data;
  const data = useMemo<ChartData>(() => ({ columns: result.columns, rows: result.rows, truncated: result.truncated }), [result]);
  const suggestion = useMemo(() => suggestChart(data), [data]);
  const [tab, setTab] = useState<ResultTab>(() => initialTab ?? (given || opensOnChart(suggestion) ? 'chart' : 'table'));
  const [choice, setChoice] = useState<ChartConfig | null>(null);
  const chart = choice ?? (given ? given.chart : suggestion);
  useEffect(() => onChartChange?.(chart), [chart, onChartChange]);

  return (
    <Tabs
      value={tab}
      onValueChange={(value) => {
        const next = value as ResultTab;
        setTab(next);
        onTabChange?.(next);
      }}
      className="min-w-0 gap-3"
    >
      <ResultSummary
        envelope={envelope}
        domain={domain}
        source={source}
        start={
          <TabsList aria-label="Show the result as">
            <TabsTrigger value="chart">
              <ChartColumn aria-hidden />
              Chart
            </TabsTrigger>
            <TabsTrigger value="table">
              <Table aria-hidden />
              Table
            </TabsTrigger>
          </TabsList>
        }
      />
      <TabsContent value="chart" className="min-w-0">
        <ChartPanel data={data} given={given} suggestion={suggestion} choice={choice} onChoiceChange={setChoice} />
      </TabsContent>
      <TabsContent value="table" className="min-w-0">
        <ResultRows result={result} maxHeight={maxHeight} />
      </TabsContent>
    </Tabs>
  );
}
