import type { Schedule, ScheduleEvery, ScheduleInput, Weekday } from '@shared/questions';

export interface ScheduleForm {
  every: ScheduleEvery;
  /** HH:MM; for "every hour" only its minutes count. */
  at: string;
  day: Weekday;
  timezone: string;
  /** Also after each completed sync of the domain (questions and dashboards). */
  afterSync: boolean;
}

/** The browser's own time zone, which a new schedule starts in. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** Every zone the browser knows, with `current` among them even when it doesn't (an old browser, a renamed zone). */
export function timeZones(current: string): string[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  const all = new Set(['UTC', ...zones]);
  all.add(current);
  return [...all].sort((a, b) => (a === 'UTC' ? -1 : b === 'UTC' ? 1 : a.localeCompare(b)));
}

/** The form for an existing schedule (a cron one opens as every day, its cron shown in the summary), or a new one. */
export function formFor(schedule: Schedule | null, fallbackZone = browserTimeZone()): ScheduleForm {
  return {
    every: schedule?.every ?? 'day',
    at: schedule?.at ?? '07:00',
    day: schedule?.day ?? 'mon',
    timezone: schedule?.timezone ?? fallbackZone,
    afterSync: schedule?.after_sync ?? false,
  };
}

/** What `PUT …/schedule` takes for the form. */
export function inputFor(form: ScheduleForm, offerAfterSync: boolean): ScheduleInput {
  const afterSync = offerAfterSync ? { after_sync: form.afterSync } : {};
  if (form.every === 'hour') return { every: 'hour', at: `00:${form.at.slice(3, 5) || '00'}`, timezone: form.timezone, ...afterSync };
  if (form.every === 'day') return { every: 'day', at: form.at, timezone: form.timezone, ...afterSync };
  return { every: 'week', at: form.at, day: form.day, timezone: form.timezone, ...afterSync };
}

export const WEEKDAY_LABELS: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};
