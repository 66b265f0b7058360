/** Up to three sample values per column, from rows of the probe rendered as JSON (to_jsonb of each row). */

const MAX_STRING = 120;
const MAX_JSON = 400;

function presentable(value: unknown): unknown {
  if (value === null || value === undefined || value === '') return undefined;
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (typeof value === 'object') {
    if (Array.isArray(value) && value.length === 0) return undefined;
    // Whole form bodies and the like are no use as samples.
    return JSON.stringify(value).length > MAX_JSON ? undefined : value;
  }
  return value;
}

/** The most frequent distinct non-empty values of `column` (first seen wins a tie), at most `limit`. */
export function pickSamples(rows: ReadonlyArray<Record<string, unknown>>, column: string, limit = 3): unknown[] {
  const counts = new Map<string, { value: unknown; count: number; first: number }>();
  rows.forEach((row, index) => {
    const value = presentable(row[column]);
    if (value === undefined) return;
    const key = JSON.stringify(value);
    const entry = counts.get(key);
    if (entry) entry.count++;
    else counts.set(key, { value, count: 1, first: index });
  });
  return [...counts.values()]
    .sort((a, b) => b.count - a.count || a.first - b.first)
    .slice(0, limit)
    .map((entry) => entry.value);
}
