import { literal } from '../../../platform/db/sql';

/**
 * Column types of the typed views and the safe casts that produce them.
 *
 * A cast never fails on a bad value: every typed column is
 * `CASE WHEN <value matches the type's pattern> THEN value::type END`, and the
 * patterns accept only strings PostgreSQL is sure to convert (dates are checked
 * for month lengths and leap years, numbers for length), so a malformed value
 * reads as NULL instead of making the whole query fail.
 */

export type ColumnKind = 'text' | 'numeric' | 'date' | 'timestamptz' | 'boolean' | 'jsonb';

/** Kinds whose values are strings we cast, and so check against the data first. */
export type CastKind = Exclude<ColumnKind, 'text' | 'jsonb'>;

export function isCastKind(kind: ColumnKind): kind is CastKind {
  return kind !== 'text' && kind !== 'jsonb';
}

// Only years 1000-9999: PostgreSQL rejects year 0, and CommCare never writes others.
const YEAR = '[1-9][0-9]{3}';
const LEAP_YEAR = '(?:[1-9][0-9](?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)';
const MONTH_DAY = '(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))';
const DATE = `(?:${YEAR}-${MONTH_DAY}|${LEAP_YEAR}-02-29)`;
const TIME = '(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:[.][0-9]{1,9})?)?';
const ZONE = '(?:Z|[+-](?:0[0-9]|1[0-5])(?::?[0-5][0-9])?)';

export const PATTERNS: Record<CastKind, string> = {
  numeric: '^[+-]?(?:[0-9]+(?:[.][0-9]*)?|[.][0-9]+)$',
  date: `^${DATE}$`,
  timestamptz: `^${DATE}[T ]${TIME}${ZONE}?$`,
  boolean: '^(?:yes|no|true|false)$',
};

/** Longest number we cast: far below numeric's limits, far above any real answer. */
const MAX_NUMERIC_LENGTH = 300;

/** SQL that is true when the text expression `value` converts cleanly to `kind`. */
export function validSql(kind: CastKind, value: string): string {
  switch (kind) {
    case 'numeric':
      return `(length(${value}) <= ${MAX_NUMERIC_LENGTH} AND ${value} ~ ${literal(PATTERNS.numeric)})`;
    case 'boolean':
      return `(${value} ~* ${literal(PATTERNS.boolean)})`;
    default:
      return `(${value} ~ ${literal(PATTERNS[kind])})`;
  }
}

/** The column expression: `value` (a text expression) as `kind`, NULL when it doesn't fit. */
export function castSql(kind: CastKind, value: string): string {
  if (kind === 'boolean') {
    return `(CASE WHEN lower(${value}) IN ('yes', 'true') THEN true WHEN lower(${value}) IN ('no', 'false') THEN false END)`;
  }
  return `(CASE WHEN ${validSql(kind, value)} THEN (${value})::${kind} END)`;
}

/** An aggregate that is true when every non-empty value of `value` fits `kind` (and true when there are none). */
export function allValidSql(kind: CastKind, value: string): string {
  return `coalesce(bool_and(${validSql(kind, value)}) FILTER (WHERE ${value} <> ''), true)`;
}

export interface QuestionInfo {
  type?: string;
  options?: readonly string[];
}

/** The column kind a question's answers call for, from its type in the application. */
export function kindOfQuestion(question: QuestionInfo): ColumnKind {
  switch (question.type) {
    case 'Date':
      return 'date';
    case 'DateTime':
      return 'timestamptz';
    case 'Int':
    case 'Long':
    case 'Double':
    case 'Decimal':
      return 'numeric';
    case 'Select':
      return isBooleanChoice(question.options ?? []) ? 'boolean' : 'text';
    default:
      return 'text';
  }
}

/** A single select whose choices are yes/no (or true/false). */
export function isBooleanChoice(options: readonly string[]): boolean {
  if (options.length === 0) return false;
  const values = new Set(options.map((option) => option.toLowerCase()));
  const within = (allowed: string[]) => [...values].every((value) => allowed.includes(value));
  return within(['yes', 'no']) || within(['true', 'false']);
}

/** Two questions saving to one property: they must agree on the type, or the column stays text. */
export function mergeKinds(a: ColumnKind | undefined, b: ColumnKind): ColumnKind {
  return a === undefined || a === b ? b : 'text';
}
