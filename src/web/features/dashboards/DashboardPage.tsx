import type { Dashboard, DashboardData, DashboardFilter, DashboardTile, ParameterValue, TileResult } from '@shared/questions';
import type { TenantSummary } from '@shared/tenants';
import { ArrowLeft, LayoutDashboard, Maximize, Minimize, Pencil, Plus, RefreshCw, SearchX, SlidersHorizontal, Trash2, X } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { toast } from 'sonner';
import { ApiError, asApiError } from '@/api/client';
import { dashboardsApi } from '@/api/dashboards';
import { questionsApi } from '@/api/questions';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { DocumentTitle } from '@/components/document-title';
import { FormErrorAlert } from '@/components/form-error-alert';
import { LoadErrorAlert } from '@/components/load-error-alert';
import { PageHeader } from '@/components/page-header';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Input } from '@/components/ui/input';
import { Skeleton } from '@/components/ui/skeleton';
import { formatDate } from '@/features/connections/format';
import { formatRelativeTime } from '@/features/data/format';
import { dashboardText, tableExcerpt } from '@/features/publications/compose';
import { PublishButton, type ComposeDraft } from '@/features/publications/PublishDialog';
import { PARAMETER_TYPE_LABELS } from '@/features/questions/parameters';
import { DeliveryControl } from '@/features/schedules/DeliveryControl';
import { ScheduleControl } from '@/features/schedules/ScheduleControl';
import { DomainRequired } from '@/features/shell/DomainRequired';
import { cn } from '@/lib/cn';
import { useNow } from '@/lib/use-now';
import { useResource } from '@/lib/use-resource';
import { useActiveDomain } from '@/store/active-domain';
import { applyLayout, defaultFilterValues, newTileId, nextTileLayout, readingOrder, sameFilterValues } from './dashboard-model';
import { DashboardGrid } from './DashboardGrid';
import { FilterBar } from './FilterBar';
import { ShareControl } from './ShareControl';
import { FilterDialog, TileDialog, type TileSettings } from './TileDialogs';
import { TileView, type TileData } from './TileView';

/** One dashboard: its tiles on a grid, the filter bar, and (for who may) editing, scheduling and sharing it. */
export function DashboardPage() {
  const active = useActiveDomain();
  const { dashboardId = '' } = useParams();
  if (active) return <DashboardLoader key={`${active.id}/${dashboardId}`} domain={active} dashboardId={dashboardId} />;
  return (
    <>
      <PageHeader title="Dashboard" />
      <DomainRequired
        empty={{ icon: LayoutDashboard, title: 'Connect a CommCare domain to see its dashboards', description: 'Dashboards are made per domain, from its saved questions.' }}
        select={{ title: 'Select a domain to see this dashboard', purpose: 'Dashboards belong to one CommCare project.' }}
      />
    </>
  );
}

function BackLink() {
  return (
    <Link to="/dashboards" className="mb-4 inline-flex items-center gap-1.5 text-sm text-muted-foreground hover:text-foreground">
      <ArrowLeft aria-hidden className="size-4" />
      All dashboards
    </Link>
  );
}

function DashboardLoader({ domain, dashboardId }: { domain: TenantSummary; dashboardId: string }) {
  const dashboard = useResource(useCallback((signal: AbortSignal) => dashboardsApi.get(domain.id, dashboardId, { signal }), [domain.id, dashboardId]));
  if (dashboard.status === 'loading') {
    return (
      <div role="status" aria-label="Loading the dashboard" className="grid gap-4">
        <Skeleton className="h-8 w-64" />
        <div className="grid gap-3 sm:grid-cols-2">
          <Skeleton className="h-64 rounded-xl" />
          <Skeleton className="h-64 rounded-xl" />
        </div>
      </div>
    );
  }
  if (dashboard.status === 'error') {
    return (
      <>
        <BackLink />
        {dashboard.error.status === 404 ? (
          <EmptyState icon={SearchX} headingLevel={1} title="No such dashboard" description={`It was deleted, or it belongs to another domain than ${domain.tenant_name}.`} />
        ) : (
          <>
            <PageHeader title="Dashboard" />
            <LoadErrorAlert title="Couldn't load the dashboard" error={dashboard.error} onRetry={() => void dashboard.reload()} />
          </>
        )}
      </>
    );
  }
  return <DashboardView domain={domain} initial={dashboard.data} />;
}

