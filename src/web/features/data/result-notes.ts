import { formatCount, formatRows } from './format';

/** How many rows the status line says came back: "12 rows", or for a result cut at the cap "Showing the first 500 rows". */
export function rowCountLabel(rowCount: number, truncated: boolean): string {
  return truncated ? `Showing the first ${formatCount(rowCount)} rows` : formatRows(rowCount);
}

/** What to do about a cut result, said once after the count: export everything when the buttons are there. */
export function truncationHint(canExport: boolean): string {
  return canExport ? 'Export all to get every row' : 'aggregate or filter to see the rest';
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
