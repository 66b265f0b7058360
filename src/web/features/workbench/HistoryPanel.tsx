import { Play, Search, Star } from 'lucide-react';
import { useCallback, useDeferredValue, useEffect, useId, useState } from 'react';
import { toast } from 'sonner';
import { asApiError } from '@/api/client';
import { queryHistoryApi, type HistoryEntry } from '@/api/query-history';
import { Input } from '@/components/ui/input';
import { Skeleton } from '@/components/ui/skeleton';
import { formatCount, formatRelativeTime, formatRows } from '@/features/data/format';
import { cn } from '@/lib/cn';
import { useNow } from '@/lib/use-now';
import { useResource } from '@/lib/use-resource';

const HISTORY_LIMIT = 50;

interface HistoryPanelProps {
  membershipId: string;
  /** Changes after each run, so the list picks it up. */
  version: number;
  /** Loads the query into the editor and runs it. */
  onRerun: (sql: string) => void;
}

/** The SQL this member ran in the domain (here, in chat, in exports), newest first with starred ones on top: search, run again, star. */
export function HistoryPanel({ membershipId, version, onRerun }: HistoryPanelProps) {
  const searchId = useId();
  const [search, setSearch] = useState('');
  const deferredSearch = useDeferredValue(search.trim());
  const load = useCallback(
    (signal: AbortSignal) => queryHistoryApi.list(membershipId, { search: deferredSearch, limit: HISTORY_LIMIT }, { signal }),
    [membershipId, deferredSearch],
  );
  const history = useResource(load);
  const { reload } = history;
  // `version` moves after a run: the new entry shows without a new search.
  useEffect(() => {
    if (version > 0) void reload();
  }, [version, reload]);

  async function toggleStar(entry: HistoryEntry) {
    try {
      if (entry.star_id) await queryHistoryApi.unstar(membershipId, entry.star_id);
      else await queryHistoryApi.star(membershipId, entry.sql);
      await reload();
    } catch (error) {
      toast.error(asApiError(error).message);
    }
  }

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2">
      <div className="relative px-3">
        <Search aria-hidden className="pointer-events-none absolute top-1/2 left-5.5 size-4 -translate-y-1/2 text-muted-foreground" />
        <label htmlFor={searchId} className="sr-only">
          Search your queries
        </label>
        <Input id={searchId} type="search" value={search} onChange={(event) => setSearch(event.target.value)} placeholder="Search your queries" className="h-8 pl-8" />
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto">
        {history.status === 'loading' && (
          <div role="status" aria-label="Loading your queries" className="grid gap-3 px-3 py-2">
            <Skeleton className="h-10 w-full" />
            <Skeleton className="h-10 w-full" />
          </div>
        )}
        {history.status === 'error' && <p className="px-4 py-6 text-center text-sm text-muted-foreground">Couldn't load your queries: {history.error.message}</p>}
        {history.status === 'ready' &&
          (history.data.length === 0 ? (
            <p className="px-4 py-6 text-center text-sm text-muted-foreground">
              {deferredSearch ? `None of your queries contains “${deferredSearch}”.` : 'Queries you run here or in chat show up here.'}
            </p>
          ) : (
            <ul className="divide-y" aria-label="Your queries, newest first">
              {history.data.map((entry) => (
                <li key={`${entry.star_id ?? ''}:${entry.sql}`}>
                  <HistoryItem entry={entry} onRerun={() => onRerun(entry.sql)} onToggleStar={() => void toggleStar(entry)} />
                </li>
              ))}
            </ul>
          ))}
      </div>
    </div>
  );
}

function HistoryItem({ entry, onRerun, onToggleStar }: { entry: HistoryEntry; onRerun: () => void; onToggleStar: () => void }) {
  const now = useNow();
  const starred = entry.star_id !== null;
  const failed = entry.last_outcome !== null && entry.last_outcome !== 'success';
  const summary = entry.sql.replace(/\s+/g, ' ').trim();
  return (
    <div className="grid gap-1 px-3 py-2">
      <pre className="line-clamp-3 font-mono text-xs break-words whitespace-pre-wrap text-foreground" title={entry.sql}>
        {entry.sql.trim()}
      </pre>
      <div className="flex items-center gap-1">
        <p className="min-w-0 flex-1 truncate text-xs text-muted-foreground">
          {entry.last_run_at ? (
            <time dateTime={entry.last_run_at}>{formatRelativeTime(entry.last_run_at, now)}</time>
          ) : (
            'Starred'
          )}
          {entry.runs > 1 && <> · {formatCount(entry.runs)} runs</>}
          {failed ? <span className="text-destructive"> · failed</span> : entry.last_rows !== null && <> · {formatRows(entry.last_rows)}</>}
        </p>
        <button
          type="button"
          onClick={onToggleStar}
          aria-pressed={starred}
          aria-label={`Star: ${summary.slice(0, 60)}`}
          title={starred ? 'Unstar' : 'Star to keep it on top'}
          className="flex size-7 items-center justify-center rounded-md text-muted-foreground outline-none hover:bg-accent hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50"
        >
          <Star aria-hidden className={cn('size-4', starred && 'fill-amber-400 text-amber-500')} />
        </button>
        <button
          type="button"
          onClick={onRerun}
          aria-label={`Run again: ${summary.slice(0, 60)}`}
          title="Load into the editor and run"
          className="flex h-7 items-center gap-1 rounded-md px-2 text-xs font-medium text-muted-foreground outline-none hover:bg-accent hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50"
        >
          <Play aria-hidden className="size-3.5" />
          Run
        </button>
      </div>
    </div>
  );
}
