import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema';
import { liveEntries } from './repo';

/**
 * What describe_table and get_metadata add to their answers from the
 * domain's knowledge: the glossary, the measures (of one table, or all), and
 * what people wrote about tables, columns and values, which take precedence
 * over the dictionary's descriptions. Reads only; bounded.
 */

const MAX_ITEMS = 100;

export interface KnowledgeContext {
  glossary: Array<{ term: string; definition: string; synonyms: string[] }>;
  measures: Array<{ name: string; description: string; table: string | null; sql: string | null }>;
  /** Choice, date and location dimensions (with each choice's meaning). */
  dimensions: Array<{ name: string; description: string; table: string | null; column: string | null; sql: string | null; choices?: Array<{ value: string; label: string }> }>;
  /** People's descriptions of tables, by table name. */
  tables: Record<string, string>;
  /** People's descriptions of columns, by table then column. */
  columns: Record<string, Record<string, string>>;
  /** What values mean, by table, column, then value. */
  values: Record<string, Record<string, Record<string, string>>>;
}

export async function knowledgeContext(db: Kysely<Database>, tenantId: string, table?: string): Promise<KnowledgeContext> {
  const rows = await liveEntries(db, tenantId, ['glossary', 'measure', 'dimension', 'table', 'column', 'value']);
  const onTable = (t: string | null) => table === undefined || t === table;
  const out: KnowledgeContext = { glossary: [], measures: [], dimensions: [], tables: {}, columns: {}, values: {} };
  for (const row of rows) {
    switch (row.kind) {
      case 'glossary':
        if (out.glossary.length < MAX_ITEMS) {
          const synonyms = Array.isArray(row.details.synonyms) ? (row.details.synonyms as string[]) : [];
          out.glossary.push({ term: row.name, definition: row.description, synonyms });
        }
        break;
      case 'measure':
        if (onTable(row.table_name) && out.measures.length < MAX_ITEMS) out.measures.push({ name: row.name, description: row.description, table: row.table_name, sql: row.sql });
        break;
      case 'dimension':
        // Without a table the list would repeat every view's columns: dimensions come with describe_table only.
        if (table !== undefined && row.table_name === table && out.dimensions.length < MAX_ITEMS) {
          const choices = Array.isArray(row.details.choices) ? (row.details.choices as Array<{ value: string; label: string }>) : undefined;
          out.dimensions.push({ name: row.name, description: row.description, table: row.table_name, column: row.column_name, sql: row.sql, ...(choices ? { choices } : {}) });
        }
        break;
      case 'table':
        if (row.table_name && onTable(row.table_name)) out.tables[row.table_name] = row.description;
        break;
      case 'column':
        if (row.table_name && row.column_name && onTable(row.table_name)) (out.columns[row.table_name] ??= {})[row.column_name] = row.description;
        break;
      case 'value':
        if (row.table_name && row.column_name && row.value !== null && onTable(row.table_name)) ((out.values[row.table_name] ??= {})[row.column_name] ??= {})[row.value] = row.description;
        break;
    }
  }
  // A value meaning people wrote replaces the proposed label of that choice.
  for (const dimension of out.dimensions) {
    const meanings = dimension.table && dimension.column ? out.values[dimension.table]?.[dimension.column] : undefined;
    if (meanings && dimension.choices) dimension.choices = dimension.choices.map((c) => ({ value: c.value, label: meanings[c.value] ?? c.label }));
  }
  return out;
}
