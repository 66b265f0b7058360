import type { WarehouseTable } from '@shared/warehouse';
import { describe, expect, it } from 'vitest';
import { searchTables } from './schema-search';

const table = (name: string, columns: string[], description = ''): WarehouseTable => ({
  name,
  kind: 'table',
  description,
  row_count: 0,
  columns: columns.map((column) => ({ name: column, type: 'text', description: '' })),
});

const tables = [table('cases', ['case_id', 'case_type', 'owner_id']), table('forms', ['form_id', 'received_on'], 'Every form submission'), table('case_patient', ['age', 'village'])];

describe('searching the schema', () => {
  it('keeps every table and column without a search', () => {
    expect(searchTables(tables, '  ').map((m) => [m.table.name, m.columns.length, m.byColumn])).toEqual([
      ['cases', 3, false],
      ['forms', 2, false],
      ['case_patient', 2, false],
    ]);
  });

  it('finds tables by name or description with all their columns', () => {
    expect(searchTables(tables, 'CASE').map((m) => [m.table.name, m.columns.length, m.byColumn])).toEqual([
      ['cases', 3, false],
      ['case_patient', 2, false],
    ]);
    expect(searchTables(tables, 'submission').map((m) => m.table.name)).toEqual(['forms']);
  });

  it('finds tables through a column, listing only the matching columns', () => {
    const [match, ...rest] = searchTables(tables, 'village');
    expect(rest).toEqual([]);
    expect(match?.table.name).toBe('case_patient');
    expect(match?.columns.map((c) => c.name)).toEqual(['village']);
    expect(match?.byColumn).toBe(true);
  });
});
