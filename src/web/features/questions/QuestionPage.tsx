import type { ParameterValue, Question, QuestionParameter, QuestionRun } from '@shared/questions';
import type { TenantSummary } from '@shared/tenants';
import { ArrowLeft, Bookmark, CircleAlert, Pencil, Play, SearchX, Trash2 } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { toast } from 'sonner';
import { asApiError, type ApiError } from '@/api/client';
import { questionsApi } from '@/api/questions';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { LoadErrorAlert } from '@/components/load-error-alert';
import { PageHeader } from '@/components/page-header';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Label } from '@/components/ui/label';
import { Skeleton } from '@/components/ui/skeleton';
import { SqlBlock } from '@/features/chat/SqlBlock';
import { questionText, tableExcerpt } from '@/features/publications/compose';
import { PublishButton } from '@/features/publications/PublishDialog';
import { DeliveryControl } from '@/features/schedules/DeliveryControl';
import { ScheduleControl } from '@/features/schedules/ScheduleControl';
import { DomainRequired } from '@/features/shell/DomainRequired';
import { useResource } from '@/lib/use-resource';
import { useActiveDomain } from '@/store/active-domain';
import { ParameterInput, useChoices } from './ParameterInput';
import { collectValues, toInput, type ParameterInput as InputValue } from './parameters';
import { QuestionRunView } from './RunResult';
import { SaveQuestionDialog } from './SaveQuestionDialog';

/** One saved question: its parameters, its result, and (for who may) editing, deleting and scheduling it. */
export function QuestionPage() {
  const active = useActiveDomain();
  const { questionId = '' } = useParams();
  if (active) return <QuestionLoader key={`${active.id}/${questionId}`} domain={active} questionId={questionId} />;
  return (
    <>
      <PageHeader title="Question" />
      <DomainRequired
        empty={{ icon: Bookmark, title: 'Connect a CommCare domain to see its questions', description: 'Questions are saved per domain.' }}
        select={{ title: 'Select a domain to see this question', purpose: 'Saved questions belong to one CommCare project.' }}
      />
    </>
  );
}

function BackLink() {
  return (
    <Link to="/questions" className="mb-4 inline-flex items-center gap-1.5 text-sm text-muted-foreground hover:text-foreground">
      <ArrowLeft aria-hidden className="size-4" />
      All questions
    </Link>
  );
}

function QuestionLoader({ domain, questionId }: { domain: TenantSummary; questionId: string }) {
  const question = useResource(useCallback((signal: AbortSignal) => questionsApi.get(domain.id, questionId, { signal }), [domain.id, questionId]));
  if (question.status === 'loading') {
    return (
      <div role="status" aria-label="Loading the question" className="grid gap-4">
        <Skeleton className="h-8 w-64" />
        <Skeleton className="h-4 w-96 max-w-full" />
        <Skeleton className="h-64 rounded-xl" />
      </div>
    );
  }
  if (question.status === 'error') {
    return (
      <>
        <BackLink />
        {question.error.status === 404 ? (
          <EmptyState icon={SearchX} headingLevel={1} title="No such question" description={`It was deleted, or it belongs to another domain than ${domain.tenant_name}.`} />
        ) : (
          <>
            <PageHeader title="Question" />
            <LoadErrorAlert title="Couldn't load the question" error={question.error} onRetry={() => void question.reload()} />
          </>
        )}
      </>
    );
  }
  return <QuestionView domain={domain} initial={question.data} />;
}

type RunState = { status: 'idle' } | { status: 'running' } | { status: 'done'; run: QuestionRun; timingMs: number } | { status: 'failed'; error: ApiError };

/** Runs it once on opening when nothing has to be typed in first. */
const runsWithoutInput = (parameters: QuestionParameter[]) => parameters.every((parameter) => parameter.default !== undefined);

