import type pg from 'pg';
import { qualified } from '../../platform/db/sql';

/**
 * What a synced domain's warehouse says about its app, read back from the
 * data dictionary the sync wrote (warehouse/transforms/dictionary.ts): case
 * types with their properties (labels and choices), forms with their
 * questions, how cases link, the location levels, and which of them the data
 * actually holds. The input of proposeSemanticLayer.
 */

export interface CatalogField {
  /** The column in the view. */
  column: string;
  /** The case property, or the question's path (/data/group/question). */
  source: string;
  type: string;
  label: string | undefined;
  choices: string[];
}

export interface CatalogCaseType {
  caseType: string;
  table: string;
  modules: string[];
  /** Whether the data has cases of this type. */
  present: boolean;
  properties: CatalogField[];
  /** Readable owner and location columns the view has (owner_name, location_id, …). */
  directoryColumns: string[];
}

export interface CatalogForm {
  name: string;
  table: string;
  xmlns: string;
  caseType: string | undefined;
  /** Whether the data has submissions of it. */
  present: boolean;
  /** Whether its submissions open cases; unknown without submissions. */
  createsCases?: boolean;
  questions: CatalogField[];
  directoryColumns: string[];
}

export interface CatalogRelationship {
  childType: string;
  parentType: string;
  /** The index's name: usually parent or host. */
  name: string;
  relationship: 'child' | 'extension';
}

export interface CatalogLocationLevel {
  code: string;
  name: string;
  prefix: string;
  level: number;
}

export interface DomainCatalog {
  domain: string;
  caseTypes: CatalogCaseType[];
  forms: CatalogForm[];
  relationships: CatalogRelationship[];
  /** Directory tables the warehouse has: users, locations, groups, location_types, case_relationships. */
  directory: string[];
  locationLevels: CatalogLocationLevel[];
}

/** `… Application modules: A; B.` → [A, B]. */
function modulesIn(description: string): string[] {
  const at = description.indexOf('Application modules: ');
  if (at === -1 || !description.endsWith('.')) return [];
  return description.slice(at + 'Application modules: '.length, -1).split('; ');
}

/** The text after "Choices: " up to the "." that ends the sentence (before " Seen", " Repeat" or the end). */
function choicesIn(description: string): string | undefined {
  const start = description.indexOf('Choices: ');
  if (start === -1) return undefined;
  const rest = description.slice(start + 'Choices: '.length);
  const ends = ['. Seen', '. Repeat'].map((e) => rest.indexOf(e)).filter((i) => i > 0);
  if (ends.length > 0) return rest.slice(0, Math.min(...ends));
  return rest.endsWith('.') && rest.length > 1 ? rest.slice(0, -1) : undefined;
}

/** What a quoted value after `prefix` says (`prefix"value"`), from `from` on. */
function quotedAfter(text: string, prefix: string, from = 0): { value: string; end: number } | undefined {
  const at = text.indexOf(`${prefix}"`, from);
  if (at === -1) return undefined;
  const start = at + prefix.length + 1;
  const close = text.indexOf('"', start);
  return close === -1 ? undefined : { value: text.slice(start, close), end: close + 1 };
}

/**
 * The form view's description as form-views.ts writes it: `Submissions of
 * form "<name>" (module "…", application "…", case type "…") … xmlns: <xmlns>`.
 */
export function readFormDescription(description: string): { name: string; caseType: string | undefined; xmlns: string } | undefined {
  if (!description.startsWith('Submissions of form "')) return undefined;
  const name = quotedAfter(description, 'Submissions of form ');
  if (!name) return undefined;
  const xmlnsAt = description.lastIndexOf('xmlns: ');
  if (xmlnsAt === -1) return undefined;
  const xmlns = description.slice(xmlnsAt + 'xmlns: '.length).split(/\s/)[0]!;
  if (!xmlns) return undefined;
  const head = description.slice(name.end, xmlnsAt);
  const caseType = head.startsWith(' (module "') ? quotedAfter(head, ', case type ')?.value : undefined;
  return { name: name.value, caseType, xmlns };
}

/** `Weight (kg). Case property "weight_kg" of case type "visit". Choices: a, b.` → the label and the choices. */
export function readDescription(description: string): { label: string | undefined; choices: string[] } {
  const choiceText = choicesIn(description);
  const choices = choiceText ? choiceText.split(', ').filter((c) => c !== '…') : [];
  let label: string | undefined;
  const property = description.indexOf(' Case property "');
  if (property > 0) label = description.slice(0, property);
  else if (!description.startsWith('Case property "') && !description.startsWith('Question /')) {
    label = description.split(/ (?:Choices:|Repeat group:|Seen in)/)[0];
  }
  label = label?.trim().replace(/\.$/, '');
  return { label: label || undefined, choices };
}

const DIRECTORY_TABLES = ['users', 'locations', 'groups', 'group_members', 'location_types', 'case_relationships'];

