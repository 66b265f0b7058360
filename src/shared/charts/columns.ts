import type { ChartData, ColumnProfile, ColumnRole } from './types';

const NUMERIC_TYPES = new Set(['smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision', 'money', 'oid']);
const INTEGER_TYPES = new Set(['smallint', 'integer', 'bigint', 'oid']);

/** The type without its modifiers: `numeric(10,2)` is `numeric`, `timestamp(3) with time zone` a timestamp. */
function baseType(type: string): string {
  const paren = type.indexOf('(');
  return (paren === -1 ? type : type.slice(0, paren) + type.slice(type.indexOf(')', paren) + 1)).trim();
}

/** An ISO date or timestamp as PostgreSQL writes one in text (a text column of dates, e.g. from to_char). */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const MAX_DATE_LENGTH = 40;

export function looksLikeDate(value: unknown): boolean {
  return typeof value === 'string' && value.length <= MAX_DATE_LENGTH && ISO_DATE.test(value);
}

function roleOfType(type: string): ColumnRole | undefined {
  const base = baseType(type);
  if (NUMERIC_TYPES.has(base)) return 'quantitative';
  if (base === 'date' || base.startsWith('timestamp')) return 'temporal';
  return undefined;
}

/**
 * Each column's role and cardinality, from PostgreSQL's type first (the typed
 * views already cast CommCare's text dates and numbers), then from the values
 * for text that holds only ISO dates.
 */
export function profileColumns(data: ChartData): ColumnProfile[] {
  return data.columns.map((column, index) => {
    const seen = new Set<string>();
    let nulls = 0;
    let allDates = true;
    let integer = true;
    for (const row of data.rows) {
      const value = row[index];
      if (value === null || value === undefined) {
        nulls++;
        continue;
      }
      seen.add(typeof value === 'string' ? value : JSON.stringify(value));
      if (allDates && !looksLikeDate(value)) allDates = false;
      if (integer && !Number.isInteger(Number(value))) integer = false;
    }
    const typed = roleOfType(column.type);
    const role: ColumnRole = typed ?? (seen.size > 0 && allDates ? 'temporal' : 'nominal');
    return { name: column.name, type: column.type, role, distinct: seen.size, nulls, integer: role === 'quantitative' ? integer || INTEGER_TYPES.has(baseType(column.type)) : false };
  });
}
