import { formatCount } from './format';

/** What the status line says of a result cut at the row cap: once, plainly, with what to do. */
export function truncationNote(rowCount: number): string {
  return `cut at ${formatCount(rowCount)} rows — aggregate, filter or add LIMIT`;
}

/**
 * The envelope's warnings less the one the status line already gives: the
 * query and visualize tools both warn of a cut result ("only the first 500
 * rows…"), and saying it twice reads as two problems.
 */
export function otherWarnings(warnings: readonly string[], result: { truncated: boolean; row_count: number }): string[] {
  if (!result.truncated) return [...warnings];
  const cut = `first ${result.row_count} rows`;
  return warnings.filter((warning) => !warning.toLowerCase().includes(cut));
}
