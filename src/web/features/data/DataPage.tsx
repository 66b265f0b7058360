import type { TenantSummary } from '@shared/tenants';
import type { WarehouseSummary } from '@shared/warehouse';
import { Database, DatabaseZap, TimerOff } from 'lucide-react';
import { Fragment, type ReactNode } from 'react';
import type { ApiError } from '@/api/client';
import { LoadErrorAlert } from '@/components/load-error-alert';
import { PageHeader } from '@/components/page-header';
import { PageSection } from '@/components/page-section';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Skeleton } from '@/components/ui/skeleton';
import { formatDate } from '@/features/connections/format';
import { DomainRequired } from '@/features/shell/DomainRequired';
import { useNow } from '@/lib/use-now';
import { useActiveDomain } from '@/store/active-domain';
import { formatCount, formatRelativeTime } from './format';
import { HISTORY_LENGTH, RunHistory } from './RunHistory';
import { SqlConsole } from './SqlConsole';
import { SyncButton } from './SyncButton';
import { SyncFailedAlert } from './SyncFailedAlert';
import { SyncProgressCard } from './SyncProgressCard';
import { SyncSchedule } from './SyncSchedule';
import { useDomainWarehouse, useSync } from './use-sync';

const PAGE_TITLE = 'Data';

/** Data: the tables Scout has copied from the active domain, and syncing them with CommCare. */
export function DataPage() {
  const active = useActiveDomain();
  // Keyed on the domain: switching domain in the sidebar drops everything about
  // the previous one (its tables, its live sync) and loads the new one's.
  if (active) return <DomainData key={active.id} domain={active} />;
  return (
    <>
      <PageHeader title={PAGE_TITLE} description="The tables Scout has copied from your CommCare domains." />
      <NoActiveDomain />
    </>
  );
}

function NoActiveDomain() {
  return (
    <DomainRequired
      empty={{
        icon: Database,
        title: 'Connect a CommCare domain to see its data',
        description:
          "Scout copies a domain's cases and forms into tables here, one per case type and form, so you can see exactly what your questions are answered from.",
      }}
      select={{ title: 'Select a domain to see its data', purpose: 'Choose the CommCare project whose tables you want to see.' }}
    />
  );
}

/** Everything about one domain; one instance per domain (see the key above). */
function DomainData({ domain }: { domain: TenantSummary }) {
  const membershipId = domain.id;
  // One snapshot drives the header, the tables and the history (see useDomainWarehouse); the live run drives the progress card.
  const { summary, runs, reload } = useDomainWarehouse(membershipId);
  const sync = useSync({
    membershipId,
    domainName: domain.tenant_name,
    running: summary.data?.running ?? null,
    latestRun: runs.data?.[0] ?? null,
    onChanged: reload,
  });
  const busy = sync.starting || sync.activeRun !== null;
  const hasData = (summary.data?.tables.length ?? 0) > 0;

  return (
    <>
      <PageHeader
        title={PAGE_TITLE}
        description={<HeaderDescription domainName={domain.tenant_name} summary={summary.data} syncing={busy} />}
        actions={
          summary.status === 'ready' && (
            <SyncButton busy={busy} offerFullResync={summary.data.last_sync_at !== null} onSync={(mode) => void sync.start(mode)} />
          )
        }
      />
      <div className="grid gap-10">
        {summary.status === 'ready' && (
          <div className="-mt-6">
            <SyncSchedule domain={domain} />
          </div>
        )}
        {(sync.failure || sync.activeRun) && (
          <div className="grid gap-4">
            {sync.failure && (
              <SyncFailedAlert run={sync.failure} hasData={hasData} retrying={sync.starting} onRetry={() => void sync.start(sync.failure?.mode)} />
            )}
            {sync.activeRun && (
              <SyncProgressCard
                key={sync.activeRun.id}
                membershipId={membershipId}
                domainName={domain.tenant_name}
                run={sync.activeRun}
                onFinished={sync.finish}
              />
            )}
          </div>
        )}

        {summary.status === 'ready' && hasData ? (
          <SqlConsole membershipId={membershipId} domain={domain.tenant_id} tables={summary.data.tables} canSaveQuestions={domain.can['questions.create']} />
        ) : (
          <PageSection title="Tables" description={summary.data && describeTables(summary.data)}>
            {summary.status === 'loading' && <TablesSkeleton />}
            {summary.status === 'error' && <LoadError what="this domain's tables" error={summary.error} onRetry={summary.reload} />}
            {summary.status === 'ready' && <NoTables summary={summary.data} syncing={busy} />}
          </PageSection>
        )}

        {/* Before the first sync there is no history to show; the empty tables say what to do. */}
        {!(runs.status === 'ready' && runs.data.length === 0) && (
          <PageSection title="Sync history" description={`The last ${HISTORY_LENGTH} syncs of this domain, newest first.`}>
            {runs.status === 'loading' && <HistorySkeleton />}
            {runs.status === 'error' && <LoadError what="the sync history" error={runs.error} onRetry={runs.reload} />}
            {runs.status === 'ready' && <RunHistory runs={runs.data} activeRunId={sync.activeRun?.id ?? null} />}
          </PageSection>
        )}
      </div>
    </>
  );
}

