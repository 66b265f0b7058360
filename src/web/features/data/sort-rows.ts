export type SortDirection = 'asc' | 'desc';

/** Compares two cells: nulls last, numbers (and numeric strings, as bigint and numeric arrive) by value, the rest as text. */
export function compareCells(a: unknown, b: unknown): number {
  const aMissing = a === null || a === undefined;
  const bMissing = b === null || b === undefined;
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  const aNumber = typeof a === 'number' ? a : typeof a === 'string' && a.trim() !== '' ? Number(a) : Number.NaN;
  const bNumber = typeof b === 'number' ? b : typeof b === 'string' && b.trim() !== '' ? Number(b) : Number.NaN;
  if (!Number.isNaN(aNumber) && !Number.isNaN(bNumber)) return aNumber - bNumber;
  const aText = typeof a === 'object' ? JSON.stringify(a) : String(a as string);
  const bText = typeof b === 'object' ? JSON.stringify(b) : String(b as string);
  return aText.localeCompare(bText, undefined, { numeric: true, sensitivity: 'base' });
}

/** A sorted copy of `rows` by column `index` (stable; nulls stay last in both directions). */
export function sortRows<R extends readonly unknown[]>(rows: readonly R[], index: number, direction: SortDirection): R[] {
  const sign = direction === 'asc' ? 1 : -1;
  return rows
    .map((row, position) => ({ row, position }))
    .sort((x, y) => {
      const a = x.row[index];
      const b = y.row[index];
      const missing = (a === null || a === undefined) !== (b === null || b === undefined);
      const order = missing ? compareCells(a, b) : sign * compareCells(a, b);
      return order || x.position - y.position;
    })
    .map(({ row }) => row);
}
