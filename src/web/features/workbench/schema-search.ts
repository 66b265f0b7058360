import type { WarehouseTable } from '@shared/warehouse';

export interface TableMatch {
  table: WarehouseTable;
  /** The columns to list: all of them, or when only columns matched the search, those. */
  columns: WarehouseTable['columns'];
  /** The search found the table through its columns (so it opens on them). */
  byColumn: boolean;
}

/**
 * The tables a search finds: by table name or description (every column listed),
 * or by column name (only the matching columns). Case-insensitive; an empty search keeps all.
 */
export function searchTables(tables: readonly WarehouseTable[], search: string): TableMatch[] {
  const needle = search.trim().toLowerCase();
  if (!needle) return tables.map((table) => ({ table, columns: table.columns, byColumn: false }));
  const matches: TableMatch[] = [];
  for (const table of tables) {
    if (table.name.toLowerCase().includes(needle) || table.description.toLowerCase().includes(needle)) {
      matches.push({ table, columns: table.columns, byColumn: false });
      continue;
    }
    const columns = table.columns.filter((column) => column.name.toLowerCase().includes(needle));
    if (columns.length > 0) matches.push({ table, columns, byColumn: true });
  }
  return matches;
}
