import type pg from 'pg';
import { ROW_ALIAS, selectList, type ViewPlan } from './plan';
import { pickSamples } from './samples';
import { ident, literal, qualified } from '../../../platform/db/sql';
import { directoryColumnDescription, directoryTableDescription, directoryTablesIn } from '../directory-dictionary';

/**
 * The data dictionary, rebuilt with the views:
 *  - _scout_columns: one row per column of cases, forms and every view;
 *  - _scout_tables: one row per table and view;
 *  - _scout_case_types: per case type, its view and the raw property names
 *    it has columns for (what knownCaseProperties reads).
 */

export const COLUMNS_TABLE = '_scout_columns';
export const TABLES_TABLE = '_scout_tables';
export const CASE_TYPES_TABLE = '_scout_case_types';

/** Rows read per table or view to pick sample values. */
const SAMPLE_ROWS = 200;

const TABLE_DESCRIPTIONS: Record<'cases' | 'forms', string> = {
  cases: 'Every case of the project, one row per case (open and closed); case properties are in the properties JSON. The case_<type> views give each case type with typed property columns.',
  forms: 'Every form submission of the project, one row per submission; answers are in the form JSON. The form_<name> views give each form with its questions as columns.',
};

const SYSTEM_COLUMNS: Record<'cases' | 'forms', Record<string, string>> = {
  cases: {
    case_id: 'Unique ID of the case.',
    case_type: 'Case type (e.g. household, person); each has a case_<type> view.',
    case_name: 'Name of the case.',
    external_id: 'External ID of the case, if set.',
    owner_id: 'ID of the user, group or location that owns the case.',
    date_opened: 'When the case was opened.',
    last_modified: 'When the case was last modified (device time of the last form that touched it).',
    server_last_modified: 'When the server last processed a change to the case.',
    indexed_on: 'When CommCare last indexed the case (incremental loads resume from it).',
    closed: 'Whether the case is closed.',
    date_closed: 'When the case was closed, if closed.',
    indices: 'Links to other cases as JSON: {"parent": {"case_id", "case_type", "relationship"}, …}.',
    properties: 'All case properties as JSON; the case_<type> views give them as typed columns.',
  },
  forms: {
    form_id: 'Unique ID of the form submission.',
    xmlns: 'XML namespace identifying the form; each has a form_<name> view.',
    form_name: 'Name of the form.',
    app_id: 'ID of the application the form belongs to.',
    received_on: 'When the server received the submission.',
    server_modified_on: 'When the server last modified the submission.',
    indexed_on: 'When CommCare last indexed the submission (incremental loads resume from it).',
    user_id: 'ID of the mobile worker who submitted the form.',
    case_ids: 'IDs of the cases the submission created, updated or closed.',
    form: 'The whole submission as JSON: answers (groups nested), the case block and meta.',
  },
};

export async function dropDictionary(client: pg.ClientBase, schema: string): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS ${[COLUMNS_TABLE, TABLES_TABLE, CASE_TYPES_TABLE].map((t) => qualified(schema, t)).join(', ')}`);
}

async function createDictionary(client: pg.ClientBase, schema: string): Promise<void> {
  await client.query(`CREATE TABLE ${qualified(schema, COLUMNS_TABLE)} (
    table_name text NOT NULL,
    column_name text NOT NULL,
    data_type text NOT NULL,
    description text NOT NULL,
    source text NOT NULL,
    sample_values jsonb NOT NULL DEFAULT '[]',
    PRIMARY KEY (table_name, column_name)
  )`);
  await client.query(`CREATE TABLE ${qualified(schema, TABLES_TABLE)} (
    table_name text PRIMARY KEY,
    kind text NOT NULL,
    description text NOT NULL
  )`);
  await client.query(`CREATE TABLE ${qualified(schema, CASE_TYPES_TABLE)} (
    case_type text PRIMARY KEY,
    table_name text NOT NULL,
    properties text[] NOT NULL
  )`);
}

/** Column names and types as the catalog has them, per relation, in column order. */
async function catalogColumns(client: pg.ClientBase, schema: string, relations: string[]): Promise<Map<string, Array<{ name: string; type: string }>>> {
  const { rows } = await client.query<{ relname: string; attname: string; type: string }>(
    `SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
    [schema, relations],
  );
  const out = new Map<string, Array<{ name: string; type: string }>>();
  for (const row of rows) {
    const list = out.get(row.relname) ?? [];
    list.push({ name: row.attname, type: row.type });
    out.set(row.relname, list);
  }
  return out;
}

async function jsonRows(client: pg.ClientBase, sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  const { rows } = await client.query<{ row: Record<string, unknown> }>(`SELECT to_jsonb(s) AS row FROM (${sql}) AS s`, params);
  return rows.map((r) => r.row);
}

interface ColumnRow {
  table_name: string;
  column_name: string;
  data_type: string;
  description: string;
  source: string;
  sample_values: unknown[];
}

export interface DictionaryInput {
  schema: string;
  plans: ViewPlan[];
  probes: { cases: string; forms: string };
}

