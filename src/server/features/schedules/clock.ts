import { CronExpressionParser } from 'cron-parser';
import type { ScheduleEvery, Weekday } from '../../../shared/questions';

/** When schedules run: everything becomes a cron expression read in the schedule's time zone. */

const CRON_DAYS: Record<Weekday, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
/** A schedule runs at most this often: one tenant's schedules must not crowd the others' out. */
export const MIN_INTERVAL_MINUTES = 15;

export interface When {
  every: ScheduleEvery | null;
  at: string | null;
  day: Weekday | null;
  cron: string | null;
  timezone: string;
}

export function isTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** "07:30" → [7, 30], or undefined. */
export function parseTime(at: string): [number, number] | undefined {
  if (at.length !== 5 || at[2] !== ':') return undefined;
  const hours = Number(at.slice(0, 2));
  const minutes = Number(at.slice(3));
  if (!Number.isInteger(hours) || !Number.isInteger(minutes) || hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return undefined;
  return [hours, minutes];
}

export function cronOf(when: Omit<When, 'timezone'>): string {
  if (when.cron) return when.cron;
  const [hours, minutes] = parseTime(when.at ?? '00:00') ?? [0, 0];
  switch (when.every) {
    case 'hour':
      return `${minutes} * * * *`;
    case 'week':
      return `${minutes} ${hours} * * ${CRON_DAYS[when.day ?? 'mon']}`;
    default:
      return `${minutes} ${hours} * * *`;
  }
}

/** The first time after `after` the schedule runs. */
export function nextRun(when: When, after: Date): Date {
  return CronExpressionParser.parse(cronOf(when), { tz: when.timezone, currentDate: after }).next().toDate();
}

/** Why a cron expression can't be a schedule's, or undefined: five fields, and no more often than every MIN_INTERVAL_MINUTES. */
export function cronProblem(expression: string, timezone: string): string | undefined {
  const fields = expression.trim().split(' ').filter((field) => field !== '');
  if (fields.length !== 5) return 'write five fields: minute hour day-of-month month day-of-week';
  let iterator;
  try {
    iterator = CronExpressionParser.parse(expression, { tz: timezone, currentDate: new Date() });
  } catch (error) {
    return `not a cron expression (${(error as Error).message})`;
  }
  let previous = iterator.next().toDate().getTime();
  for (let i = 0; i < 50 && iterator.hasNext(); i++) {
    const next = iterator.next().toDate().getTime();
    if (next - previous < MIN_INTERVAL_MINUTES * 60_000) return `runs more often than every ${MIN_INTERVAL_MINUTES} minutes`;
    previous = next;
  }
  return undefined;
}
