import { UserError } from './http';
import { parseTimestamp } from '../time';
import { trimBoth } from '../../src/shared/text';

/**
 * The v0.5 case and form APIs build an Elasticsearch query from the query
 * string (corehq/apps/api/es.py es_query_from_get_params): a few parameters
 * are "consumed" (date ranges, xmlns, case_id, ...) and every other one
 * becomes `term(<param>, <value lowercased>)`. So an unknown or misspelled
 * parameter is not ignored: it matches nothing (the indexes are not
 * dynamic), and a known field matches the way its mapping says (exact for
 * keywords, one analysed word for text fields).
 */

export type FieldKind = 'keyword' | 'text' | 'boolean' | 'date';

export interface EsField<P> {
  kind: FieldKind;
  /** Dates as microseconds; null when the document has no value. */
  get(probe: P): string | number | boolean | null | readonly string[];
}

/** A filter on one probe type, with the key that identifies its cached scan. */
export interface Term<P> {
  key: string;
  test: (probe: P) => boolean;
}

/** Elasticsearch rejected the query (a boolean or date term it cannot parse): HQ answers 500. */
export class EsQueryError extends Error {}

/** tastypie's and HQ's own parameters, never turned into filters (RESERVED_QUERY_PARAMS). */
const RESERVED = new Set(['limit', 'offset', 'order_by', 'q', 'api_key', 'username', 'format']);

/** The query as es_query_from_get_params sees it: QueryDict.items() keeps the last value of each key. */
export function filterParams(params: URLSearchParams): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of params) {
    if (RESERVED.has(key) || key.endsWith('__full')) continue;
    out.set(key, value);
  }
  return out;
}

/** Removes and returns a parameter (HQ's consumers pop what they handle). */
export function take(params: Map<string, string>, name: string): string | undefined {
  const value = params.get(name);
  params.delete(name);
  return value;
}

/** The standard analyser, closely enough: lowercase words of letters, digits and '_', keeping inner dots (openrosa.org). */
export function analysedTokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}_.]+/u)
    .map((token) => trimBoth(token, '.'))
    .filter((token) => token !== '');
}

const MAX_TERM = 2048;

/** `term(field, value)` against one document field; unknown fields match nothing. */
export function termOn<P>(name: string, field: EsField<P> | undefined, value: string): Term<P> {
  const key = `${name}=${value}`;
  if (!field || value.length > MAX_TERM) return { key, test: () => false };
  switch (field.kind) {
    case 'keyword':
      return {
        key,
        test: (probe) => {
          const actual = field.get(probe);
          return Array.isArray(actual) ? actual.includes(value) : actual !== null && String(actual) === value;
        },
      };
    case 'text':
      return {
        key,
        test: (probe) => {
          const actual = field.get(probe);
          return typeof actual === 'string' && analysedTokens(actual).includes(value);
        },
      };
    case 'boolean': {
      if (value !== 'true' && value !== 'false') throw new EsQueryError(`Can't parse boolean value [${value}], expected [true] or [false]`);
      const wanted = value === 'true';
      return { key, test: (probe) => field.get(probe) === wanted };
    }
    case 'date': {
      const parsed = parseTimestamp(value);
      if (!parsed) throw new EsQueryError(`failed to parse date field [${value}]`);
      // Elasticsearch keeps milliseconds.
      const ms = Math.floor(parsed.us / 1000);
      return { key, test: (probe) => typeof field.get(probe) === 'number' && Math.floor((field.get(probe) as number) / 1000) === ms };
    }
  }
}

/** An exact term on a consumed parameter (TermParam without `analyzed`: the value keeps its case). */
export function exactTerm<P>(name: string, get: (probe: P) => string | null | readonly string[], value: string): Term<P> {
  return termOn(name, { kind: 'keyword', get }, value);
}

// ---- dates ----

const DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DATE_TIME = /^(\d{4})-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,6}))?$/;
const LEGACY_MINUTES = /^(\d{4})-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d{1,2})Z$/;

/**
 * HQ's validate_date: strptime with `%Y-%m-%d`, `%Y-%m-%dT%H:%M:%S`,
 * `%Y-%m-%dT%H:%M:%S.%f` or the legacy `%Y-%m-%dT%H:%MZ`; naive values are UTC.
 * Anything else (an offset, a `Z` after seconds, a `+` that arrived as a
 * space) is 400 "Bad query parameter: Unknown date format: <value>".
 */
export function validateDate(value: string): number {
  const fail = () => new UserError(`Bad query parameter: Unknown date format: ${value}`);
  if (value.length > 40) throw fail();
  const date = DATE.exec(value);
  const dateTime = date ? null : DATE_TIME.exec(value);
  const match = date ?? dateTime ?? LEGACY_MINUTES.exec(value);
  if (!match) throw fail();
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = match.map((part) => part as string | undefined);
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const parsed = new Date(ms);
  // strptime refuses 2024-02-31 and 25:00; Date.UTC would roll them over.
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59 || parsed.getUTCDate() !== day || parsed.getUTCMonth() !== month - 1) throw fail();
  return ms * 1000 + Number((dateTime?.[7] ?? '').padEnd(6, '0'));
}

export interface RangeBounds {
  gte?: number;
  gt?: number;
  lte?: number;
  lt?: number;
}

/** DateRangeParams: `<param>_start` (>=) and `<param>_end` (<=) on an ES field; two params on one field both apply. */
export function takeRange(params: Map<string, string>, param: string, into: RangeBounds): void {
  const start = take(params, `${param}_start`);
  const end = take(params, `${param}_end`);
  if (start) into.gte = Math.max(into.gte ?? -Infinity, validateDate(start));
  if (end) into.lte = Math.min(into.lte ?? Infinity, validateDate(end));
}
