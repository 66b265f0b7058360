import type { TenantSummary } from '@shared/tenants';
import type { WarehouseSummary } from '@shared/warehouse';
import { Database, MessageSquare, MessageSquareOff, MessagesSquare, SearchX } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { chatApi } from '@/api/chat';
import { warehouseApi } from '@/api/warehouse';
import { LoadErrorAlert } from '@/components/load-error-alert';
import { PageHeader } from '@/components/page-header';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Sheet, SheetContent, SheetDescription, SheetTitle, SheetTrigger } from '@/components/ui/sheet';
import { Skeleton } from '@/components/ui/skeleton';
import { DomainRequired } from '@/features/shell/DomainRequired';
import { useResource, type Resource } from '@/lib/use-resource';
import { useActiveDomain } from '@/store/active-domain';
import { Conversation, type ChatMessage } from './Conversation';
import { starterQuestions } from '@shared/starter-questions';
import { ThreadList } from './ThreadList';

export function ChatPage() {
  return (
    <>
      <PageHeader title="Chat" description="Ask questions of your CommCare data in plain language." />
      <ChatBody />
    </>
  );
}

function ChatBody() {
  const active = useActiveDomain();
  const { threadId } = useParams();
  const navigate = useNavigate();
  const previousDomain = useRef(active?.id);

  // A thread belongs to one domain: switching domain starts a fresh one.
  useEffect(() => {
    if (previousDomain.current && active?.id !== previousDomain.current && threadId) void navigate('/chat', { replace: true });
    previousDomain.current = active?.id;
  }, [active?.id, threadId, navigate]);

  if (!active) {
    return (
      <DomainRequired
        empty={{
          icon: MessageSquare,
          title: 'Connect a CommCare domain to start asking questions',
          description:
            "Scout answers from a private copy of your project's cases and forms. Connect a domain, and once its data has loaded you can ask things like “How many new cases were registered last month?”",
        }}
        select={{ title: 'Select a domain to start chatting', purpose: 'Choose the CommCare project you want to ask about.' }}
      />
    );
  }
  // Keyed on the domain, so no answer about one project is ever shown as if it were about another.
  return <ChatWorkspace key={active.id} domain={active} />;
}

const loadModel = (signal: AbortSignal) => chatApi.model({ signal });
const DATA_POLL_MS = 3_000;

function ChatWorkspace({ domain }: { domain: TenantSummary }) {
  const { threadId: routeThreadId } = useParams();
  const navigate = useNavigate();
  const [draftId, setDraftId] = useState(() => crypto.randomUUID());
  const threadId = routeThreadId ?? draftId;
  const isDraft = threadId === draftId;

  const model = useResource(loadModel);
  const threads = useResource(useCallback((signal: AbortSignal) => chatApi.threads(domain.id, { signal }), [domain.id]));
  const warehouse = useResource(useCallback((signal: AbortSignal) => warehouseApi.summary(domain.id, { signal }), [domain.id]));
  const starters = useMemo(() => (warehouse.status === 'ready' ? starterQuestions(warehouse.data.tables) : []), [warehouse]);
  // Until there is data, look again now and then: a sync started here (or on the Data page) fills it.
  const awaitingData = warehouse.status === 'ready' && warehouse.data.tables.length === 0;
  const reloadWarehouse = warehouse.reload;
  useEffect(() => {
    if (!awaitingData) return;
    const timer = setInterval(() => void reloadWarehouse(), DATA_POLL_MS);
    return () => clearInterval(timer);
  }, [awaitingData, reloadWarehouse]);

  const [sheetOpen, setSheetOpen] = useState(false);
  const startNew = () => {
    setSheetOpen(false);
    setDraftId(crypto.randomUUID());
    void navigate('/chat');
  };
  const list = (
    <ThreadList membershipId={domain.id} threads={threads} activeId={threadId} onNew={startNew} onDeletedActive={startNew} />
  );
  const noModel = model.status === 'ready' && !model.data.configured;

  return (
    <div className="grid gap-6 md:grid-cols-[14rem_minmax(0,1fr)]">
      <aside className="hidden min-w-0 md:block">
        <div className="sticky top-6">{list}</div>
      </aside>
      <div className="grid min-w-0 content-start gap-4">
        <div className="md:hidden">
          <Sheet open={sheetOpen} onOpenChange={setSheetOpen}>
            <SheetTrigger asChild>
              <Button variant="outline" size="sm">
                <MessagesSquare aria-hidden />
                Conversations
              </Button>
            </SheetTrigger>
            <SheetContent className="p-4">
              <SheetTitle>Conversations</SheetTitle>
              <SheetDescription className="sr-only">Your conversations about {domain.tenant_name}</SheetDescription>
              {/* Opening a conversation closes the sheet, so the phone shows it. */}
              <div className="mt-4" onClickCapture={(event) => (event.target as HTMLElement).closest('a') && setSheetOpen(false)}>
                {list}
              </div>
            </SheetContent>
          </Sheet>
        </div>
        {model.status === 'error' && <LoadErrorAlert title="Couldn't check the chat agent" error={model.error} onRetry={() => void model.reload()} />}
        {!noModel && <DataStatus warehouse={warehouse} />}
        {model.status === 'loading' ? (
          <Skeleton className="h-48 rounded-xl" />
        ) : noModel && isDraft ? (
          // Nothing to ask with: say so once, instead of an empty chat whose every part is disabled.
          <NoModelNotice />
        ) : isDraft ? (
          <Conversation
            key={threadId}
            membershipId={domain.id}
            domain={{ name: domain.tenant_id }}
            threadId={threadId}
            initialMessages={[]}
            starters={starters}
            emptyTitle={`Ask about ${domain.tenant_name}`}
            disabled={noModel}
            onStarted={() => void navigate(`/chat/${threadId}`)}
            onAnswered={() => void threads.reload()}
          />
        ) : (
          <>
            {noModel && <NoModelNotice />}
            <StoredThread key={threadId} domain={domain} threadId={threadId} disabled={noModel} onAnswered={() => void threads.reload()} onNew={startNew} />
          </>
        )}
      </div>
    </div>
  );
}

