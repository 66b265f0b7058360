import type { Selectable } from 'kysely';
import type { Question } from '../../../shared/questions';
import type { ScheduleTable } from '../../platform/db/schema';
import type { MembershipRow } from '../tenants/repo';
import { presentSchedule } from '../schedules/presenter';
import { canEdit } from './policy';
import type { QuestionRow } from './repo';

export function presentQuestion(row: QuestionRow, viewer: Pick<MembershipRow, 'role' | 'user_id'>, schedule?: Selectable<ScheduleTable>): Question {
  const editable = canEdit(viewer, row.author_user_id);
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    sql: row.sql,
    parameters: row.parameters,
    chart: row.chart,
    author: { user_id: row.author_user_id ?? '', name: row.author_name },
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    can: { edit: editable, schedule: editable },
    schedule: schedule ? presentSchedule(schedule) : null,
  };
}