/** Creates the dictionary tables and fills them; returns the number of _scout_columns rows. */
export async function writeDictionary(client: pg.ClientBase, input: DictionaryInput): Promise<number> {
  const { schema, plans, probes } = input;
  await createDictionary(client, schema);
  const catalog = await catalogColumns(client, schema, ['cases', 'forms', ...plans.map((p) => p.name)]);
  const columnRows: ColumnRow[] = [];
  const tableRows: Array<{ table_name: string; kind: string; description: string }> = [];

  for (const table of ['cases', 'forms'] as const) {
    const rows = await jsonRows(client, `SELECT * FROM ${probes[table]} LIMIT ${SAMPLE_ROWS}`);
    tableRows.push({ table_name: table, kind: 'table', description: TABLE_DESCRIPTIONS[table] });
    for (const column of catalog.get(table) ?? []) {
      columnRows.push({
        table_name: table,
        column_name: column.name,
        data_type: column.type,
        description: SYSTEM_COLUMNS[table][column.name] ?? '',
        source: 'system',
        sample_values: pickSamples(rows, column.name),
      });
    }
  }

  const present = await client.query<{ tablename: string }>('SELECT tablename FROM pg_tables WHERE schemaname = $1', [schema]);
  const directory = directoryTablesIn(present.rows.map((r) => r.tablename));
  const directoryColumns = await catalogColumns(client, schema, directory);
  for (const table of directory) {
    const rows = await jsonRows(client, `SELECT * FROM ${qualified(schema, table)} LIMIT ${SAMPLE_ROWS}`);
    tableRows.push({ table_name: table, kind: 'table', description: directoryTableDescription(table) });
    for (const column of directoryColumns.get(table) ?? []) {
      columnRows.push({
        table_name: table,
        column_name: column.name,
        data_type: column.type,
        description: directoryColumnDescription(table, column.name),
        source: 'directory',
        sample_values: pickSamples(rows, column.name),
      });
    }
  }

  for (const plan of plans) {
    const probe = plan.base === 'cases' ? probes.cases : probes.forms;
    const rows = await jsonRows(client, `SELECT ${selectList(plan)} FROM ${probe} AS ${ROW_ALIAS} WHERE ${ident(plan.filter.column)} = $1 LIMIT ${SAMPLE_ROWS}`, [plan.filter.value]);
    const types = new Map((catalog.get(plan.name) ?? []).map((c) => [c.name, c.type]));
    tableRows.push({ table_name: plan.name, kind: 'view', description: plan.description });
    for (const column of plan.columns) {
      columnRows.push({
        table_name: plan.name,
        column_name: column.name,
        data_type: types.get(column.name) ?? 'text',
        description: column.description,
        source: column.source,
        sample_values: pickSamples(rows, column.name),
      });
    }
  }

  await client.query(
    `INSERT INTO ${qualified(schema, COLUMNS_TABLE)} (table_name, column_name, data_type, description, source, sample_values)
     SELECT table_name, column_name, data_type, description, source, sample_values
       FROM jsonb_to_recordset($1::jsonb) AS r(table_name text, column_name text, data_type text, description text, source text, sample_values jsonb)`,
    [JSON.stringify(columnRows)],
  );
  await client.query(
    `INSERT INTO ${qualified(schema, TABLES_TABLE)} (table_name, kind, description)
     SELECT table_name, kind, description FROM jsonb_to_recordset($1::jsonb) AS r(table_name text, kind text, description text)`,
    [JSON.stringify(tableRows)],
  );
  const caseTypes = plans.filter((p) => p.caseType !== undefined).map((p) => ({ case_type: p.caseType, table_name: p.name, properties: p.properties ?? [] }));
  await client.query(
    `INSERT INTO ${qualified(schema, CASE_TYPES_TABLE)} (case_type, table_name, properties)
     SELECT case_type, table_name, properties FROM jsonb_to_recordset($1::jsonb) AS r(case_type text, table_name text, properties text[])`,
    [JSON.stringify(caseTypes)],
  );
  return columnRows.length;
}

/** COMMENT ON statements for a view and its columns (for \d+ and other catalog readers), as one batch. */
export function commentsSql(schema: string, plan: ViewPlan): string {
  const view = qualified(schema, plan.name);
  return [
    `COMMENT ON VIEW ${view} IS ${literal(plan.description)}`,
    ...plan.columns.map((c) => `COMMENT ON COLUMN ${view}.${ident(c.name)} IS ${literal(c.description)}`),
  ].join(';\n');
}

export async function readKnownCaseProperties(client: pg.ClientBase, schema: string): Promise<Map<string, Set<string>>> {
  const { rows: exists } = await client.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [qualified(schema, CASE_TYPES_TABLE)]);
  if (!exists[0]?.present) return new Map();
  const { rows } = await client.query<{ case_type: string; properties: string[] }>(
    `SELECT case_type, properties FROM ${qualified(schema, CASE_TYPES_TABLE)} ORDER BY case_type`,
  );
  return new Map(rows.map((row) => [row.case_type, new Set(row.properties)]));
}