/** A thread from the list: loaded, then continued where it left off. */
function StoredThread({ domain, threadId, disabled, onAnswered, onNew }: { domain: TenantSummary; threadId: string; disabled: boolean; onAnswered: () => void; onNew: () => void }) {
  const thread = useResource(useCallback((signal: AbortSignal) => chatApi.thread(domain.id, threadId, { signal }), [domain.id, threadId]));
  if (thread.status === 'loading') {
    return (
      <div role="status" aria-label="Loading the conversation" className="grid gap-4">
        <Skeleton className="ml-auto h-10 w-2/3 rounded-2xl" />
        <Skeleton className="h-32 rounded-xl" />
      </div>
    );
  }
  if (thread.status === 'error') {
    if (thread.error.status === 404) {
      return (
        <EmptyState
          icon={SearchX}
          title="This conversation isn't here"
          description={`It was deleted, or it is about another domain than ${domain.tenant_name}.`}
          action={<Button onClick={onNew}>Start a new chat</Button>}
        />
      );
    }
    return <LoadErrorAlert title="Couldn't load the conversation" error={thread.error} onRetry={() => void thread.reload()} />;
  }
  return (
    <Conversation
      membershipId={domain.id}
      domain={{ name: domain.tenant_id }}
      threadId={threadId}
      initialMessages={thread.data.messages as ChatMessage[]}
      starters={[]}
      disabled={disabled}
      onStarted={() => undefined}
      onAnswered={onAnswered}
    />
  );
}

/** What configures a model, per kind of provider (the server's config.ts reads these). */
const MODEL_SETUPS = [
  { provider: 'Anthropic', lines: ['SCOUT_MODEL=anthropic:<model>', 'ANTHROPIC_API_KEY=…'] },
  { provider: 'OpenAI', lines: ['SCOUT_MODEL=openai:<model>', 'OPENAI_API_KEY=…'] },
  {
    provider: 'Ollama, vLLM, LM Studio (OpenAI-compatible)',
    lines: ['SCOUT_MODEL=openai-compatible:<model>', 'SCOUT_MODEL_BASE_URL=http://…/v1', 'SCOUT_MODEL_API_KEY=…   # if the server needs one'],
  },
];

/**
 * The chat without a model: one short explanation and the way on (the SQL
 * console answers without one); how to configure a model is folded away,
 * for whoever runs the server.
 */
function NoModelNotice() {
  return (
    <section aria-labelledby="no-model-title" className="grid gap-4 rounded-xl border bg-card p-5 text-sm shadow-xs sm:p-6">
      <div className="flex items-start gap-3">
        <div className="flex size-10 shrink-0 items-center justify-center rounded-full bg-muted">
          <MessageSquareOff className="size-5 text-muted-foreground" aria-hidden />
        </div>
        <div className="grid gap-1">
          <h2 id="no-model-title" className="text-base font-semibold tracking-tight">
            The chat isn’t set up on this server yet
          </h2>
          <p className="text-muted-foreground">
            Answering in plain language needs a language model, and this Scout has none. The SQL console on the Data page works without one.
          </p>
        </div>
      </div>
      <div>
        <Button asChild>
          <Link to="/data">
            <Database aria-hidden />
            Open the SQL console
          </Link>
        </Button>
      </div>
      <details className="group rounded-lg border bg-muted/40 px-4 py-3">
        <summary className="cursor-pointer font-medium marker:text-muted-foreground">Set up a model (for whoever runs this server)</summary>
        <div className="mt-3 grid gap-3 text-muted-foreground">
          <p>Set one of these in Scout’s environment, then restart it. The README lists every setting.</p>
          <ul className="grid gap-3">
            {MODEL_SETUPS.map(({ provider, lines }) => (
              <li key={provider} className="grid gap-1">
                <span className="text-xs font-medium text-foreground">{provider}</span>
                <pre className="rounded-md bg-background p-3 font-mono text-xs leading-relaxed break-all whitespace-pre-wrap text-foreground">{lines.join('\n')}</pre>
              </li>
            ))}
          </ul>
        </div>
      </details>
    </section>
  );
}

/** Says when there is nothing to ask about yet (the agent can still start a sync). */
function DataStatus({ warehouse }: { warehouse: Resource<WarehouseSummary> }) {
  if (warehouse.status !== 'ready' || warehouse.data.tables.length > 0) return null;
  const syncing = warehouse.data.running !== null;
  return (
    <Alert>
      <Database aria-hidden />
      <AlertTitle>{syncing ? "This domain's data is loading" : "This domain's data hasn't been loaded yet"}</AlertTitle>
      <AlertDescription>
        <p>
          {syncing ? 'Answers will be ready once the sync finishes. ' : 'Ask Scout to load it, or '}
          <Link to="/data" className="font-medium underline underline-offset-4">
            {syncing ? 'Follow it on the Data page' : 'load it from the Data page'}
          </Link>
          .
        </p>
      </AlertDescription>
    </Alert>
  );
}
