import type { DashboardTile, SharedDashboard } from '@shared/questions';
import { LinkIcon } from 'lucide-react';
import { useCallback, useMemo } from 'react';
import { useParams } from 'react-router';
import { dashboardsApi } from '@/api/dashboards';
import { DocumentTitle } from '@/components/document-title';
import { LoadErrorAlert } from '@/components/load-error-alert';
import { ScoutWordmark } from '@/components/scout-wordmark';
import { EmptyState } from '@/components/ui/empty-state';
import { Skeleton } from '@/components/ui/skeleton';
import { formatDate } from '@/features/connections/format';
import { useResource } from '@/lib/use-resource';
import { DashboardGrid } from './DashboardGrid';
import { TileView, type TileData } from './TileView';

/** A dashboard shared by link, signed out: its tiles where they were laid out, with the last scheduled run's results. Read-only. */
export function SharedDashboardPage() {
  const { token = '' } = useParams();
  const shared = useResource(useCallback((signal: AbortSignal) => dashboardsApi.shared(token, { signal }), [token]));
  return (
    <div className="min-h-svh bg-background">
      {/* A share link's page stays out of search engines (the server says so in its headers too). */}
      <meta name="robots" content="noindex, nofollow" />
      <header className="flex h-14 items-center border-b px-4 md:px-10">
        <ScoutWordmark />
      </header>
      <main id="main" className="mx-auto w-full max-w-6xl px-4 py-6 md:px-10 md:py-10">
        {shared.status === 'loading' && (
          <div role="status" aria-label="Loading the dashboard" className="grid gap-4">
            <Skeleton className="h-8 w-64" />
            <Skeleton className="h-64 rounded-xl" />
          </div>
        )}
        {shared.status === 'error' &&
          (shared.error.status === 404 ? (
            <>
              <DocumentTitle>Link expired</DocumentTitle>
              <EmptyState icon={LinkIcon} headingLevel={1} title="This link has expired or was revoked" description="Ask whoever sent it for a new one." />
            </>
          ) : (
            <>
              <DocumentTitle>Shared dashboard</DocumentTitle>
              <h1 className="sr-only">Shared dashboard</h1>
              <LoadErrorAlert title="Couldn't load the dashboard" error={shared.error} onRetry={() => void shared.reload()} />
            </>
          ))}
        {shared.status === 'ready' && <SharedView dashboard={shared.data} />}
      </main>
    </div>
  );
}

function SharedView({ dashboard }: { dashboard: SharedDashboard }) {
  const results = useMemo(() => new Map((dashboard.data?.tiles ?? []).map((result) => [result.tile_id, result])), [dashboard.data]);
  const dataOf = (tile: DashboardTile): TileData => {
    if (tile.kind === 'text') return { status: 'none' };
    const result = results.get(tile.id);
    return result
      ? { status: 'ready', result }
      : { status: 'ready', result: { tile_id: tile.id, status: 'error', error: { code: 'NOT_RUN', message: 'No results yet: this dashboard hasn’t had a scheduled run.' }, timing_ms: 0 } };
  };
  const filters = Object.entries(dashboard.filters);
  return (
    <>
      <DocumentTitle>{dashboard.title}</DocumentTitle>
      <header className="mb-6 grid gap-1">
        <h1 className="text-2xl font-semibold tracking-tight break-words">{dashboard.title}</h1>
        {dashboard.description && <p className="text-sm text-muted-foreground">{dashboard.description}</p>}
        <p className="text-sm text-muted-foreground">
          {dashboard.data ? (
            <>
              Data as of <time dateTime={dashboard.data.ran_at}>{formatDate(dashboard.data.ran_at, true)}</time>
            </>
          ) : (
            'No data yet'
          )}
          {filters.length > 0 && <> · {filters.map(([name, value]) => `${name}: ${typeof value === 'object' ? `${value.from} – ${value.to}` : String(value)}`).join(', ')}</>}
        </p>
      </header>
      {dashboard.tiles.length === 0 ? (
        <EmptyState icon={LinkIcon} title="Nothing on this dashboard yet" description="Its tiles will show here once they are added." />
      ) : (
        <DashboardGrid tiles={dashboard.tiles} editing={false} renderTile={(tile, heightPx) => <TileView tile={tile} title={tile.title || (tile.kind === 'text' ? 'Note' : 'Untitled tile')} data={dataOf(tile)} heightPx={heightPx} />} />
      )}
      <p className="mt-8 text-center text-xs text-muted-foreground">Shared read-only from Scout · link valid until {formatDate(dashboard.expires_at)}</p>
    </>
  );
}
