import type {
  Dashboard,
  DashboardData,
  DashboardFilter,
  DashboardTile,
  ParameterValue,
  Schedule,
  ScheduledRun,
  ScheduleInput,
  ShareLink,
  SharedDashboard,
  TileResult,
} from '@shared/questions';
import { api, type RequestOptions } from './client';

export type { Dashboard, DashboardData, DashboardFilter, DashboardTile, SharedDashboard, ShareLink, TileResult };

export interface DashboardInput {
  title: string;
  description?: string;
  tiles?: DashboardTile[];
  filters?: DashboardFilter[];
}

const tenantPath = (membershipId: string) => `/api/tenants/${encodeURIComponent(membershipId)}`;
const dashboardsPath = (membershipId: string) => `${tenantPath(membershipId)}/dashboards`;
const dashboardPath = (membershipId: string, id: string) => `${dashboardsPath(membershipId)}/${encodeURIComponent(id)}`;

/**
 * Filter values as the data endpoints read them: `filter.<name>=value`, and
 * for a date range `filter.<name>.from` / `filter.<name>.to`. Filters without
 * a value are left out (the tiles then use their own defaults).
 */
export function filterParams(values: Readonly<Record<string, ParameterValue | undefined>>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === '') continue;
    if (typeof value === 'object') {
      params.set(`filter.${name}.from`, value.from);
      params.set(`filter.${name}.to`, value.to);
    } else {
      params.set(`filter.${name}`, String(value));
    }
  }
  return params;
}

function withQuery(path: string, params: URLSearchParams): string {
  return params.size > 0 ? `${path}?${params.toString()}` : path;
}

/** Dashboards of a domain: tiles of saved questions and notes, a filter bar, a schedule and a share link. */
export const dashboardsApi = {
  list: (membershipId: string, options?: RequestOptions) => api.get<Dashboard[]>(dashboardsPath(membershipId), options),

  get: (membershipId: string, id: string, options?: RequestOptions) => api.get<Dashboard>(dashboardPath(membershipId, id), options),

  create: (membershipId: string, input: DashboardInput) => api.post<Dashboard>(dashboardsPath(membershipId), input),

  /** `tiles` and `filters` replace the dashboard's wholesale. */
  update: (membershipId: string, id: string, patch: Partial<DashboardInput>) => api.patch<Dashboard>(dashboardPath(membershipId, id), patch),

  remove: (membershipId: string, id: string) => api.delete<undefined>(dashboardPath(membershipId, id)),

  /** Every tile's result of the last scheduled run; 404 (ApiError) when it never ran. */
  storedData: (membershipId: string, id: string, options?: RequestOptions) =>
    api.get<DashboardData>(`${dashboardPath(membershipId, id)}/data?source=stored`, options),

  /** Every tile run now with these filter values; each tile succeeds or fails on its own. */
  liveData: (membershipId: string, id: string, filters: Record<string, ParameterValue | undefined>, options?: RequestOptions) =>
    api.get<DashboardData>(withQuery(`${dashboardPath(membershipId, id)}/data`, filterParams(filters)), options),

  /** One tile run again (its refresh button). */
  tileData: (membershipId: string, id: string, tileId: string, filters: Record<string, ParameterValue | undefined>, options?: RequestOptions) =>
    api.get<TileResult>(withQuery(`${dashboardPath(membershipId, id)}/tiles/${encodeURIComponent(tileId)}/data`, filterParams(filters)), options),

  setSchedule: (membershipId: string, id: string, input: ScheduleInput) => api.put<Schedule>(`${dashboardPath(membershipId, id)}/schedule`, input),

  removeSchedule: (membershipId: string, id: string) => api.delete<undefined>(`${dashboardPath(membershipId, id)}/schedule`),

  /** Runs the schedule now; its results become what `storedData` and a share link show. */
  runScheduleNow: (membershipId: string, id: string) => api.post<ScheduledRun>(`${dashboardPath(membershipId, id)}/schedule/run`, {}),

  /** A new link (replacing any other); its `url` is in this answer only. */
  share: (membershipId: string, id: string, days?: number) => api.post<ShareLink>(`${dashboardPath(membershipId, id)}/share`, days ? { days } : {}),

  unshare: (membershipId: string, id: string) => api.delete<undefined>(`${dashboardPath(membershipId, id)}/share`),

  /** Signed out: what a share link shows; 404 once it expired or was revoked. */
  shared: (token: string, options?: RequestOptions) => api.get<SharedDashboard>(`/api/shared/${encodeURIComponent(token)}`, options),
};

/** The domain's sync schedule (copying its data from CommCare). */
export const warehouseScheduleApi = {
  get: (membershipId: string, options?: RequestOptions) => api.get<Schedule | null>(`${tenantPath(membershipId)}/warehouse/schedule`, options),
  set: (membershipId: string, input: ScheduleInput) => api.put<Schedule>(`${tenantPath(membershipId)}/warehouse/schedule`, input),
  remove: (membershipId: string) => api.delete<undefined>(`${tenantPath(membershipId)}/warehouse/schedule`),
};