interface Draft {
  title: string;
  tiles: DashboardTile[];
  filters: DashboardFilter[];
}

type Editing = { kind: 'tile'; tile: DashboardTile | null } | { kind: 'filter'; filter: DashboardFilter | null } | null;

/** Runs a question (tiles that aren't notes). */
const runsQuestion = (tile: DashboardTile) => tile.kind !== 'text';

/** The values for `filters`: those still meaningful kept, new filters at their defaults. */
function valuesFor(filters: readonly DashboardFilter[], current: Readonly<Record<string, ParameterValue>>): Record<string, ParameterValue> {
  const values = defaultFilterValues(filters);
  for (const filter of filters) if (current[filter.name] !== undefined) values[filter.name] = current[filter.name]!;
  return values;
}

function DashboardView({ domain, initial }: { domain: TenantSummary; initial: Dashboard }) {
  const membershipId = domain.id;
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const [dashboard, setDashboard] = useState(initial);
  const [draft, setDraft] = useState<Draft | null>(() => (searchParams.get('edit') && initial.can.edit ? { title: initial.title, tiles: initial.tiles, filters: initial.filters } : null));
  const [dialog, setDialog] = useState<Editing>(null);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [filterValues, setFilterValues] = useState(() => defaultFilterValues(initial.filters));
  const [tileData, setTileData] = useState<Record<string, TileData>>({});
  const [ran, setRan] = useState<Pick<DashboardData, 'ran_at' | 'source'> | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [loadingAll, setLoadingAll] = useState(false);
  const questions = useResource(useCallback((signal: AbortSignal) => questionsApi.list(membershipId, {}, { signal }), [membershipId]));
  const whole = useRef<AbortController | null>(null);
  const dashboardOwner = useMemo(() => ({ kind: 'dashboard' as const, id: initial.id }), [initial.id]);
  const now = useNow();

  const editing = draft !== null;
  const tiles = draft?.tiles ?? dashboard.tiles;
  const filters = draft?.filters ?? dashboard.filters;
  const questionTitles = useMemo(() => new Map((questions.data ?? []).map((q) => [q.id, q.title])), [questions.data]);
  const titleOf = (tile: DashboardTile) => tile.title || (tile.question_id && questionTitles.get(tile.question_id)) || (tile.kind === 'text' ? 'Note' : 'Untitled tile');

  // Drop the ?edit=1 a new dashboard opens with, so a reload shows it as saved.
  useEffect(() => {
    if (searchParams.has('edit')) setSearchParams({}, { replace: true });
  }, [searchParams, setSearchParams]);

  const show = useCallback((data: DashboardData) => {
    setTileData(Object.fromEntries(data.tiles.map((result) => [result.tile_id, { status: 'ready', result } satisfies TileData])));
    setRan({ ran_at: data.ran_at, source: data.source });
    setLoadError(null);
  }, []);

  /** Every tile's result now; a tile keeps its last result on screen until the new one lands. */
  const loadLive = useCallback(
    async (values: Record<string, ParameterValue>, on: readonly DashboardTile[]) => {
      whole.current?.abort();
      const abort = new AbortController();
      whole.current = abort;
      setLoadingAll(true);
      setTileData((current) => Object.fromEntries(on.filter(runsQuestion).map((tile) => [tile.id, { status: 'loading', previous: previousResult(current[tile.id]) } satisfies TileData])));
      try {
        show(await dashboardsApi.liveData(membershipId, initial.id, values, { signal: abort.signal }));
      } catch (error) {
        if (abort.signal.aborted) return;
        const apiError = asApiError(error);
        setLoadError(apiError);
        setTileData((current) => Object.fromEntries(Object.entries(current).map(([id, data]) => [id, data.status === 'loading' ? failed(id, apiError) : data])));
      } finally {
        if (whole.current === abort) setLoadingAll(false);
      }
    },
    [membershipId, initial.id, show],
  );

  // Opening: the last scheduled run first (instant, and says how old it is); live when there is none or it ran with other filters.
  useEffect(() => {
    const abort = new AbortController();
    whole.current = abort;
    const values = defaultFilterValues(initial.filters);
    const questionTiles = initial.tiles.filter(runsQuestion);
    if (questionTiles.length === 0) return;
    setTileData(Object.fromEntries(questionTiles.map((tile) => [tile.id, { status: 'loading' } satisfies TileData])));
    dashboardsApi.storedData(membershipId, initial.id, { signal: abort.signal }).then(
      (stored) => {
        if (abort.signal.aborted) return;
        if (sameFilterValues(stored.filters, values) && questionTiles.every((tile) => stored.tiles.some((t) => t.tile_id === tile.id))) show(stored);
        else void loadLive(values, initial.tiles);
      },
      () => {
        if (!abort.signal.aborted) void loadLive(values, initial.tiles);
      },
    );
    return () => {
      abort.abort();
      whole.current?.abort();
    };
  }, [membershipId, initial, show, loadLive]);

  async function refreshTile(tile: DashboardTile) {
    setTileData((current) => ({ ...current, [tile.id]: { status: 'loading', previous: previousResult(current[tile.id]) } }));
    try {
      const result = await dashboardsApi.tileData(membershipId, dashboard.id, tile.id, filterValues);
      setTileData((current) => ({ ...current, [tile.id]: { status: 'ready', result } }));
    } catch (error) {
      setTileData((current) => ({ ...current, [tile.id]: failed(tile.id, asApiError(error)) }));
    }
  }

  function applyFilters(values: Record<string, ParameterValue>) {
    setFilterValues(values);
    void loadLive(values, dashboard.tiles);
  }

  function startEditing() {
    setSaveError(null);
    setDraft({ title: dashboard.title, tiles: dashboard.tiles, filters: dashboard.filters });
  }

  async function save() {
    if (!draft) return;
    if (!draft.title.trim()) return setSaveError(new ApiError({ status: 400, code: 'VALIDATION_ERROR', message: 'Give the dashboard a title.' }));
    setSaving(true);
    setSaveError(null);
    try {
      const saved = await dashboardsApi.update(membershipId, dashboard.id, { title: draft.title.trim(), tiles: draft.tiles, filters: draft.filters });
      setDashboard(saved);
      setDraft(null);
      toast.success(`Saved ${saved.title}`);
      const values = valuesFor(saved.filters, filterValues);
      setFilterValues(values);
      if (saved.tiles.some(runsQuestion)) void loadLive(values, saved.tiles);
    } catch (error) {
      setSaveError(asApiError(error));
    } finally {
      setSaving(false);
    }
  }

  const changeDraft = (change: (draft: Draft) => Draft) => setDraft((current) => (current ? change(current) : current));

  function saveTile(settings: TileSettings, existing: DashboardTile | null) {
    changeDraft((current) => {
      if (existing) return { ...current, tiles: current.tiles.map((tile) => (tile.id === existing.id ? { id: tile.id, layout: tile.layout, ...settings } : tile)) };
      const size = settings.kind === 'number' ? { w: 3, h: 4 } : settings.kind === 'text' ? { w: 4, h: 4 } : { w: 6, h: 8 };
      return { ...current, tiles: [...current.tiles, { id: newTileId(current.tiles), layout: nextTileLayout(current.tiles, size.w, size.h), ...settings }] };
    });
    // A tile added or changed has no result for its new settings until the dashboard is saved.
    if (settings.kind !== 'text') setTileData((current) => (existing ? { ...current, [existing.id]: { status: 'none' } } : current));
  }

  function saveFilter(filter: DashboardFilter, existing: DashboardFilter | null) {
    changeDraft((current) => ({
      ...current,
      filters: existing ? current.filters.map((f) => (f.name === existing.name ? filter : f)) : [...current.filters, filter],
    }));
  }

  function removeFilter(filter: DashboardFilter) {
    changeDraft((current) => ({
      ...current,
      filters: current.filters.filter((f) => f.name !== filter.name),
      // A filter gone reaches no tile.
      tiles: current.tiles.map((tile) => {
        if (!tile.filters || !(filter.name in tile.filters)) return tile;
        const { [filter.name]: _gone, ...rest } = tile.filters;
        return { ...tile, filters: rest };
      }),
    }));
  }

  return (
    <>
      <DocumentTitle>{dashboard.title}</DocumentTitle>
      <BackLink />
      <header className="mb-4 flex flex-wrap items-start justify-between gap-4">
        <div className="grid min-w-0 gap-1">
          {editing ? (
            <Input aria-label="Dashboard title" value={draft.title} onChange={(event) => changeDraft((current) => ({ ...current, title: event.target.value }))} className="h-10 text-xl font-semibold md:text-xl" />
          ) : (
            <h1 className="text-2xl font-semibold tracking-tight break-words">{dashboard.title}</h1>
          )}
          {dashboard.description && !editing && <p className="text-sm text-muted-foreground">{dashboard.description}</p>}
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {editing ? (
            <>
              <Button variant="outline" size="sm" onClick={() => setDialog({ kind: 'tile', tile: null })}>
                <Plus aria-hidden />
                Add tile
              </Button>
              <Button variant="outline" size="sm" onClick={() => setDialog({ kind: 'filter', filter: null })}>
                <SlidersHorizontal aria-hidden />
                Add filter
              </Button>
              <Button variant="ghost" size="sm" onClick={() => setDraft(null)} disabled={saving}>
                Cancel
              </Button>
              <Button size="sm" onClick={() => void save()} loading={saving}>
                Save dashboard
              </Button>
            </>
          ) : (
            <>
              <PublishButton source={{ kind: 'dashboard', id: dashboard.id }} makeDraft={() => dashboardDraft(dashboard, tileData, titleOf)} />
              {dashboard.can.edit && (
                <>
                  <Button variant="outline" size="sm" onClick={startEditing}>
                    <Pencil aria-hidden />
                    Edit
                  </Button>
                  <Button variant="ghost" size="icon" className="size-8" aria-label="Delete dashboard" onClick={() => setDeleting(true)}>
                    <Trash2 aria-hidden />
                  </Button>
                </>
              )}
            </>
          )}
        </div>
      </header>

      {!editing && (
        <div className="mb-4 grid gap-3 sm:flex sm:flex-wrap sm:items-start sm:justify-between">
          <ScheduleControl
            what="this dashboard"
            delivery={<DeliveryControl membershipId={membershipId} owner={dashboardOwner} canEdit={dashboard.can.schedule} canAutoPublish={domain.can['publications.auto']} />}
            schedule={dashboard.schedule}
            canEdit={dashboard.can.schedule}
            save={(input) => dashboardsApi.setSchedule(membershipId, dashboard.id, input)}
            remove={() => dashboardsApi.removeSchedule(membershipId, dashboard.id)}
            onChange={(schedule) => setDashboard((current) => ({ ...current, schedule }))}
            runNow={() => dashboardsApi.runScheduleNow(membershipId, dashboard.id)}
            onRan={() => {
              void dashboardsApi.get(membershipId, dashboard.id).then(setDashboard, () => undefined);
              void dashboardsApi.storedData(membershipId, dashboard.id).then((stored) => sameFilterValues(stored.filters, filterValues) && show(stored), () => undefined);
            }}
          />
          {dashboard.can.share && <ShareControl membershipId={membershipId} dashboardId={dashboard.id} share={dashboard.share} onChange={(share) => setDashboard((current) => ({ ...current, share }))} />}
        </div>
      )}

      {saveError && (
        <div className="mb-4">
          <FormErrorAlert error={saveError} />
        </div>
      )}

      {editing && (
        <section aria-label="Filters on the bar" className="mb-4 grid gap-2 rounded-xl border border-dashed p-3">
          <h2 className="text-sm font-medium">Filters</h2>
          {draft.filters.length === 0 ? (
            <p className="text-sm text-muted-foreground">No filters. Add one to let viewers narrow every tile at once, a date range say.</p>
          ) : (
            <ul className="flex flex-wrap gap-2">
              {draft.filters.map((filter) => (
                <li key={filter.name} className="flex items-center gap-1 rounded-md border bg-card py-0.5 pr-0.5 pl-2.5 text-sm">
                  <span>{filter.label || filter.name}</span>
                  <span className="text-xs text-muted-foreground">{PARAMETER_TYPE_LABELS[filter.type]}</span>
                  <Button variant="ghost" size="icon" className="size-7" aria-label={`Edit filter ${filter.label || filter.name}`} onClick={() => setDialog({ kind: 'filter', filter })}>
                    <Pencil aria-hidden />
                  </Button>
                  <Button variant="ghost" size="icon" className="size-7" aria-label={`Remove filter ${filter.label || filter.name}`} onClick={() => removeFilter(filter)}>
                    <X aria-hidden />
                  </Button>
                </li>
              ))}
            </ul>
          )}
          <p className="text-xs text-muted-foreground">Drag a tile by its header, resize it from its corner. Edit a tile to choose which of its question’s parameters each filter sets.</p>
        </section>
      )}

      {!editing && filters.length > 0 && (
        <div className="mb-4">
          <FilterBar key={JSON.stringify([filters, filterValues])} filters={filters} values={filterValues} onApply={applyFilters} busy={loadingAll} />
        </div>
      )}

      {loadError && !editing && (
        <Alert variant="destructive" className="mb-4">
          <AlertTitle>Couldn't refresh the dashboard</AlertTitle>
          <AlertDescription>
            <p>{loadError.message}</p>
            <Button variant="outline" size="sm" className="mt-2" onClick={() => void loadLive(filterValues, dashboard.tiles)}>
              Try again
            </Button>
          </AlertDescription>
        </Alert>
      )}

      {tiles.length === 0 ? (
        <EmptyState
          icon={LayoutDashboard}
          title="No tiles yet"
          description={dashboard.can.edit ? 'Add saved questions as charts, tables or big numbers, and notes to explain them.' : 'Whoever made this dashboard hasn’t added anything to it yet.'}
          action={
            dashboard.can.edit && (
              <Button
                onClick={() => {
                  if (!editing) startEditing();
                  setDialog({ kind: 'tile', tile: null });
                }}
              >
                <Plus aria-hidden />
                Add a tile
              </Button>
            )
          }
        />
      ) : (
        <FullscreenFrame
          title={dashboard.title}
          allowed={!editing}
          status={
            !editing && (
              <RefreshedLine ran={ran} now={now} loading={loadingAll} onRefresh={() => void loadLive(filterValues, dashboard.tiles)} />
            )
          }
        >
          <DashboardGrid
            tiles={tiles}
            editing={editing}
            onLayoutChange={(layout) => changeDraft((current) => ({ ...current, tiles: applyLayout(current.tiles, layout) }))}
            renderTile={(tile, heightPx) => (
              <TileView
                tile={tile}
                title={titleOf(tile)}
                data={tile.kind === 'text' ? { status: 'none' } : (tileData[tile.id] ?? { status: 'none' })}
                heightPx={heightPx}
                editing={editing}
                onRefresh={runsQuestion(tile) && tileData[tile.id] ? () => void refreshTile(tile) : undefined}
                onEdit={() => setDialog({ kind: 'tile', tile })}
                onRemove={() => changeDraft((current) => ({ ...current, tiles: current.tiles.filter((t) => t.id !== tile.id) }))}
              />
            )}
          />
        </FullscreenFrame>
      )}

      <TileDialog
        open={dialog?.kind === 'tile'}
        onOpenChange={(open) => !open && setDialog(null)}
        tile={dialog?.kind === 'tile' ? dialog.tile : null}
        questions={questions.data}
        filters={filters}
        onSave={(settings) => saveTile(settings, dialog?.kind === 'tile' ? dialog.tile : null)}
      />
      <FilterDialog
        open={dialog?.kind === 'filter'}
        onOpenChange={(open) => !open && setDialog(null)}
        filter={dialog?.kind === 'filter' ? dialog.filter : null}
        takenNames={filters.filter((f) => !(dialog?.kind === 'filter' && dialog.filter?.name === f.name)).map((f) => f.name)}
        onSave={(filter) => saveFilter(filter, dialog?.kind === 'filter' ? dialog.filter : null)}
      />
      <ConfirmDialog
        open={deleting}
        onOpenChange={setDeleting}
        title={`Delete “${dashboard.title}”?`}
        description="Its schedule stops and its share link stops working. The saved questions on it stay. This can't be undone."
        confirmLabel="Delete dashboard"
        destructive
        onConfirm={async () => {
          await dashboardsApi.remove(membershipId, dashboard.id);
          toast.success(`Deleted ${dashboard.title}`);
          void navigate('/dashboards');
        }}
      />
    </>
  );
}

