import type { ToolErrorCode, ToolFailure, ToolSuccess } from '@shared/tools';
import { CircleAlert, Play } from 'lucide-react';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { asApiError, type ApiError } from '@/api/client';
import { toolsApi, type QueryResult } from '@/api/tools';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Label } from '@/components/ui/label';
import { cn } from '@/lib/cn';
import { QueryResultTabs, type ResultTab } from './QueryResultTabs';

const HINT = "Read-only SELECT on this domain's tables; at most 500 rows; same checks and audit as the chat agent.";
const PLACEHOLDER = 'SELECT * FROM cases LIMIT 10';

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
  /** `run` numbers the results, so each one opens fresh (its own chart, its own sort). */
  | { kind: 'result'; envelope: ToolSuccess<QueryResult>; run: number }
  | { kind: 'failure'; error: ToolFailure['error'] }
  | { kind: 'request-error'; error: ApiError };

/** Write SQL, run it through the `query` tool (same safety and audit as chat), see the rows as a table or a chart, download them. */
export function SqlConsole({ membershipId, domain }: { membershipId: string; /** The CommCare domain, which names the CSV file. */ domain: string }) {
  const inputId = useId();
  const hintId = useId();
  const [sql, setSql] = useState('');
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // Chart or table, once the user has picked one: the next result opens on it too.
  const [preferredTab, setPreferredTab] = useState<ResultTab | undefined>();
  const runs = useRef(0);
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
      setOutcome(envelope.success ? { kind: 'result', envelope, run: ++runs.current } : { kind: 'failure', error: envelope.error });
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
          {outcome.kind === 'result' && <QueryResultTabs key={outcome.run} envelope={outcome.envelope} domain={domain} initialTab={preferredTab} onTabChange={setPreferredTab} />}
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