function HeaderDescription({ domainName, summary, syncing }: { domainName: string; summary: WarehouseSummary | undefined; syncing: boolean }) {
  const now = useNow();
  const lastSync = summary?.last_sync_at;
  return (
    <>
      <span className="font-medium break-words text-foreground">{domainName}</span>
      {summary && (
        <>
          <span aria-hidden> · </span>
          <span className="sr-only">, </span>
          {lastSync ? (
            <>
              Last synced{' '}
              <time dateTime={lastSync} title={formatDate(lastSync, true)}>
                {formatRelativeTime(lastSync, now)}
              </time>
            </>
          ) : syncing ? (
            'First sync in progress'
          ) : (
            'Never synced'
          )}
          {syncing && lastSync && (
            <>
              <span aria-hidden> · </span>
              <span className="sr-only">, </span>
              Syncing now
            </>
          )}
        </>
      )}
    </>
  );
}

function describeTables({ tables }: WarehouseSummary): string | undefined {
  if (tables.length === 0) return undefined;
  const count = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;
  const tableCount = tables.filter((table) => table.kind === 'table').length;
  const viewCount = tables.length - tableCount;
  const parts = [count(tableCount, 'table', 'tables'), ...(viewCount > 0 ? [count(viewCount, 'view', 'views')] : [])];
  return `${parts.join(' and ')}. Open one to see its columns.`;
}

function NoTables({ summary, syncing }: { summary: WarehouseSummary; syncing: boolean }) {
  if (syncing) {
    return (
      <EmptyState
        icon={DatabaseZap}
        title="Copying this domain's data"
        description="Its tables will appear here as soon as the sync finishes."
      />
    );
  }
  if (summary.schema_state === 'expired' || summary.schema_state === 'teardown') {
    return (
      <EmptyState
        icon={TimerOff}
        title="This domain's data was cleared"
        description="Scout removes a domain's copy when nobody has used it for a while. Sync now to copy its cases and forms again."
      />
    );
  }
  return <EmptyState icon={Database} title="No data yet" description="Sync now to copy this domain's cases and forms into Scout." />;
}

function LoadError({ what, error, onRetry }: { what: string; error: ApiError; onRetry: () => Promise<void> }) {
  return (
    <LoadErrorAlert title={`Couldn't load ${what}`} error={error} onRetry={() => void onRetry()} />
  );
}

function TablesSkeleton() {
  return (
    <CardRowsSkeleton label="Loading tables" count={4}>
      <div className="flex items-start gap-3 px-4 py-3.5 sm:px-5">
        <Skeleton className="mt-0.5 size-4" />
        <div className="grid flex-1 gap-2">
          <Skeleton className="h-4 w-32" />
          <Skeleton className="h-3.5 w-full max-w-72" />
        </div>
        <Skeleton className="h-4 w-20" />
      </div>
    </CardRowsSkeleton>
  );
}

function HistorySkeleton() {
  return (
    <CardRowsSkeleton label="Loading sync history" count={2}>
      <div className="grid gap-2 px-4 py-3 sm:px-5">
        <div className="flex justify-between gap-4">
          <Skeleton className="h-5 w-40" />
          <Skeleton className="h-4 w-32" />
        </div>
        <Skeleton className="h-4 w-56" />
      </div>
    </CardRowsSkeleton>
  );
}

/** A list card's loading state: `count` copies of a placeholder row. */
function CardRowsSkeleton({ label, count, children }: { label: string; count: number; children: ReactNode }) {
  return (
    <Card role="status" aria-label={label} className="gap-0 divide-y py-0">
      {Array.from({ length: count }, (_, index) => (
        <Fragment key={index}>{children}</Fragment>
      ))}
    </Card>
  );
}
