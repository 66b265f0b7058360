/**
 * Timestamps are integer microseconds since the epoch: HQ's timestamps carry
 * microseconds, and keyset paging on `indexed_on` only works if the value a
 * client sends back compares exactly with the stored one.
 */

export const MICROS_PER_MS = 1000;
export const MICROS_PER_SECOND = 1_000_000;
export const MICROS_PER_DAY = 86_400 * MICROS_PER_SECOND;

const TWO_DIGITS: string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/** Date.toISOString was a fifth of serving time, so: days to civil date (Howard Hinnant's algorithm), by hand. */
function civilDate(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}`;
}

function isoSeconds(us: number): string {
  const seconds = Math.floor(us / MICROS_PER_SECOND);
  const days = Math.floor(seconds / 86_400);
  const inDay = seconds - days * 86_400;
  const hh = Math.floor(inDay / 3600);
  const mm = Math.floor((inDay % 3600) / 60);
  return `${civilDate(days)}T${TWO_DIGITS[hh]}:${TWO_DIGITS[mm]}:${TWO_DIGITS[inDay % 60]}`;
}

function micros(us: number): string {
  return String(((us % MICROS_PER_SECOND) + MICROS_PER_SECOND) % MICROS_PER_SECOND).padStart(6, '0');
}

/** `2024-01-31T09:15:02.123456Z`: case API v2 and form timestamps (HQ's json_format_datetime). */
export function formatUtc(us: number): string {
  return `${isoSeconds(us)}.${micros(us)}Z`;
}

/** `2024-01-31T09:15:02.123456`: case API v0.5 timestamps are naive (UTC without a marker). */
export function formatNaive(us: number): string {
  return `${isoSeconds(us)}.${micros(us)}`;
}

/** `2024-01-31`: date-valued case properties. */
export function formatDate(us: number): string {
  return isoSeconds(us).slice(0, 10);
}

export interface ParsedTimestamp {
  us: number;
  /** True when only a date was given (no time part). */
  dateOnly: boolean;
  /** True when the value carried a numeric UTC offset such as `+02:00` (a `Z` is not counted). */
  hasOffset: boolean;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Parses an ISO 8601 date or date-time (microsecond precision); null when it isn't one. */
export function parseTimestamp(value: string): ParsedTimestamp | null {
  const match = TIMESTAMP.exec(value.trim());
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  const h = Number(hour ?? 0);
  const mi = Number(minute ?? 0);
  const s = Number(second ?? 0);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 2024-02-31 over into March; HQ would reject it.
  if (new Date(ms).getUTCDate() !== d) return null;
  let us = ms * MICROS_PER_MS + Number((fraction ?? '').padEnd(6, '0') || 0);
  let hasOffset = false;
  if (zone && zone !== 'Z') {
    hasOffset = true;
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
    us -= sign * offsetMinutes * 60 * MICROS_PER_SECOND;
  }
  return { us, dateOnly: hour === undefined, hasOffset };
}