/**
 * What "Publish" starts from: the dashboard's title and big numbers as they
 * are on screen, the first chart tile's chart and the first table's rows.
 */
function dashboardDraft(dashboard: Dashboard, tileData: Record<string, TileData>, titleOf: (tile: DashboardTile) => string): ComposeDraft {
  const tiles = readingOrder(dashboard.tiles).map((tile) => {
    const data = tileData[tile.id];
    const run = data?.status === 'ready' && data.result.status === 'ok' ? data.result.run : undefined;
    return { tile, run };
  });
  const charted = tiles.find(({ tile, run }) => tile.kind === 'question' && tile.display !== 'table' && run?.spec);
  const tabled = tiles.find(({ tile, run }) => tile.kind === 'question' && run && run.rows.length > 0);
  return {
    title: dashboard.title,
    text: dashboardText(dashboard.description, tiles.map(({ tile, run }) => ({ title: titleOf(tile), kind: tile.kind, result: run }))),
    chart: charted?.run?.spec ?? null,
    table: tabled?.run ? tableExcerpt(tabled.run) : null,
  };
}

function previousResult(data: TileData | undefined): TileResult | undefined {
  if (data?.status === 'ready') return data.result;
  if (data?.status === 'loading') return data.previous;
  return undefined;
}

/** A tile whose request failed as a whole reads like a tile that failed on the server. */
function failed(tileId: string, error: ApiError): TileData {
  return { status: 'ready', result: { tile_id: tileId, status: 'error', error: { code: error.code, message: error.message }, timing_ms: 0 } };
}

