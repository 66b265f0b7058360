import type { Selectable } from 'kysely';
import type { Schedule, ScheduledRun } from '../../../shared/questions';
import type { ScheduleTable, ScheduledRunTable } from '../../platform/db/schema';

const DAY_NAMES: Record<string, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };

/** A schedule in words: "Every day at 07:00 (Africa/Nairobi)". */
export function describeSchedule(row: Pick<Selectable<ScheduleTable>, 'every' | 'at' | 'day' | 'cron' | 'timezone' | 'after_sync'>): string {
  const clock = describeClock(row);
  return row.after_sync ? `${clock}, and after each sync` : clock;
}

function describeClock(row: Pick<Selectable<ScheduleTable>, 'every' | 'at' | 'day' | 'cron' | 'timezone'>): string {
  const zone = ` (${row.timezone})`;
  if (row.cron) return `On the cron schedule ${row.cron}${zone}`;
  const at = row.at ?? '00:00';
  switch (row.every) {
    case 'hour':
      return `Every hour at :${at.slice(3)}${zone}`;
    case 'week':
      return `Every ${DAY_NAMES[row.day ?? 'mon']} at ${at}${zone}`;
    default:
      return `Every day at ${at}${zone}`;
  }
}

export function presentSchedule(row: Selectable<ScheduleTable>): Schedule {
  return {
    id: row.id,
    target: row.target,
    target_id: row.question_id ?? row.dashboard_id ?? null,
    every: row.every,
    at: row.at,
    day: row.day,
    cron: row.cron,
    timezone: row.timezone,
    after_sync: row.after_sync,
    summary: describeSchedule(row),
    state: row.state,
    reason: row.reason,
    next_run_at: row.state === 'paused' ? null : (row.next_run_at?.toISOString() ?? null),
    last_run_at: row.last_run_at?.toISOString() ?? null,
    last_status: row.last_status,
  };
}

export function presentRun(row: Pick<Selectable<ScheduledRunTable>, 'id' | 'schedule_id' | 'status' | 'started_at' | 'finished_at' | 'error'>): ScheduledRun {
  return {
    id: row.id,
    schedule_id: row.schedule_id ?? '',
    status: row.status,
    started_at: row.started_at.toISOString(),
    finished_at: row.finished_at.toISOString(),
    error: row.error,
  };
}
