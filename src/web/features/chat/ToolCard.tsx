import type { ToolEnvelope, ToolFailure, ToolName, ToolSuccess, VisualizeResult } from '@shared/tools';
import type { QuestionRun, SaveQuestionResult } from '@shared/questions';
import type { MaterializationRun, WarehouseTable } from '@shared/warehouse';
import { BookOpen, Bookmark, ChartColumn, ChevronRight, Database, FileSearch, ListTree, Megaphone, RefreshCw, Table2, type LucideIcon } from 'lucide-react';
import { useCallback, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import type { QueryResult } from '@/api/tools';
import { warehouseApi } from '@/api/warehouse';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/spinner';
import { QueryResultTabs } from '@/features/data/QueryResultTabs';
import { QueryResultView } from '@/features/data/QueryResultView';
import { RunStateBadge } from '@/features/data/RunStateBadge';
import { QueryFailedAlert } from '@/features/data/SqlConsole';
import { SyncProgressCard } from '@/features/data/SyncProgressCard';
import { formatCount } from '@/features/data/format';
import { questionText, tableExcerpt } from '@/features/publications/compose';
import { PublishButton } from '@/features/publications/PublishDialog';
import { SaveQuestionDialog } from '@/features/questions/SaveQuestionDialog';
import { cn } from '@/lib/cn';
import { useResource } from '@/lib/use-resource';
import { useActiveDomain } from '@/store/active-domain';
import { proposalOf, SaveQuestionCard } from './SaveQuestionCard';
import { SqlBlock } from './SqlBlock';

/** A tool call as the AI SDK streams it to `useChat` (the parts Scout renders). */
export interface ToolCallPart {
  type: `tool-${string}`;
  toolCallId: string;
  state: 'input-streaming' | 'input-available' | 'output-available' | 'output-error' | (string & {});
  input?: unknown;
  output?: unknown;
  errorText?: string;
}

interface ToolCardProps {
  part: ToolCallPart;
  membershipId: string;
  domain: { name: string };
}

/** How a call reads in its card's header: what it is doing, then what it did (from its arguments, and for a chart its drawn title). */
const TITLES: Record<ToolName, { icon: LucideIcon; running: string; done: (input: Record<string, unknown>, data?: unknown) => string; failed?: string }> = {
  list_tables: { icon: ListTree, running: 'Listing tables…', done: () => 'Listed the tables' },
  describe_table: { icon: Table2, running: 'Reading a table’s columns…', done: (input) => `Described ${String(input.table_name ?? 'a table')}` },
  get_metadata: { icon: FileSearch, running: 'Reading the data dictionary…', done: () => 'Read the data dictionary' },
  query: { icon: Database, running: 'Running a query…', done: () => 'Ran a query' },
  visualize: { icon: ChartColumn, running: 'Drawing a chart…', done: (_input, data) => chartTitle(data) ?? 'Drew a chart', failed: 'Couldn’t draw the chart' },
  run_materialization: { icon: RefreshCw, running: 'Starting a sync…', done: () => 'Started a sync' },
  get_materialization_status: { icon: RefreshCw, running: 'Checking the sync…', done: () => 'Checked the sync' },
  list_questions: { icon: Bookmark, running: 'Looking through the saved questions…', done: () => 'Listed the saved questions' },
  run_question: { icon: Bookmark, running: 'Running a saved question…', done: () => 'Ran a saved question', failed: 'Couldn’t run the saved question' },
  save_question: { icon: Bookmark, running: 'Drafting a question to save…', done: () => 'Saved a question', failed: 'Couldn’t draft the question' },
  draft_publication: { icon: Megaphone, running: 'Drafting a post…', done: () => 'Drafted a post for approval', failed: 'Couldn’t draft the post' },
  search_knowledge: { icon: BookOpen, running: 'Looking up the domain’s knowledge…', done: (input) => `Looked up ${JSON.stringify(String(input.text ?? '').slice(0, 60))} in the knowledge` },
};

/** The title the visualize tool drew its chart with. */
function chartTitle(data: unknown): string | undefined {
  const title = (data as Partial<VisualizeResult> | undefined)?.chart?.title;
  return typeof title === 'string' && title.trim() ? title : undefined;
}

/** The visualize tool refusing the chart it was asked for (not the SQL): its message names the chart field or the spec. */
function isChartRefusal(error: ToolFailure['error']): boolean {
  return error.code === 'VALIDATION_ERROR' && /^(chart\.|The chart spec)/.test(error.message);
}

function isEnvelope(value: unknown): value is ToolEnvelope {
  return typeof value === 'object' && value !== null && 'success' in value;
}

/** One tool call in an answer: what the agent did, and what came back. */
export function ToolCard({ part, membershipId, domain }: ToolCardProps) {
  const name = part.type.slice('tool-'.length);
  // The agent proposing to save a question asks the user, who decides; anything else reads as a tool call.
  const proposal = name === 'save_question' && part.state === 'output-available' ? proposalOf(part.output) : null;
  if (proposal) return <SaveQuestionCard proposal={proposal} membershipId={membershipId} />;
  return <ToolCallCard part={part} name={name as ToolName} membershipId={membershipId} domain={domain} />;
}

function ToolCallCard({ part, name, membershipId, domain }: ToolCardProps & { name: ToolName }) {
  const meta = TITLES[name] ?? { icon: Database, running: `Calling ${name}…`, done: () => `Called ${name}` };
  const input = (part.input ?? {}) as Record<string, unknown>;
  const running = part.state === 'input-streaming' || part.state === 'input-available';
  const envelope = part.state === 'output-available' && isEnvelope(part.output) ? part.output : undefined;
  const failed = part.state === 'output-error' || envelope?.success === false;
  // Queries and charts show their result at once; the exploring steps start folded, they are context.
  const [open, setOpen] = useState(name === 'query' || name === 'visualize' || name === 'run_materialization');
  const Icon = meta.icon;
  const label = running ? meta.running : failed && meta.failed ? meta.failed : meta.done(input, envelope?.success ? envelope.data : undefined);

  return (
    <section className={cn('rounded-lg border bg-card text-card-foreground', failed && 'border-destructive/40')} aria-label={label} data-tool={name}>
      <button type="button" onClick={() => setOpen((o) => !o)} aria-expanded={open} className="flex w-full items-center gap-2 px-3 py-2 text-left text-sm">
        <ChevronRight aria-hidden className={cn('size-4 shrink-0 text-muted-foreground transition-transform', open && 'rotate-90')} />
        <Icon aria-hidden className="size-4 shrink-0 text-muted-foreground" />
        <span className="min-w-0 flex-1 truncate font-medium">{label}</span>
        {running && <Spinner className="size-4" />}
        {failed && <span className="text-xs font-medium text-destructive">Failed</span>}
        {envelope?.success && <span className="text-xs text-muted-foreground tabular-nums">{formatCount(envelope.timing_ms)} ms</span>}
      </button>
      {open && (
        <div className="grid min-w-0 gap-3 border-t px-3 py-3">
          {(name === 'query' || name === 'visualize') && typeof input.sql === 'string' && <SqlBlock sql={input.sql} />}
          {part.state === 'output-error' && <QueryFailedAlert error={{ code: 'INTERNAL_ERROR', message: part.errorText ?? 'The tool failed.' }} />}
          {envelope && !envelope.success && <QueryFailedAlert error={envelope.error} title={name === 'visualize' && isChartRefusal(envelope.error) ? 'Couldn’t draw that chart' : undefined} />}
          {envelope?.success && <ToolOutput name={name} envelope={envelope} membershipId={membershipId} domain={domain} sql={typeof input.sql === 'string' ? input.sql : undefined} />}
        </div>
      )}
    </section>
  );
}

function ToolOutput({ name, envelope, membershipId, domain, sql }: { name: ToolName; envelope: ToolSuccess; membershipId: string; domain: { name: string }; /** The call's SQL, which "Export all" runs again for every row. */ sql: string | undefined }) {
  const source = sql ? { membershipId, sql } : undefined;
  switch (name) {
    case 'query':
      return (
        <>
          <QueryResultView envelope={envelope as ToolSuccess<QueryResult>} domain={domain.name} source={source} maxHeight="max-h-80" />
          <AnswerActions>
            {sql && <SaveButton membershipId={membershipId} sql={sql} chart={null} />}
            <ChatPublishButton title="Query result" result={envelope.data as QueryResult} chart={null} />
          </AnswerActions>
        </>
      );
    case 'visualize': {
      const { chart, spec } = envelope.data as VisualizeResult;
      // The server's spec is drawn as it came (a reloaded thread shows the same chart); a kind the user picks is rebuilt here from the rows.
      return (
        <>
          <QueryResultTabs envelope={envelope as ToolSuccess<VisualizeResult>} domain={domain.name} given={{ chart, spec }} source={source} maxHeight="max-h-80" />
          <AnswerActions>
            {sql && <SaveButton membershipId={membershipId} sql={sql} chart={chart} />}
            <ChatPublishButton title={chart?.title ?? (typeof spec.title === 'string' ? spec.title : 'Chart')} result={envelope.data as VisualizeResult} chart={spec} />
          </AnswerActions>
        </>
      );
    }
    case 'run_question': {
      const run = envelope.data as QuestionRun;
      return (
        <>
          {run.spec ? (
            <QueryResultTabs envelope={envelope as ToolSuccess<QuestionRun>} domain={domain.name} given={{ chart: run.chart, spec: run.spec }} maxHeight="max-h-80" />
          ) : (
            <QueryResultView envelope={envelope as ToolSuccess<QuestionRun>} domain={domain.name} maxHeight="max-h-80" />
          )}
          <AnswerActions>
            <ChatPublishButton title={run.chart?.title ?? 'Saved question'} result={run} chart={run.spec} />
          </AnswerActions>
        </>
      );
    }
    case 'draft_publication': {
      const result = envelope.data as { publication?: { id: string; title: string; connector: string } };
      return (
        <p className="text-sm">
          “{result.publication?.title ?? 'The post'}”{result.publication?.connector ? ` for ${result.publication.connector}` : ''} waits for an owner’s or admin’s approval on the{' '}
          <Link to="/publications" className="font-medium underline underline-offset-4">
            Publications page
          </Link>
          .
        </p>
      );
    }
    case 'list_questions': {
      const questions = envelope.data as Array<{ id: string; title: string; description: string }>;
      if (questions.length === 0) return <p className="text-sm text-muted-foreground">No saved questions yet.</p>;
      return (
        <CompactTable
          head={['Question', 'Description']}
          rows={questions.map((q) => [<Link key="t" to={`/questions/${q.id}`} className="font-medium underline underline-offset-4">{q.title}</Link>, q.description])}
        />
      );
    }
    case 'save_question': {
      const result = envelope.data as SaveQuestionResult;
      return result.status === 'saved' ? (
        <Link to={`/questions/${result.question.id}`} className="text-sm font-medium underline underline-offset-4">
          Open “{result.question.title}”
        </Link>
      ) : null;
    }
    case 'list_tables':
      return (
        <CompactTable
          head={['Table', 'Kind', 'Rows']}
          rows={(envelope.data as WarehouseTable[]).map((t) => [<code key="n">{t.name}</code>, t.kind, formatCount(t.row_count)])}
          numericLast
        />
      );
    case 'describe_table': {
      const table = envelope.data as Omit<WarehouseTable, 'columns'> & { columns: Array<WarehouseTable['columns'][number] & { sample_values?: unknown[] }> };
      return (
        <CompactTable
          caption={`${table.name}: ${formatCount(table.row_count)} rows`}
          head={['Column', 'Type', 'Examples']}
          rows={table.columns.map((c) => [<code key="n">{c.name}</code>, <code key="t">{c.type}</code>, (c.sample_values ?? []).slice(0, 3).map(String).join(', ')])}
        />
      );
    }
    case 'get_metadata': {
      const meta = envelope.data as { tables: WarehouseTable[]; last_sync_at: string | null };
      return (
        <p className="text-sm text-muted-foreground">
          {meta.tables.length} tables and views{meta.last_sync_at ? `, last synced ${new Date(meta.last_sync_at).toLocaleString()}` : ''}.
        </p>
      );
    }
    case 'run_materialization':
      return <RunCard membershipId={membershipId} domainName={domain.name} runId={(envelope.data as { run_id: string }).run_id} />;
    case 'get_materialization_status': {
      const run = envelope.data as MaterializationRun;
      return (
        <p className="flex items-center gap-2 text-sm">
          <RunStateBadge state={run.state} />
          <Link to="/data" className="font-medium underline underline-offset-4">
            See it on the Data page
          </Link>
        </p>
      );
    }
  }
}

/** The buttons under an answer's table or chart. */
function AnswerActions({ children }: { children: ReactNode }) {
  return <div className="flex flex-wrap items-center gap-2">{children}</div>;
}

/** "Publish" under a chat answer's result: the compose dialog, starting from a summary of the rows and the chart on show. */
function ChatPublishButton({ title, result, chart }: { title: string; result: QueryResult; chart: VisualizeResult['spec'] | null }) {
  const { threadId } = useParams();
  return (
    <PublishButton
      className="justify-self-start"
      source={{ kind: 'chat', id: threadId ?? null }}
      makeDraft={() => ({ title, text: questionText(result), chart, table: tableExcerpt(result) })}
    />
  );
}

/** "Save" under a query or chart the agent made: the same dialog as the SQL console's, starting from its SQL and chart. */
function SaveButton({ membershipId, sql, chart }: { membershipId: string; sql: string; chart: VisualizeResult['chart'] }) {
  const [open, setOpen] = useState(false);
  const canSave = useActiveDomain()?.can['questions.create'] ?? false;
  if (!canSave) return null;
  return (
    <>
      <Button variant="outline" size="sm" className="justify-self-start" onClick={() => setOpen(true)}>
        <Bookmark aria-hidden />
        Save
      </Button>
      <SaveQuestionDialog open={open} onOpenChange={setOpen} membershipId={membershipId} draft={{ sql, chart, title: chart?.title ?? '' }} />
    </>
  );
}

/** A sync the agent started: live progress while it runs, its outcome after. */
function RunCard({ membershipId, domainName, runId }: { membershipId: string; domainName: string; runId: string }) {
  const load = useCallback((signal: AbortSignal) => warehouseApi.getRun(membershipId, runId, { signal }), [membershipId, runId]);
  const run = useResource(load);
  const [finished, setFinished] = useState<MaterializationRun | null>(null);
  if (run.status === 'loading') return <Spinner className="size-4" />;
  if (run.status === 'error') return <p className="text-sm text-muted-foreground">{run.error.message}</p>;
  const current = finished ?? run.data;
  const active = ['started', 'loading', 'transforming'].includes(current.state);
  return (
    <div className="grid gap-2">
      {active ? (
        <SyncProgressCard membershipId={membershipId} domainName={domainName} run={current} onFinished={setFinished} />
      ) : (
        <p className="flex items-center gap-2 text-sm">
          <RunStateBadge state={current.state} />
          {current.error && <span className="text-muted-foreground">{current.error}</span>}
        </p>
      )}
      <Link to="/data" className="justify-self-start text-sm font-medium underline underline-offset-4">
        Follow it on the Data page
      </Link>
    </div>
  );
}

function CompactTable({ head, rows, caption, numericLast = false }: { head: string[]; rows: ReactNode[][]; caption?: string; numericLast?: boolean }) {
  return (
    <div className="max-h-72 overflow-auto rounded-md border">
      <table className="w-full text-left text-xs">
        {caption && <caption className="px-2 py-1.5 text-left font-medium">{caption}</caption>}
        <thead className="sticky top-0 bg-muted">
          <tr>
            {head.map((h, i) => (
              <th key={h} scope="col" className={cn('px-2 py-1.5 font-medium', numericLast && i === head.length - 1 && 'text-right')}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-border/60">
          {rows.map((cells, r) => (
            <tr key={r}>
              {cells.map((cell, i) => (
                <td key={i} className={cn('max-w-64 truncate px-2 py-1', numericLast && i === cells.length - 1 && 'text-right tabular-nums')}>
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