function RefreshedLine({ ran, now, loading, onRefresh }: { ran: Pick<DashboardData, 'ran_at' | 'source'> | null; now: number; loading: boolean; onRefresh: () => void }) {
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm text-muted-foreground">
      <p role="status" aria-live="polite">
        {loading ? (
          'Refreshing…'
        ) : ran ? (
          <>
            Last refreshed{' '}
            <time dateTime={ran.ran_at} title={formatDate(ran.ran_at, true)}>
              {formatRelativeTime(ran.ran_at, now)}
            </time>
            {ran.source === 'stored' && ' from the scheduled run'}
          </>
        ) : null}
      </p>
      <Button variant="ghost" size="sm" onClick={onRefresh} disabled={loading}>
        <RefreshCw aria-hidden className={cn(loading && 'animate-spin')} />
        Refresh
      </Button>
    </div>
  );
}

/** The grid, with a button that shows it alone on the screen (the Fullscreen API): for a wall display or a meeting. */
function FullscreenFrame({ title, allowed, status, children }: { title: string; allowed: boolean; status: ReactNode; children: ReactNode }) {
  const frame = useRef<HTMLDivElement>(null);
  const [full, setFull] = useState(false);
  const supported = typeof document !== 'undefined' && document.fullscreenEnabled;

  useEffect(() => {
    const changed = () => setFull(document.fullscreenElement === frame.current && frame.current !== null);
    document.addEventListener('fullscreenchange', changed);
    return () => document.removeEventListener('fullscreenchange', changed);
  }, []);

  function toggle() {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void frame.current?.requestFullscreen().catch(() => toast.error("This browser wouldn't go full screen."));
  }

  return (
    <div ref={frame} className={cn('grid min-w-0 content-start gap-3', full && 'overflow-auto bg-background p-6')} data-fullscreen={full || undefined}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        {full ? <h2 className="text-xl font-semibold tracking-tight">{title}</h2> : <span />}
        <div className="flex flex-wrap items-center gap-2">
          {status}
          {allowed && supported && (
            <Button variant="outline" size="sm" onClick={toggle}>
              {full ? <Minimize aria-hidden /> : <Maximize aria-hidden />}
              {full ? 'Exit full screen' : 'Full screen'}
            </Button>
          )}
        </div>
      </div>
      {children}
    </div>
  );
}
