import type { ChartConfig } from '@shared/charts/types';
import type { ToolErrorCode, ToolFailure, ToolSuccess } from '@shared/tools';
import type { WarehouseTable } from '@shared/warehouse';
import { Bookmark, CircleAlert, CircleStop, History, ListTree, PanelTop, Play, Sparkles, X } from 'lucide-react';
import { Collapsible } from 'radix-ui';
import { lazy, Suspense, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { asApiError, type ApiError } from '@/api/client';
import { newRequestId, QUERY_TIME_LIMIT_SECONDS, toolsApi, type QueryResult } from '@/api/tools';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/spinner';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { SaveQuestionDialog } from '@/features/questions/SaveQuestionDialog';
import { HistoryPanel } from '@/features/workbench/HistoryPanel';
import { runningLabel } from '@/features/workbench/running-label';
import { SchemaBrowser } from '@/features/workbench/SchemaBrowser';
import type { EditorSchema, SqlEditorHandle } from '@/features/workbench/sql-editor-handle';
import { cn } from '@/lib/cn';
import { useMediaQuery } from '@/lib/use-media-query';
import { QueryResultTabs, type ResultTab } from './QueryResultTabs';

// CodeMirror and the formatter are a chunk of their own, fetched when the console first shows.
const SqlEditor = lazy(() => import('@/features/workbench/SqlEditor'));

const PLACEHOLDER = 'SELECT * FROM cases LIMIT 10';
/** Row cap of the query tool (`maxRowsPerQuery`); exports have their own. */
const ROW_CAP = 500;
/** Cancelling a query that hasn't reached the database yet (waiting for a slot) is retried this often, this many times. */
const CANCEL_RETRY_MS = 250;
const CANCEL_TRIES = 12;

/** The tool's error codes in words; the server's message says the rest. */
const ERROR_TITLES: Partial<Record<ToolErrorCode, string>> = {
  QUERY_REJECTED: 'Query refused',
  QUERY_TIMEOUT: 'Query took too long',
  VALIDATION_ERROR: "Couldn't run that SQL",
  SCHEMA_NOT_READY: "This domain's data isn't ready yet",
  RATE_LIMITED: 'Too many queries',
  FORBIDDEN: 'Not allowed',
  INTERNAL_ERROR: 'Something went wrong running the query',
};

type Outcome =
  /** `run` numbers the results, so each one opens fresh (its own chart, its own sort); `sql` is what ran, for the export. */
  | { kind: 'result'; envelope: ToolSuccess<QueryResult>; run: number; sql: string }
  | { kind: 'failure'; error: ToolFailure['error'] }
  | { kind: 'cancelled' }
  | { kind: 'request-error'; error: ApiError };

interface Running {
  requestId: string;
  startedAt: number;
  cancelling: boolean;
}

interface SqlConsoleProps {
  membershipId: string;
  /** The CommCare domain. */
  domain: string;
  /** The domain's tables and views with their columns: the schema browser and the editor's completions. */
  tables: WarehouseTable[];
  /** Offer "Save as question". */
  canSaveQuestions?: boolean;
}

/**
 * The SQL workbench: an editor with completion from this domain's tables, a schema browser and the
 * member's query history beside it, and the result (table or chart, export of every row) below.
 * Queries go through the `query` tool: the same checks and audit as chat.
 */
export function SqlConsole({ membershipId, domain, tables, canSaveQuestions = true }: SqlConsoleProps) {
  const hintId = useId();
  const editor = useRef<SqlEditorHandle>(null);
  const [sql, setSql] = useState('');
  const [hasSelection, setHasSelection] = useState(false);
  const [running, setRunning] = useState<Running | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // Chart or table, once the user has picked one: the next result opens on it too.
  const [preferredTab, setPreferredTab] = useState<ResultTab | undefined>();
  const [historyVersion, setHistoryVersion] = useState(0);
  // The chart of the result on show, which "Save as question" keeps when the SQL is still the one that made it.
  const [chart, setChart] = useState<ChartConfig | null>(null);
  const [saving, setSaving] = useState(false);
  const runs = useRef(0);
  const inFlight = useRef<{ controller: AbortController; requestId: string } | null>(null);
  const wide = useMediaQuery('(min-width: 768px)');

  // Leaving the page drops a query still running (and stops it on the server).
  useEffect(
    () => () => {
      const current = inFlight.current;
      if (!current) return;
      current.controller.abort();
      void toolsApi.cancelQuery(membershipId, current.requestId).catch(() => undefined);
    },
    [membershipId],
  );

  const schema = useMemo<EditorSchema>(
    () => Object.fromEntries(tables.map((table) => [table.name, { kind: table.kind, description: table.description, columns: table.columns }])),
    [tables],
  );

  const run = useCallback(
    async (text: string) => {
      if (!text.trim() || inFlight.current) return;
      const controller = new AbortController();
      const requestId = newRequestId();
      inFlight.current = { controller, requestId };
      setRunning({ requestId, startedAt: Date.now(), cancelling: false });
      try {
        const envelope = await toolsApi.query(membershipId, text, { signal: controller.signal, requestId });
        if (envelope.success) setOutcome({ kind: 'result', envelope, run: ++runs.current, sql: text });
        else if (envelope.error.code === 'QUERY_CANCELLED') setOutcome({ kind: 'cancelled' });
        else setOutcome({ kind: 'failure', error: envelope.error });
      } catch (error) {
        if (controller.signal.aborted) return;
        setOutcome({ kind: 'request-error', error: asApiError(error) });
      } finally {
        if (inFlight.current?.controller === controller) {
          inFlight.current = null;
          setRunning(null);
          setHistoryVersion((version) => version + 1);
        }
      }
    },
    [membershipId],
  );

  async function cancel() {
    const current = inFlight.current;
    if (!current) return;
    setRunning((state) => (state ? { ...state, cancelling: true } : state));
    // A query still waiting for a free slot isn't in the database yet: ask again until it is, or until it ends.
    for (let attempt = 0; attempt < CANCEL_TRIES && inFlight.current === current; attempt++) {
      try {
        if (await toolsApi.cancelQuery(membershipId, current.requestId)) return;
      } catch {
        // A network blip: the next attempt may get through.
      }
      await new Promise((resolve) => setTimeout(resolve, CANCEL_RETRY_MS));
    }
  }

  const runFromEditor = useCallback((text: string) => void run(text), [run]);
  const insert = useCallback((text: string) => editor.current?.insert(text), []);
  const runNow = useCallback(
    (text: string) => {
      editor.current?.setSql(text);
      setSql(text);
      void run(text);
    },
    [run],
  );

  const canRun = sql.trim() !== '' && running === null;
  const side = <SidePanel membershipId={membershipId} tables={tables} historyVersion={historyVersion} onInsert={insert} onRun={runNow} />;

  return (
    <section aria-label="SQL workbench" className="grid min-w-0 overflow-hidden rounded-xl border bg-card text-card-foreground shadow-sm md:grid-cols-[17rem_minmax(0,1fr)]">
      {wide ? (
        <aside aria-label="Schema and history" className="relative min-h-[36rem] border-r">
          <div className="absolute inset-0 flex flex-col">{side}</div>
        </aside>
      ) : (
        <Collapsible.Root className="border-b">
          <Collapsible.Trigger className="group flex w-full items-center gap-2 px-4 py-2.5 text-left text-sm font-medium outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:ring-inset">
            <PanelTop aria-hidden className="size-4 text-muted-foreground" />
            <span className="flex-1">Tables and history</span>
            <span className="text-xs text-muted-foreground group-data-[state=open]:hidden">Show</span>
            <span className="hidden text-xs text-muted-foreground group-data-[state=open]:inline">Hide</span>
          </Collapsible.Trigger>
          <Collapsible.Content asChild>
            <aside aria-label="Schema and history" className="flex h-[26rem] flex-col border-t">
              {side}
            </aside>
          </Collapsible.Content>
        </Collapsible.Root>
      )}

      <div className="grid min-w-0 content-start gap-3 p-3 sm:p-4">
        <form
          className="grid gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            const text = editor.current?.runnableSql() ?? sql;
            void run(text);
          }}
        >
          <div className="h-36 overflow-hidden rounded-md sm:h-44 border border-input shadow-xs focus-within:border-ring focus-within:ring-[3px] focus-within:ring-ring/50 dark:bg-input/30">
            <Suspense fallback={<EditorLoading />}>
              <SqlEditor
                ref={editor}
                initialSql={sql}
                schema={schema}
                label="SQL query"
                describedBy={hintId}
                placeholder={PLACEHOLDER}
                onChange={setSql}
                onRun={runFromEditor}
                onSelectionChange={setHasSelection}
              />
            </Suspense>
          </div>
          <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
            {running && (
              <p role="status" className="flex min-w-0 items-center gap-2 text-sm text-muted-foreground">
                <Spinner className="size-4" />
                {running.cancelling ? 'Cancelling…' : <Elapsed startedAt={running.startedAt} />}
              </p>
            )}
            {/* On a phone the buttons come first and the hint takes its own line below them. */}
            <p id={hintId} className={cn('order-last w-full min-w-0 text-xs text-muted-foreground sm:order-none sm:w-auto sm:flex-1', running && 'sr-only')}>
              <kbd className="font-sans">Ctrl</kbd>/<kbd className="font-sans">⌘</kbd>+<kbd className="font-sans">Enter</kbd> runs the selection or all · read-only · first {ROW_CAP} rows shown · stops after {QUERY_TIME_LIMIT_SECONDS} s
            </p>
            <div className="ml-auto flex flex-wrap items-center justify-end gap-2">
              <Button type="button" variant="ghost" size="sm" onClick={() => editor.current?.format()} disabled={sql.trim() === ''}>
                <Sparkles aria-hidden />
                Format
              </Button>
              {canSaveQuestions && (
                <Button type="button" variant="outline" size="sm" onClick={() => setSaving(true)} disabled={sql.trim() === ''}>
                  <Bookmark aria-hidden />
                  Save as question
                </Button>
              )}
              {running ? (
                <Button type="button" variant="outline" size="sm" onClick={() => void cancel()} disabled={running.cancelling}>
                  <CircleStop aria-hidden />
                  Cancel
                </Button>
              ) : (
                <Button type="submit" size="sm" disabled={!canRun}>
                  <Play aria-hidden />
                  {hasSelection ? 'Run selection' : 'Run query'}
                </Button>
              )}
            </div>
          </div>
        </form>

        {outcome && (
          <div className={cn('grid min-w-0 gap-3', running && 'opacity-60')} aria-busy={running !== null || undefined}>
            {outcome.kind === 'result' && (
              <QueryResultTabs
                key={outcome.run}
                envelope={outcome.envelope}
                domain={domain}
                source={{ membershipId, sql: outcome.sql }}
                initialTab={preferredTab}
                onTabChange={setPreferredTab}
                onChartChange={setChart}
                maxHeight="max-h-[max(14rem,calc(100svh-27rem))]"
              />
            )}
            {outcome.kind === 'failure' && <QueryFailedAlert error={outcome.error} />}
            {outcome.kind === 'cancelled' && (
              // Not an error: the user asked for it, so it is announced politely.
              <Alert role="status">
                <X aria-hidden />
                <AlertTitle>Query cancelled</AlertTitle>
                <AlertDescription>
                  <p>It was stopped before it finished. Run it again when you're ready, or narrow it down.</p>
                </AlertDescription>
              </Alert>
            )}
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
      </div>
      <SaveQuestionDialog
        open={saving}
        onOpenChange={setSaving}
        membershipId={membershipId}
        draft={{ sql, chart: outcome?.kind === 'result' && outcome.sql.trim() === sql.trim() ? chart : null }}
      />
    </section>
  );
}

function SidePanel({ membershipId, tables, historyVersion, onInsert, onRun }: { membershipId: string; tables: WarehouseTable[]; historyVersion: number; onInsert: (text: string) => void; onRun: (sql: string) => void }) {
  return (
    <Tabs defaultValue="schema" className="min-h-0 flex-1 gap-2 pt-3">
      <TabsList aria-label="Beside the editor" className="mx-3 w-[calc(100%-1.5rem)]">
        <TabsTrigger value="schema">
          <ListTree aria-hidden />
          Schema
        </TabsTrigger>
        <TabsTrigger value="history">
          <History aria-hidden />
          History
        </TabsTrigger>
      </TabsList>
      <TabsContent value="schema" className="flex min-h-0 flex-col data-[state=inactive]:hidden">
        <SchemaBrowser membershipId={membershipId} tables={tables} onInsert={onInsert} onRun={onRun} />
      </TabsContent>
      <TabsContent value="history" className="flex min-h-0 flex-col data-[state=inactive]:hidden">
        <HistoryPanel membershipId={membershipId} version={historyVersion} onRerun={onRun} />
      </TabsContent>
    </Tabs>
  );
}

/** "Running… 3 s · stops after 30 s", ticking every second. */
function Elapsed({ startedAt }: { startedAt: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return <span className="tabular-nums">{runningLabel(now - startedAt, QUERY_TIME_LIMIT_SECONDS)}</span>;
}

function EditorLoading() {
  return (
    <div role="status" className="flex h-full items-center justify-center gap-2 text-sm text-muted-foreground">
      <Spinner className="size-4" />
      Loading the editor…
    </div>
  );
}

export function QueryFailedAlert({ error, title }: { error: ToolFailure['error']; /** Instead of the title for the error's code, when the caller knows better. */ title?: string | undefined }) {
  return (
    <Alert variant="destructive">
      <CircleAlert aria-hidden />
      <AlertTitle>{title ?? ERROR_TITLES[error.code] ?? 'The query failed'}</AlertTitle>
      <AlertDescription>
        <p className="break-words">{error.message}</p>
        {error.detail && <p className="font-mono text-xs break-words whitespace-pre-wrap">{error.detail}</p>}
      </AlertDescription>
    </Alert>
  );
}
