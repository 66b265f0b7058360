import type { MaterializationRun, RunMode, StartRunResponse, WarehouseSummary } from '@shared/warehouse';
import { api, type RequestOptions } from './client';

/** Every path is under the membership (`TenantSummary.id`), which the server checks belongs to the user. */
const tenantPath = (membershipId: string) => `/api/tenants/${encodeURIComponent(membershipId)}`;
const runPath = (membershipId: string, runId: string) =>
  `${tenantPath(membershipId)}/materializations/${encodeURIComponent(runId)}`;

/** A domain's copy of its CommCare data in Scout (its warehouse), and the syncs that fill it. */
export const warehouseApi = {
  /** What the Data page shows: the tables, the last sync, and the sync running now (if any). */
  summary: (membershipId: string, options?: RequestOptions) =>
    api.get<WarehouseSummary>(`${tenantPath(membershipId)}/warehouse`, options),

  /** Starts a sync; without a mode the server picks (incremental once a full run exists). */
  startRun: (membershipId: string, mode?: RunMode) =>
    api.post<StartRunResponse>(`${tenantPath(membershipId)}/materializations`, mode ? { mode } : {}),

  /** Newest first. */
  listRuns: (membershipId: string, options?: RequestOptions) =>
    api.get<MaterializationRun[]>(`${tenantPath(membershipId)}/materializations`, options),

  getRun: (membershipId: string, runId: string, options?: RequestOptions) =>
    api.get<MaterializationRun>(runPath(membershipId, runId), options),

  /** 409 when the run already finished. */
  cancelRun: (membershipId: string, runId: string) =>
    api.post<{ status: 'cancelling' }>(`${runPath(membershipId, runId)}/cancel`, {}),

  /** Server-sent `progress` events (`RunProgressEvent`), for an EventSource; same origin, so the session cookie goes along. */
  runEventsUrl: (membershipId: string, runId: string) => `${runPath(membershipId, runId)}/events`,
};
