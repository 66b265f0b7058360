import type { Kysely, Selectable } from 'kysely';
import type { DashboardData } from '../../../shared/questions';
import type { Database, DashboardShareTable, DashboardTable } from '../../platform/db/schema';
import { isUuid } from '../tenants/repo';

export type DashboardRow = Selectable<DashboardTable> & { author_name: string | null };

function dashboards(db: Kysely<Database>) {
  return db.selectFrom('dashboard as d').leftJoin('user as u', 'u.id', 'd.author_user_id').selectAll('d').select('u.name as author_name');
}

export async function findDashboard(db: Kysely<Database>, tenantId: string, id: string): Promise<DashboardRow | undefined> {
  if (!isUuid(id)) return undefined;
  return dashboards(db).where('d.tenant_id', '=', tenantId).where('d.id', '=', id).executeTakeFirst();
}

export function listDashboards(db: Kysely<Database>, tenantId: string, limit: number): Promise<DashboardRow[]> {
  return dashboards(db).where('d.tenant_id', '=', tenantId).orderBy('d.updated_at', 'desc').orderBy('d.id').limit(limit).execute();
}

/** The live (unrevoked, unexpired) share links of these dashboards. */
export async function liveShares(db: Kysely<Database>, ids: string[], now = new Date()): Promise<Map<string, Selectable<DashboardShareTable>>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('dashboard_share').selectAll().where('dashboard_id', 'in', ids).where('revoked_at', 'is', null).where('expires_at', '>', now).execute();
  return new Map(rows.map((row) => [row.dashboard_id, row]));
}

/**
 * The dashboard's last stored run a reader may see: one that read everything
 * (for a member CommCare shows everything), or one run as this very member.
 */
export async function latestStoredRun(
  db: Kysely<Database>,
  dashboardId: string,
  reader: { unrestricted: true } | { membershipId: string },
): Promise<{ result: DashboardData; finished_at: Date } | undefined> {
  let query = db.selectFrom('scheduled_run').select(['result', 'finished_at']).where('dashboard_id', '=', dashboardId).where('result', 'is not', null);
  query = 'membershipId' in reader ? query.where('restricted_to', '=', reader.membershipId) : query.where('restricted_to', 'is', null);
  const row = await query.orderBy('finished_at', 'desc').limit(1).executeTakeFirst();
  return row ? { result: row.result as DashboardData, finished_at: row.finished_at } : undefined;
}
