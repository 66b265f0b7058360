import type { Dashboard } from '@shared/questions';
import type { TenantSummary } from '@shared/tenants';
import { CalendarClock, LayoutDashboard, Link2, Plus } from 'lucide-react';
import { useCallback, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { asApiError, type ApiError } from '@/api/client';
import { dashboardsApi } from '@/api/dashboards';
import { FormErrorAlert } from '@/components/form-error-alert';
import { LoadErrorAlert } from '@/components/load-error-alert';
import { PageHeader } from '@/components/page-header';
import { SkeletonList } from '@/components/skeleton-list';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { Textarea } from '@/components/ui/textarea';
import { formatDate } from '@/features/connections/format';
import { formatRelativeTime } from '@/features/data/format';
import { ScheduleStateBadge } from '@/features/schedules/ScheduleControl';
import { DomainRequired } from '@/features/shell/DomainRequired';
import { useNow } from '@/lib/use-now';
import { useResource } from '@/lib/use-resource';
import { useActiveDomain } from '@/store/active-domain';

const DESCRIPTION = 'Saved questions side by side, with filters, a schedule that keeps them fresh, and a link to share them.';

/** Dashboards: the active domain's dashboards, and making a new one. */
export function DashboardsPage() {
  const active = useActiveDomain();
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader
        title="Dashboards"
        description={DESCRIPTION}
        actions={
          active && (
            <Button onClick={() => setCreating(true)}>
              <Plus aria-hidden />
              New dashboard
            </Button>
          )
        }
      />
      {active ? (
        <>
          <DashboardList key={active.id} domain={active} onCreate={() => setCreating(true)} />
          <NewDashboardDialog key={`new-${active.id}`} open={creating} onOpenChange={setCreating} membershipId={active.id} />
        </>
      ) : (
        <DomainRequired
          empty={{ icon: LayoutDashboard, title: 'Connect a CommCare domain to make dashboards', description: 'Dashboards put a domain’s saved questions side by side.' }}
          select={{ title: 'Select a domain to see its dashboards', purpose: 'Dashboards belong to one CommCare project.' }}
        />
      )}
    </>
  );
}

function DashboardList({ domain, onCreate }: { domain: TenantSummary; onCreate: () => void }) {
  const dashboards = useResource(useCallback((signal: AbortSignal) => dashboardsApi.list(domain.id, { signal }), [domain.id]));
  const now = useNow();
  if (dashboards.status === 'loading') return <SkeletonList label="Loading dashboards" count={3} itemClassName="h-28 rounded-xl" className="grid gap-3 sm:grid-cols-2" />;
  if (dashboards.status === 'error') return <LoadErrorAlert title="Couldn't load the dashboards" error={dashboards.error} onRetry={() => void dashboards.reload()} />;
  if (dashboards.data.length === 0) {
    return (
      <EmptyState
        icon={LayoutDashboard}
        title="No dashboards yet"
        description="Make one, then add saved questions to it as charts, tables and big numbers."
        action={<Button onClick={onCreate}>New dashboard</Button>}
      />
    );
  }
  return (
    <ul className="grid gap-3 sm:grid-cols-2" aria-label="Dashboards">
      {dashboards.data.map((dashboard) => (
        <DashboardCard key={dashboard.id} dashboard={dashboard} now={now} />
      ))}
    </ul>
  );
}

function DashboardCard({ dashboard, now }: { dashboard: Dashboard; now: number }) {
  const tiles = dashboard.tiles.length;
  return (
    <li className="relative grid content-start gap-1.5 rounded-xl border bg-card px-4 py-3 shadow-sm transition-colors hover:bg-accent/40">
      <Link to={`/dashboards/${dashboard.id}`} className="font-medium break-words after:absolute after:inset-0 after:content-[''] focus-visible:outline-none focus-visible:after:rounded-xl focus-visible:after:ring-[3px] focus-visible:after:ring-ring/50">
        {dashboard.title}
      </Link>
      {dashboard.description && <p className="line-clamp-2 text-sm text-muted-foreground">{dashboard.description}</p>}
      <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted-foreground">
        <span>{tiles === 1 ? '1 tile' : `${tiles} tiles`}</span>
        <span>{dashboard.author.name ?? 'Someone'}</span>
        <span>
          Updated <time dateTime={dashboard.updated_at} title={formatDate(dashboard.updated_at, true)}>{formatRelativeTime(dashboard.updated_at, now)}</time>
        </span>
        {dashboard.schedule && (
          <span className="flex items-center gap-1.5">
            <CalendarClock aria-hidden className="size-3.5" />
            {dashboard.schedule.summary}
            {dashboard.schedule.state !== 'active' && <ScheduleStateBadge schedule={dashboard.schedule} />}
          </span>
        )}
        {dashboard.share && (
          <span className="flex items-center gap-1.5">
            <Link2 aria-hidden className="size-3.5" />
            Shared
          </span>
        )}
      </p>
    </li>
  );
}

function NewDashboardDialog({ open, onOpenChange, membershipId }: { open: boolean; onOpenChange: (open: boolean) => void; membershipId: string }) {
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [titleError, setTitleError] = useState<string[] | undefined>();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!title.trim()) return setTitleError(['Give the dashboard a title']);
    setTitleError(undefined);
    setBusy(true);
    setError(null);
    try {
      const created = await dashboardsApi.create(membershipId, { title: title.trim(), description: description.trim(), tiles: [], filters: [] });
      onOpenChange(false);
      // It opens ready to have tiles added.
      void navigate(`/dashboards/${created.id}?edit=1`);
    } catch (caught) {
      const apiError = asApiError(caught);
      if (apiError.fields.title) setTitleError(apiError.fields.title);
      else setError(apiError);
      setBusy(false);
    }
  }

  return (
    <Dialog open={open} onOpenChange={(next) => !busy && onOpenChange(next)}>
      <DialogContent>
        <form noValidate onSubmit={(event) => void submit(event)} className="grid gap-4">
          <DialogHeader>
            <DialogTitle>New dashboard</DialogTitle>
            <DialogDescription>Give it a name; you add its tiles next.</DialogDescription>
          </DialogHeader>
          <FormField label="Title" errors={titleError}>
            <Input value={title} onChange={(event) => setTitle(event.target.value)} placeholder="Weekly field report" autoFocus />
          </FormField>
          <FormField label="Description" hint="Optional.">
            <Textarea value={description} onChange={(event) => setDescription(event.target.value)} rows={2} />
          </FormField>
          {error && <FormErrorAlert error={error} />}
          <DialogFooter>
            <Button variant="outline" onClick={() => onOpenChange(false)} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Create dashboard
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
