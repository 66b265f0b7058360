import type { ToolErrorCode, ToolFailure, ToolSuccess } from '@shared/tools';
import { CircleAlert, Download, Play, TriangleAlert } from 'lucide-react';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { asApiError, type ApiError } from '@/api/client';
import { toolsApi, type QueryResult } from '@/api/tools';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Label } from '@/components/ui/label';
import { cn } from '@/lib/cn';
import { cellText, csvFileName, downloadCsv, toCsv } from './csv';
import { formatCount, formatRows } from './format';

const HINT = "Read-only SELECT on this domain's tables; at most 500 rows; same checks and audit as the chat agent.";
const PLACEHOLDER = 'SELECT * FROM cases LIMIT 10';

/** The tool's error codes in words; the server's message says the rest. */
const ERROR_TITLES: Partial<Record<ToolErrorCode, string>> = {
  QUERY_REJECTED: 'Query refused',
  QUERY_TIMEOUT: 'Query took too long',
  VALIDATION_ERROR: "Couldn't run that SQL",
  SCHEMA_NOT_READY: "This domain's data isn't ready yet",
  RATE_LIMITED: 'Too many queries',
  INTERNAL_ERROR: 'Something went wrong running the query',
};

type Outcome =
  | { kind: 'result'; envelope: ToolSuccess<QueryResult> }
  | { kind: 'failure'; error: ToolFailure['error'] }
  | { kind: 'request-error'; error: ApiError };

/** Write SQL, run it through the `query` tool (same safety and audit as chat), see the rows, download them. */
export function SqlConsole({ membershipId, domain }: { membershipId: string; /** The CommCare domain, which names the CSV file. */ domain: string }) {
  const inputId = useId();
  const hintId = useId();
  const [sql, setSql] = useState('');
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const inFlight = useRef<AbortController | null>(null);

  // Leaving the page drops a query still running.
  useEffect(() => () => inFlight.current?.abort(), []);

  const canRun = sql.trim() !== '' && !running;

  async function run() {
    if (!canRun) return;
    const controller = new AbortController();
    inFlight.current = controller;
    setRunning(true);
    try {
      const envelope = await toolsApi.query(membershipId, sql, { signal: controller.signal });
      setOutcome(envelope.success ? { kind: 'result', envelope } : { kind: 'failure', error: envelope.error });
    } catch (error) {
      if (controller.signal.aborted) return;
      setOutcome({ kind: 'request-error', error: asApiError(error) });
    } finally {
      if (inFlight.current === controller) {
        inFlight.current = null;
        setRunning(false);
      }
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void run();
    }
  }

  return (
    <Card className="min-w-0 gap-4 px-4 py-4 sm:px-5">
      <form
        className="grid gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          void run();
        }}
      >
        <Label htmlFor={inputId}>SQL query</Label>
        <textarea
          id={inputId}
          value={sql}
          onChange={(event) => setSql(event.target.value)}
          onKeyDown={onKeyDown}
          aria-describedby={hintId}
          aria-keyshortcuts="Control+Enter Meta+Enter"
          placeholder={PLACEHOLDER}
          rows={5}
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          className={cn(
            'min-h-24 w-full min-w-0 resize-y rounded-md border border-input bg-transparent px-3 py-2 font-mono text-sm shadow-xs transition-[color,box-shadow] outline-none placeholder:text-muted-foreground dark:bg-input/30',
            'focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50',
          )}
        />
        <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
          <p id={hintId} className="text-sm text-muted-foreground">
            {HINT}
          </p>
          <Button type="submit" size="sm" loading={running} disabled={!canRun}>
            {!running && <Play aria-hidden />}
            Run query
          </Button>
        </div>
        <p className="sr-only">Press Control or Command and Enter in the query to run it.</p>
      </form>

      {outcome && (
        <div className={cn('grid min-w-0 gap-3', running && 'opacity-60')} aria-busy={running || undefined}>
          {outcome.kind === 'result' && <QueryOutcome envelope={outcome.envelope} domain={domain} />}
          {outcome.kind === 'failure' && <QueryFailedAlert error={outcome.error} />}
          {outcome.kind === 'request-error' && (
            <Alert variant="destructive">
              <CircleAlert aria-hidden />
              <AlertTitle>Couldn't run the query</AlertTitle>
              <AlertDescription>
                <p>{outcome.error.message}</p>
              </AlertDescription>
            </Alert>
          )}
        </div>
      )}
    </Card>
  );
}

function QueryFailedAlert({ error }: { error: ToolFailure['error'] }) {
  return (
    <Alert variant="destructive">
      <CircleAlert aria-hidden />
      <AlertTitle>{ERROR_TITLES[error.code] ?? 'The query failed'}</AlertTitle>
      <AlertDescription>
        <p className="break-words">{error.message}</p>
        {error.detail && <p className="font-mono text-xs break-words whitespace-pre-wrap">{error.detail}</p>}
      </AlertDescription>
    </Alert>
  );
}

function QueryOutcome({ envelope, domain }: { envelope: ToolSuccess<QueryResult>; domain: string }) {
  const { data, timing_ms: timing, warnings = [] } = envelope;
  const names = data.columns.map((column) => column.name);
  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
        <p className="text-sm text-muted-foreground" role="status">
          <span className="font-medium text-foreground tabular-nums">{formatRows(data.row_count)}</span>
          <span aria-hidden> · </span>
          <span className="sr-only">, </span>
          <span className="tabular-nums">{formatCount(timing)} ms</span>
          {data.truncated && (
            <>
              <span aria-hidden> · </span>
              <span className="sr-only">, </span>
              showing the first {formatCount(data.row_count)} rows — aggregate or add LIMIT
            </>
          )}
        </p>
        {data.rows.length > 0 && (
          <Button variant="outline" size="sm" onClick={() => downloadCsv(csvFileName(domain), toCsv(names, data.rows))}>
            <Download aria-hidden />
            Download CSV
          </Button>
        )}
      </div>
      {warnings.length > 0 && (
        <ul className="grid gap-1 text-sm text-amber-700 dark:text-amber-400" aria-label="Warnings">
          {warnings.map((warning) => (
            <li key={warning} className="flex items-start gap-2">
              <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
              <span>{warning}</span>
            </li>
          ))}
        </ul>
      )}
      {data.rows.length === 0 ? (
        <p className="rounded-md border border-dashed px-4 py-6 text-center text-sm text-muted-foreground">No rows</p>
      ) : (
        <ResultTable result={data} />
      )}
    </>
  );
}

const NUMERIC_TYPE = /^(smallint|integer|bigint|numeric|decimal|real|double precision|money|oid)\b/;

function ResultTable({ result }: { result: QueryResult }) {
  const numeric = result.columns.map((column) => NUMERIC_TYPE.test(column.type));
  // Wide or long results scroll inside the card, the header row staying in view.
  return (
    <div className="max-h-[28rem] overflow-auto rounded-md border" tabIndex={0} aria-label="Query result, scrollable">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Query result</caption>
        <thead className="sticky top-0 z-10 bg-muted text-xs">
          <tr>
            {result.columns.map((column, index) => (
              <th
                key={`${index}-${column.name}`}
                scope="col"
                title={`${column.name}: ${column.type}`}
                className={cn('px-3 py-2 align-bottom font-medium whitespace-nowrap', numeric[index] && 'text-right')}
              >
                <span className="block font-mono text-foreground">{column.name}</span>
                <span className="block font-mono font-normal text-muted-foreground">{column.type}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-border/60">
          {result.rows.map((row, rowIndex) => (
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