/** The catalog of a synced warehouse, or undefined before its first sync. */
export async function readDomainCatalog(pool: pg.Pool, schema: string, domain: string): Promise<DomainCatalog | undefined> {
  const client = await pool.connect();
  try {
    const ready = await client.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AND to_regclass($2) IS NOT NULL AS ok', [
      qualified(schema, '_scout_columns'),
      qualified(schema, '_scout_case_types'),
    ]);
    if (!ready.rows[0]?.ok) return undefined;
    const at = (table: string) => qualified(schema, table);
    const tables = await client.query<{ table_name: string; kind: string; description: string }>(`SELECT table_name, kind, description FROM ${at('_scout_tables')}`);
    const columns = await client.query<{ table_name: string; column_name: string; data_type: string; description: string; source: string }>(
      `SELECT d.table_name, d.column_name, d.data_type, d.description, d.source
         FROM ${at('_scout_columns')} d
         LEFT JOIN information_schema.columns c ON c.table_schema = $1 AND c.table_name = d.table_name AND c.column_name = d.column_name
        ORDER BY d.table_name, c.ordinal_position NULLS LAST, d.column_name`,
      [schema],
    );
    const byTable = new Map<string, typeof columns.rows>();
    for (const row of columns.rows) byTable.set(row.table_name, [...(byTable.get(row.table_name) ?? []), row]);
    const fields = (table: string, prefix: string): CatalogField[] =>
      (byTable.get(table) ?? [])
        .filter((c) => c.source.startsWith(prefix))
        .map((c) => ({ column: c.column_name, source: c.source.slice(prefix.length), type: c.data_type, ...readDescription(c.description) }));
    const directoryColumns = (table: string) => (byTable.get(table) ?? []).filter((c) => c.source === 'directory').map((c) => c.column_name);

    const present = new Set(tables.rows.map((t) => t.table_name));
    const directory = DIRECTORY_TABLES.filter((t) => present.has(t));
    const caseTypesInData = new Set((await client.query<{ case_type: string }>(`SELECT DISTINCT case_type FROM ${at('cases')}`)).rows.map((r) => r.case_type));
    // Whether a form's submissions open cases (a case block with create): registration, not follow-up.
    const formsInData = new Map(
      (await client.query<{ xmlns: string; creates: boolean }>(`SELECT xmlns, bool_or(form->'case' ? 'create') AS creates FROM ${at('forms')} GROUP BY xmlns`)).rows.map((r) => [
        r.xmlns,
        r.creates === true,
      ]),
    );
    const descriptions = new Map(tables.rows.map((t) => [t.table_name, t.description]));

    const caseTypes: CatalogCaseType[] = [];
    for (const row of (await client.query<{ case_type: string; table_name: string }>(`SELECT case_type, table_name FROM ${at('_scout_case_types')} ORDER BY case_type`)).rows) {
      const modules = modulesIn(descriptions.get(row.table_name) ?? '');
      caseTypes.push({
        caseType: row.case_type,
        table: row.table_name,
        modules,
        present: caseTypesInData.has(row.case_type),
        properties: fields(row.table_name, 'case property '),
        directoryColumns: directoryColumns(row.table_name),
      });
    }

    const forms: CatalogForm[] = [];
    const formViews = tables.rows.filter((t) => t.kind === 'view' && t.table_name.startsWith('form_')).sort((a, b) => a.table_name.localeCompare(b.table_name));
    for (const table of formViews) {
      // The description form-views.ts writes: `Submissions of form "<name>" (module "…", application "…", case type "…") … xmlns: <xmlns>`.
      const form = readFormDescription(table.description);
      if (!form) continue;
      forms.push({
        name: form.name,
        table: table.table_name,
        xmlns: form.xmlns,
        caseType: form.caseType,
        present: formsInData.has(form.xmlns),
        ...(formsInData.has(form.xmlns) ? { createsCases: formsInData.get(form.xmlns)! } : {}),
        questions: [...fields(table.table_name, 'form question '), ...fields(table.table_name, 'form data ')],
        directoryColumns: directoryColumns(table.table_name),
      });
    }

    const relationships: CatalogRelationship[] = present.has('case_relationships')
      ? (
          await client.query<{ child_type: string; parent_type: string; name: string; relationship: 'child' | 'extension' }>(
            `SELECT DISTINCT c.case_type AS child_type, r.parent_case_type AS parent_type, r.relationship_name AS name, r.relationship_type AS relationship
               FROM ${at('case_relationships')} r JOIN ${at('cases')} c ON c.case_id = r.case_id
              WHERE r.parent_case_type IS NOT NULL AND r.parent_case_type <> ''
              ORDER BY 1, 2, 3`,
          )
        ).rows.map((r) => ({ childType: r.child_type, parentType: r.parent_type, name: r.name, relationship: r.relationship }))
      : [];

    const levels = present.has('location_types')
      ? (await client.query<{ code: string; name: string; column_prefix: string; level: number }>(`SELECT code, name, column_prefix, level FROM ${at('location_types')} ORDER BY level, code`)).rows
      : [];
    // A level is a dimension only where the locations table has its columns.
    const locationColumns = new Set((byTable.get('locations') ?? []).map((c) => c.column_name));
    const locationLevels = levels
      .map((r) => ({ code: r.code, name: r.name, prefix: r.column_prefix, level: Number(r.level) }))
      .filter((l) => locationColumns.has(`${l.prefix}_name`));
    return { domain, caseTypes, forms, relationships, directory, locationLevels };
  } finally {
    client.release();
  }
}
