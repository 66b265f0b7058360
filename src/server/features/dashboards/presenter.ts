import type { Selectable } from 'kysely';
import type { Dashboard } from '../../../shared/questions';
import type { DashboardShareTable, ScheduleTable } from '../../platform/db/schema';
import { can } from '../../platform/permissions';
import { canEdit } from '../questions/policy';
import { presentSchedule } from '../schedules/presenter';
import type { MembershipRow } from '../tenants/repo';
import type { DashboardRow } from './repo';

export function presentDashboard(
  row: DashboardRow,
  viewer: Pick<MembershipRow, 'role' | 'user_id'>,
  extra: { schedule?: Selectable<ScheduleTable> | undefined; share?: Selectable<DashboardShareTable> | undefined } = {},
): Dashboard {
  const editable = canEdit(viewer, row.author_user_id);
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    tiles: row.tiles,
    filters: row.filters,
    author: { user_id: row.author_user_id ?? '', name: row.author_name },
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    can: { edit: editable, schedule: editable, share: can(viewer, 'dashboards.share') },
    schedule: extra.schedule ? presentSchedule(extra.schedule) : null,
    share: extra.share ? { id: extra.share.id, created_at: extra.share.created_at.toISOString(), expires_at: extra.share.expires_at.toISOString() } : null,
  };
}
