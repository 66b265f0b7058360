/**
 * HQ writes timestamps in several shapes ("2024-05-01T10:00:00.123456Z",
 * "2024-05-01T10:00:00.123456", "2024-05-01T10:00:00Z", with an offset...).
 * Keyset paging compares and resends them, so they are brought to one naive
 * UTC form with microseconds, which sorts as text and which HQ's v0.5 date
 * filters accept (they refuse offsets).
 */
const NAIVE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?)?$/;

export function normalizeTimestamp(value: string): string {
  const trimmed = value.trim();
  const utc = trimmed.replace(/(?:Z|[+-]00:?00)$/i, '');
  const naive = utc.match(NAIVE);
  if (naive) {
    const [, date, hh = '00', mm = '00', ss = '00', fraction = ''] = naive;
    return `${date}T${hh}:${mm}:${ss}.${fraction.padEnd(6, '0')}`;
  }
  const parsed = new Date(trimmed);
  if (Number.isNaN(parsed.getTime())) throw new RangeError(`not a timestamp: ${value}`);
  // Only offsets other than UTC reach here; millisecond precision is what Date keeps.
  return `${parsed.toISOString().slice(0, 23)}000`;
}