function QuestionView({ domain, initial }: { domain: TenantSummary; initial: Question }) {
  const navigate = useNavigate();
  const [question, setQuestion] = useState(initial);
  const [inputs, setInputs] = useState<Record<string, InputValue>>(() => Object.fromEntries(initial.parameters.map((p) => [p.name, toInput(p.type, p.default)])));
  const [inputErrors, setInputErrors] = useState<Record<string, string>>({});
  const runsAtOnce = runsWithoutInput(initial.parameters);
  const [state, setState] = useState<RunState>({ status: runsAtOnce ? 'running' : 'idle' });
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const controller = useRef<AbortController | null>(null);
  const questionOwner = useMemo(() => ({ kind: 'question' as const, id: initial.id }), [initial.id]);

  /** Runs it; a newer run (or leaving the page) aborts the one before, whose answer is then dropped. */
  const execute = useCallback(
    (values: Record<string, ParameterValue>) => {
      controller.current?.abort();
      const abort = new AbortController();
      controller.current = abort;
      const started = performance.now();
      questionsApi.run(domain.id, question.id, values, { signal: abort.signal }).then(
        (result) => setState({ status: 'done', run: result, timingMs: Math.round(performance.now() - started) }),
        (error: unknown) => {
          if (!abort.signal.aborted) setState({ status: 'failed', error: asApiError(error) });
        },
      );
      return abort;
    },
    [domain.id, question.id],
  );

  // Opening it runs it when nothing has to be typed in first (the state starts as running).
  useEffect(() => {
    if (!runsAtOnce) return;
    const abort = execute({});
    return () => abort.abort();
  }, [execute, runsAtOnce]);
  useEffect(() => () => controller.current?.abort(), []);

  function run(values: Record<string, ParameterValue>) {
    setState({ status: 'running' });
    execute(values);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const { values, errors } = collectValues(question.parameters, inputs);
    setInputErrors(errors);
    if (Object.keys(errors).length === 0) run(values);
  }

  return (
    <>
      <BackLink />
      <PageHeader
        title={question.title}
        description={question.description || undefined}
        actions={
          question.can.edit && (
            <>
              <Button variant="outline" size="sm" onClick={() => setEditing(true)}>
                <Pencil aria-hidden />
                Edit
              </Button>
              <Button variant="outline" size="sm" onClick={() => setDeleting(true)}>
                <Trash2 aria-hidden />
                Delete
              </Button>
            </>
          )
        }
        className="mb-4"
      />
      <div className="mb-6 flex flex-wrap items-start justify-between gap-x-6 gap-y-3">
        <p className="text-xs text-muted-foreground">Saved by {question.author.name ?? 'someone'} · {domain.tenant_name}</p>
        <ScheduleControl
          what="this question"
          delivery={<DeliveryControl membershipId={domain.id} owner={questionOwner} canEdit={question.can.schedule} canAutoPublish={domain.can['publications.auto']} />}
          schedule={question.schedule}
          canEdit={question.can.schedule}
          save={(input) => questionsApi.setSchedule(domain.id, question.id, input)}
          remove={() => questionsApi.removeSchedule(domain.id, question.id)}
          onChange={(schedule) => setQuestion((current) => ({ ...current, schedule }))}
          runNow={() => questionsApi.runScheduleNow(domain.id, question.id)}
          onRan={() => void questionsApi.get(domain.id, question.id).then(setQuestion, () => undefined)}
        />
      </div>

      <div className="grid gap-6">
        <form onSubmit={submit} noValidate className="grid gap-4 rounded-xl border bg-card p-4 shadow-sm" aria-label="Run the question">
          {question.parameters.length > 0 && (
            <div className="grid gap-4 sm:grid-cols-2">
              {question.parameters.map((parameter) => (
                <ParameterField
                  key={parameter.name}
                  membershipId={domain.id}
                  questionId={question.id}
                  parameter={parameter}
                  value={inputs[parameter.name] ?? toInput(parameter.type, undefined)}
                  error={inputErrors[parameter.name]}
                  onChange={(value) => setInputs((current) => ({ ...current, [parameter.name]: value }))}
                />
              ))}
            </div>
          )}
          <details className="text-sm">
            <summary className="cursor-pointer text-muted-foreground select-none">SQL</summary>
            <div className="mt-2">
              <SqlBlock sql={question.sql} />
            </div>
          </details>
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" loading={state.status === 'running'}>
              <Play aria-hidden />
              Run
            </Button>
            {state.status === 'done' && (
              <PublishButton
                size="default"
                source={{ kind: 'question', id: question.id }}
                makeDraft={() => ({ title: question.title, text: questionText(state.run, question.description), chart: state.run.spec, table: tableExcerpt(state.run) })}
              />
            )}
          </div>
        </form>

        <section aria-label="Result" className="grid min-w-0 gap-3">
          {state.status === 'idle' && <p className="rounded-md border border-dashed px-4 py-8 text-center text-sm text-muted-foreground">Fill in the values and press Run.</p>}
          {state.status === 'running' && <Skeleton role="status" aria-label="Running the question" className="h-72 rounded-xl" />}
          {state.status === 'failed' && (
            <Alert variant="destructive">
              <CircleAlert aria-hidden />
              <AlertTitle>Couldn't run the question</AlertTitle>
              <AlertDescription>
                <p className="break-words">{state.error.message}</p>
              </AlertDescription>
            </Alert>
          )}
          {state.status === 'done' && <QuestionRunView key={state.run.sql_executed + JSON.stringify(state.run.parameters)} run={state.run} domain={domain.tenant_id} timingMs={state.timingMs} membershipId={domain.id} />}
        </section>
      </div>

      <SaveQuestionDialog
        open={editing}
        onOpenChange={setEditing}
        membershipId={domain.id}
        questionId={question.id}
        draft={question}
        onSaved={(saved) => setQuestion(saved)}
      />
      <ConfirmDialog
        open={deleting}
        onOpenChange={setDeleting}
        title={`Delete “${question.title}”?`}
        description="Its schedule stops, and dashboard tiles showing it will say it is gone. This can't be undone."
        confirmLabel="Delete question"
        destructive
        onConfirm={async () => {
          await questionsApi.remove(domain.id, question.id);
          toast.success(`Deleted ${question.title}`);
          void navigate('/questions');
        }}
      />
    </>
  );
}

function ParameterField({ membershipId, questionId, parameter, value, error, onChange }: { membershipId: string; questionId: string; parameter: QuestionParameter; value: InputValue; error: string | undefined; onChange: (value: InputValue) => void }) {
  const id = `parameter-${parameter.name}`;
  const fixed = parameter.options?.values;
  const load = useCallback(
    (signal: AbortSignal) => questionsApi.parameterValues(membershipId, questionId, parameter.name, { signal }),
    [membershipId, questionId, parameter.name],
  );
  const fetched = useChoices(parameter.type === 'choice' && !fixed?.length ? load : null);
  const label = parameter.label || parameter.name;
  const fallback = parameter.default === undefined ? undefined : typeof parameter.default === 'object' ? `${parameter.default.from} – ${parameter.default.to}` : String(parameter.default);
  return (
    <div className="grid content-start gap-2">
      <Label htmlFor={id}>
        {label}
        {parameter.default === undefined && <span className="text-xs font-normal text-muted-foreground">required</span>}
      </Label>
      <ParameterInput id={id} type={parameter.type} label={label} value={value} onChange={onChange} choices={fixed?.length ? fixed : fetched} placeholder={fallback} invalid={Boolean(error)} />
      {error && <p className="text-sm text-destructive">{error}</p>}
    </div>
  );
}
