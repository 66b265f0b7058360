import type { Schedule } from '@shared/questions';
import type { TenantSummary } from '@shared/tenants';
import { useCallback, useState } from 'react';
import { warehouseScheduleApi } from '@/api/dashboards';
import { Skeleton } from '@/components/ui/skeleton';
import { ScheduleControl } from '@/features/schedules/ScheduleControl';
import { useResource } from '@/lib/use-resource';

/** When Scout syncs the domain by itself: its schedule in words, and (for owners and admins) setting it. */
export function SyncSchedule({ domain }: { domain: TenantSummary }) {
  const loaded = useResource(useCallback((signal: AbortSignal) => warehouseScheduleApi.get(domain.id, { signal }), [domain.id]));
  // What the dialog changed, over what was loaded.
  const [changed, setChanged] = useState<{ schedule: Schedule | null } | null>(null);
  if (loaded.status === 'loading') return <Skeleton role="status" aria-label="Loading the sync schedule" className="h-8 w-64" />;
  if (loaded.status === 'error') return <p className="text-sm text-muted-foreground">Couldn't load the sync schedule: {loaded.error.message}</p>;
  return (
    <ScheduleControl
      what={`the sync of ${domain.tenant_name}`}
      schedule={changed ? changed.schedule : loaded.data}
      canEdit={domain.can['warehouse.schedule']}
      offerAfterSync={false}
      save={(input) => warehouseScheduleApi.set(domain.id, input)}
      remove={() => warehouseScheduleApi.remove(domain.id)}
      onChange={(schedule) => setChanged({ schedule })}
    />
  );
}
