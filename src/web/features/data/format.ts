import type { RunMode } from '@shared/warehouse';

const COUNT = new Intl.NumberFormat();
const RELATIVE = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "12,345" in the reader's locale. */
export function formatCount(value: number): string {
  return COUNT.format(value);
}

/** "1 row", "12,345 rows". */
export function formatRows(value: number): string {
  return `${formatCount(value)} ${value === 1 ? 'row' : 'rows'}`;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const RELATIVE_UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * DAY],
  ['month', 30 * DAY],
  ['week', 7 * DAY],
  ['day', DAY],
  ['hour', HOUR],
  ['minute', MINUTE],
];

/** "just now", "5 minutes ago", "yesterday": how long before `now` the moment `iso` was. */
export function formatRelativeTime(iso: string, now: number): string {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  // A clock a little behind the server's would otherwise say "in 3 seconds".
  const elapsed = Math.max(now - then, 0);
  if (elapsed < 45 * SECOND) return 'just now';
  for (const [unit, size] of RELATIVE_UNITS) {
    if (elapsed >= size) return RELATIVE.format(-Math.round(elapsed / size), unit);
  }
  return RELATIVE.format(-Math.max(Math.round(elapsed / MINUTE), 1), 'minute');
}

/** "under 1 s", "12 s", "2 min 5 s", "1 h 3 min". */
export function formatDuration(ms: number): string {
  if (ms < SECOND) return 'under 1 s';
  const seconds = Math.round(ms / SECOND);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

/** A rough remaining time, said as roughly as it is known: "about 2 min left". */
export function formatTimeLeft(seconds: number): string {
  if (seconds < 10) return 'a few seconds left';
  if (seconds < 60) return 'less than a minute left';
  if (seconds < 90 * 60) return `about ${Math.max(Math.round(seconds / 60), 1)} min left`;
  return `about ${Math.round(seconds / 3600)} h left`;
}

/** "Full sync", "Incremental sync". */
export function modeLabel(mode: RunMode): string {
  return mode === 'full' ? 'Full sync' : 'Incremental sync';
}
