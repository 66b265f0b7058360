import type { ChartConfig } from '@shared/charts/types';
import type { Question, QuestionParameter } from '@shared/questions';
import { Bookmark, Check, X } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { asApiError, type ApiError } from '@/api/client';
import { questionsApi } from '@/api/questions';
import { FormErrorAlert } from '@/components/form-error-alert';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/spinner';
import { SqlBlock } from './SqlBlock';

/** What the agent's `save_question` tool proposes; nothing is saved until the user says so. */
export interface QuestionProposal {
  title: string;
  description?: string;
  sql: string;
  parameters?: QuestionParameter[];
  chart?: ChartConfig | null;
}

/** The tool's answer, bare or in the tools' envelope: `{status: "needs_confirmation", draft}`. */
export function proposalOf(output: unknown): QuestionProposal | null {
  let value = output as { success?: unknown; data?: unknown; status?: unknown; draft?: unknown } | null;
  if (value && typeof value === 'object' && value.success === true && typeof value.data === 'object') value = value.data as typeof value;
  if (!value || typeof value !== 'object' || value.status !== 'needs_confirmation') return null;
  const draft = value.draft as Partial<QuestionProposal> | undefined;
  if (!draft || typeof draft.sql !== 'string') return null;
  return { ...draft, title: typeof draft.title === 'string' ? draft.title : '', sql: draft.sql };
}

type CardState = { step: 'asking' } | { step: 'saving' } | { step: 'failed'; error: ApiError } | { step: 'saved'; question: Question } | { step: 'discarded' };

/** "Save this question?": the agent's draft, saved or discarded by the user. */
export function SaveQuestionCard({ proposal, membershipId }: { proposal: QuestionProposal; membershipId: string }) {
  const [state, setState] = useState<CardState>({ step: 'asking' });

  // A reloaded thread finds the question its card saved before (same title and SQL) instead of asking again.
  useEffect(() => {
    let current = true;
    const title = proposal.title || 'Untitled question';
    questionsApi
      .list(membershipId, { search: title })
      .then((questions) => {
        const saved = questions.find((q) => q.title === title && q.sql === proposal.sql);
        if (current && saved) setState((now) => (now.step === 'asking' ? { step: 'saved', question: saved } : now));
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [membershipId, proposal.title, proposal.sql]);

  async function save() {
    setState({ step: 'saving' });
    try {
      const question = await questionsApi.create(membershipId, {
        title: proposal.title || 'Untitled question',
        description: proposal.description ?? '',
        sql: proposal.sql,
        parameters: proposal.parameters ?? [],
        chart: proposal.chart ?? null,
      });
      setState({ step: 'saved', question });
    } catch (error) {
      setState({ step: 'failed', error: asApiError(error) });
    }
  }

  const heading = state.step === 'saved' ? 'Saved' : state.step === 'discarded' ? 'Not saved' : 'Save this question?';
  return (
    <section className="grid gap-3 rounded-lg border bg-card px-3 py-3 text-card-foreground" aria-label={heading} data-tool="save_question">
      <div className="flex items-start gap-2">
        <Bookmark aria-hidden className="mt-0.5 size-4 shrink-0 text-muted-foreground" />
        <div className="grid min-w-0 flex-1 gap-0.5">
          <h3 className="text-sm font-medium">{heading}</h3>
          <p className="text-sm break-words">{proposal.title || 'Untitled question'}</p>
          {proposal.description && <p className="text-sm text-muted-foreground">{proposal.description}</p>}
        </div>
      </div>
      <SqlBlock sql={proposal.sql} />
      {state.step === 'failed' && <FormErrorAlert error={state.error} />}
      {state.step === 'saved' && (
        <p className="flex items-center gap-2 text-sm" role="status">
          <Check aria-hidden className="size-4 text-emerald-600" />
          <Link to={`/questions/${state.question.id}`} className="font-medium underline underline-offset-4">
            Open “{state.question.title}”
          </Link>
        </p>
      )}
      {state.step === 'discarded' && (
        <p className="flex items-center gap-2 text-sm text-muted-foreground" role="status">
          <X aria-hidden className="size-4" />
          Nothing was saved.
        </p>
      )}
      {(state.step === 'asking' || state.step === 'saving' || state.step === 'failed') && (
        <div className="flex flex-wrap gap-2">
          <Button size="sm" onClick={() => void save()} disabled={state.step === 'saving'}>
            {state.step === 'saving' ? <Spinner /> : <Check aria-hidden />}
            Save
          </Button>
          <Button size="sm" variant="outline" onClick={() => setState({ step: 'discarded' })} disabled={state.step === 'saving'}>
            Discard
          </Button>
        </div>
      )}
    </section>
  );
}
