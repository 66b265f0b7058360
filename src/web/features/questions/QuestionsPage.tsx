import type { Question } from '@shared/questions';
import type { TenantSummary } from '@shared/tenants';
import { Bookmark, CalendarClock, Search } from 'lucide-react';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { questionsApi } from '@/api/questions';
import { LoadErrorAlert } from '@/components/load-error-alert';
import { PageHeader } from '@/components/page-header';
import { SkeletonList } from '@/components/skeleton-list';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Input } from '@/components/ui/input';
import { formatDate } from '@/features/connections/format';
import { formatRelativeTime } from '@/features/data/format';
import { ScheduleStateBadge } from '@/features/schedules/ScheduleControl';
import { DomainRequired } from '@/features/shell/DomainRequired';
import { useNow } from '@/lib/use-now';
import { useResource } from '@/lib/use-resource';
import { useActiveDomain } from '@/store/active-domain';

const DESCRIPTION = 'Saved SQL with its chart and parameters: run again with new values, schedule, put on dashboards.';

/** Questions: the active domain's saved questions, searchable. */
export function QuestionsPage() {
  const active = useActiveDomain();
  return (
    <>
      <PageHeader title="Questions" description={DESCRIPTION} />
      {active ? (
        <QuestionList key={active.id} domain={active} />
      ) : (
        <DomainRequired
          empty={{ icon: Bookmark, title: 'Connect a CommCare domain to save questions', description: 'Questions are saved per domain, from the SQL console or a chat answer.' }}
          select={{ title: 'Select a domain to see its questions', purpose: 'Saved questions belong to one CommCare project.' }}
        />
      )}
    </>
  );
}

/** The search the list asks for, a moment after typing stops. */
function useSettled(value: string, delayMs = 250): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

function QuestionList({ domain }: { domain: TenantSummary }) {
  const [search, setSearch] = useState('');
  const term = useSettled(search.trim());
  const questions = useResource(useCallback((signal: AbortSignal) => questionsApi.list(domain.id, term ? { search: term } : {}, { signal }), [domain.id, term]));
  const now = useNow();

  return (
    <div className="grid gap-4">
      <div className="relative max-w-sm">
        <Search aria-hidden className="pointer-events-none absolute top-2.5 left-2.5 size-4 text-muted-foreground" />
        <Input type="search" value={search} onChange={(event) => setSearch(event.target.value)} placeholder="Search questions" aria-label="Search questions" className="pl-8" />
      </div>
      {questions.status === 'loading' && <SkeletonList label="Loading questions" count={3} itemClassName="h-20 rounded-xl" />}
      {questions.status === 'error' && <LoadErrorAlert title="Couldn't load the questions" error={questions.error} onRetry={() => void questions.reload()} />}
      {questions.status === 'ready' &&
        (questions.data.length === 0 ? (
          term ? (
            <p className="py-8 text-center text-sm text-muted-foreground">No question matches “{term}”.</p>
          ) : (
            <EmptyState
              icon={Bookmark}
              title="No saved questions yet"
              description="Run a query in the SQL console and press “Save as question”, or press Save under a chat answer's table or chart."
              action={
                <Button asChild variant="outline">
                  <Link to="/data">Open the SQL console</Link>
                </Button>
              }
            />
          )
        ) : (
          <ul className="grid gap-3" aria-label="Saved questions">
            {questions.data.map((question) => (
              <QuestionRow key={question.id} question={question} now={now} />
            ))}
          </ul>
        ))}
    </div>
  );
}

function QuestionRow({ question, now }: { question: Question; now: number }) {
  return (
    <li className="relative grid gap-1 rounded-xl border bg-card px-4 py-3 shadow-sm transition-colors hover:bg-accent/40 sm:px-5">
      <Link to={`/questions/${question.id}`} className="font-medium break-words after:absolute after:inset-0 after:content-[''] focus-visible:outline-none focus-visible:after:rounded-xl focus-visible:after:ring-[3px] focus-visible:after:ring-ring/50">
        {question.title}
      </Link>
      {question.description && <p className="line-clamp-2 text-sm text-muted-foreground">{question.description}</p>}
      <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted-foreground">
        <span>{question.author.name ?? 'Someone'}</span>
        <span>
          Updated{' '}
          <time dateTime={question.updated_at} title={formatDate(question.updated_at, true)}>
            {formatRelativeTime(question.updated_at, now)}
          </time>
        </span>
        {question.parameters.length > 0 && <span>{question.parameters.length === 1 ? '1 parameter' : `${question.parameters.length} parameters`}</span>}
        {question.schedule && (
          <span className="flex items-center gap-1.5">
            <CalendarClock aria-hidden className="size-3.5" />
            {question.schedule.summary}
            {question.schedule.state !== 'active' && <ScheduleStateBadge schedule={question.schedule} />}
          </span>
        )}
      </p>
    </li>
  );
}
