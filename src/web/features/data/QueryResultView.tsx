import type { ToolSuccess } from '@shared/tools';
import { ArrowDown, ArrowUp, ArrowUpDown, Download, TriangleAlert } from 'lucide-react';
import { useMemo, useState, type ReactNode } from 'react';
import type { QueryResult } from '@/api/tools';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/cn';
import { cellText, csvFileName, downloadCsv, toCsv } from './csv';
import { formatCount } from './format';
import { otherWarnings, rowCountLabel, truncationHint } from './result-notes';
import { ExportButtons } from '@/features/workbench/ExportButtons';
import { sortRows, type SortDirection } from './sort-rows';

/** Where a result's whole set of rows can be exported from: the domain's membership and the query that made it. */
export interface ResultSource {
  membershipId: string;
  sql: string;
}

/** A `query` result: counts and timing, warnings, a sortable scrolling table and its export (the SQL console and chat share it). */
export function QueryResultView({ envelope, domain, source, maxHeight = 'max-h-[28rem]' }: { envelope: ToolSuccess<QueryResult>; domain: string; /** With it, "Export all" gets every row from the server. */ source?: ResultSource | undefined; /** Tailwind max-height class of the scrolling table. */ maxHeight?: string }) {
  return (
    <>
      <ResultSummary envelope={envelope} domain={domain} source={source} />
      <ResultRows result={envelope.data} maxHeight={maxHeight} />
    </>
  );
}

/**
 * How many rows, how long, whether the result was cut (said once, with what to do), any other warnings,
 * and the export; `start` goes first on the line (the Chart/Table switch).
 */
export function ResultSummary({ envelope, domain, source, start }: { envelope: ToolSuccess<QueryResult>; domain: string; source?: ResultSource | undefined; start?: ReactNode }) {
  const { data, timing_ms: timing, warnings = [] } = envelope;
  const names = data.columns.map((column) => column.name);
  const others = otherWarnings(warnings, data);
  return (
    <>
      {/* The status keeps room for a line of its own: past that, the export moves to the next line rather than squeezing it. */}
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
        {start}
        <p className="min-w-0 flex-1 basis-60 text-sm text-muted-foreground" role="status">
          <span className={cn('font-medium tabular-nums', data.truncated ? 'text-amber-700 dark:text-amber-400' : 'text-foreground')}>{rowCountLabel(data.row_count, data.truncated)}</span>
          <span aria-hidden> · </span>
          <span className="sr-only">, </span>
          <span className="tabular-nums">{formatCount(timing)} ms</span>
          {data.truncated && (
            <>
              <span aria-hidden> — </span>
              <span className="sr-only">: </span>
              <span className="text-amber-700 dark:text-amber-400">{truncationHint(source !== undefined)}</span>
            </>
          )}
        </p>
        {source ? (
          data.columns.length > 0 && <ExportButtons membershipId={source.membershipId} sql={source.sql} className="ml-auto" />
        ) : (
          data.rows.length > 0 && (
            <Button variant="outline" size="sm" onClick={() => downloadCsv(csvFileName(domain), toCsv(names, data.rows))}>
              <Download aria-hidden />
              Download CSV
            </Button>
          )
        )}
      </div>
      {others.length > 0 && (
        <ul className="grid gap-1 text-sm text-amber-700 dark:text-amber-400" aria-label="Warnings">
          {others.map((warning) => (
            <li key={warning} className="flex items-start gap-2">
              <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
              <span>{warning}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The rows as a sortable table, or a note that there are none. */
export function ResultRows({ result, maxHeight = 'max-h-[28rem]' }: { result: QueryResult; maxHeight?: string }) {
  if (result.rows.length === 0) return <p className="rounded-md border border-dashed px-4 py-6 text-center text-sm text-muted-foreground">No rows</p>;
  return <ResultTable result={result} maxHeight={maxHeight} />;
}

const NUMERIC_TYPE = /^(smallint|integer|bigint|numeric|decimal|real|double precision|money|oid)\b/;

function ResultTable({ result, maxHeight }: { result: QueryResult; maxHeight: string }) {
  const numeric = result.columns.map((column) => NUMERIC_TYPE.test(column.type));
  const [sort, setSort] = useState<{ index: number; direction: SortDirection } | null>(null);
  const rows = useMemo(() => (sort ? sortRows(result.rows, sort.index, sort.direction) : result.rows), [result.rows, sort]);

  // First click sorts ascending, the second descending, the third restores the query's own order.
  function toggle(index: number) {
    setSort((current) => (current?.index !== index ? { index, direction: 'asc' } : current.direction === 'asc' ? { index, direction: 'desc' } : null));
  }

  // Wide or long results scroll inside the card, the header row staying in view.
  return (
    <div className={cn(maxHeight, 'overflow-auto rounded-md border')} tabIndex={0} aria-label="Query result, scrollable">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Query result</caption>
        <thead className="sticky top-0 z-10 bg-muted text-xs">
          <tr>
            {result.columns.map((column, index) => {
              const direction = sort?.index === index ? sort.direction : null;
              const SortIcon = direction === 'asc' ? ArrowUp : direction === 'desc' ? ArrowDown : ArrowUpDown;
              return (
                <th
                  key={`${index}-${column.name}`}
                  scope="col"
                  aria-sort={direction === 'asc' ? 'ascending' : direction === 'desc' ? 'descending' : 'none'}
                  className={cn('p-0 align-bottom font-medium whitespace-nowrap', numeric[index] && 'text-right')}
                >
                  <button
                    type="button"
                    onClick={() => toggle(index)}
                    title={`${column.name}: ${column.type}. Sort by this column`}
                    className={cn('group flex w-full items-end gap-1.5 px-3 py-2 hover:bg-foreground/5 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-ring', numeric[index] ? 'justify-end text-right' : 'text-left')}
                  >
                    <span>
                      <span className="block font-mono text-foreground">{column.name}</span>
                      <span className="block font-mono font-normal text-muted-foreground">{column.type}</span>
                    </span>
                    <SortIcon aria-hidden className={cn('mb-0.5 size-3.5 shrink-0', direction ? 'text-foreground' : 'text-muted-foreground/50 group-hover:text-muted-foreground')} />
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className="divide-y divide-border/60">
          {rows.map((row, rowIndex) => (
            <tr key={rowIndex} className="align-top">
              {result.columns.map((column, index) => (
                <Cell key={`${index}-${column.name}`} value={row[index]} numeric={numeric[index] ?? false} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Cell({ value, numeric }: { value: unknown; numeric: boolean }) {
  const isNumber = numeric || typeof value === 'number';
  if (value === null || value === undefined) {
    return (
      <td className={cn('px-3 py-1.5', isNumber && 'text-right')}>
        <span className="text-xs text-muted-foreground italic">null</span>
      </td>
    );
  }
  const text = cellText(value);
  return (
    <td
      title={text.length > 60 ? text : undefined}
      className={cn('max-w-96 truncate px-3 py-1.5 whitespace-nowrap', isNumber && 'text-right font-mono tabular-nums')}
    >
      {text}
    </td>
  );
}
