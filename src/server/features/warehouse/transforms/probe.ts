import type pg from 'pg';
import { ident, qualified } from '../../../platform/db/sql';

/**
 * The rows the transform reads to discover property names, confirm column
 * types and pick sample values: a "probe", copied into a temporary table once
 * so that the per-type queries that follow never scan the big tables.
 *
 * Trade-off, when a table is larger than `probePages` (16 MB by default, about
 * 30,000 cases or 8,000 forms):
 *  - the probe is a block sample (TABLESAMPLE SYSTEM, repeatable so that
 *    rebuilds on the same data give the same views) plus the last
 *    `tailPages` pages, where the rows an incremental run just wrote usually
 *    land;
 *  - case types are still exact (one cheap `GROUP BY case_type` scan, about
 *    0.2 s per million cases), and a type too rare to be sampled well has all
 *    its rows in the probe;
 *  - but a case property seen only in rows outside the probe gets no column
 *    (it stays in cases.properties; the next rebuild that samples it adds
 *    it), a form xmlns that no application lists and that is not sampled
 *    gets no view, and a column whose type the probe confirmed may still
 *    meet a malformed value elsewhere: the safe casts turn it into NULL.
 * Reading everything instead costs a full jsonb scan (about 1.6 s per
 * million cases, and several seconds for forms, whose rows are large), which
 * would blow the transform's budget of a few seconds at a million cases.
 */

export interface ProbeOptions {
  /** Tables up to this many 8 kB pages are probed whole. */
  probePages: number;
  /** Pages at the end of the table always in the probe. */
  tailPages: number;
  /** A case type expected to have fewer sampled rows than this is probed whole. */
  minRowsPerType: number;
}

export const DEFAULT_PROBE_OPTIONS: ProbeOptions = { probePages: 2048, tailPages: 128, minRowsPerType: 200 };

export const CASE_PROBE = '_scout_probe_cases';
export const FORM_PROBE = '_scout_probe_forms';

/** The probe table, qualified (temporary tables live in pg_temp). */
export const probeTable = (name: string): string => `pg_temp.${ident(name)}`;

export interface Probe {
  table: string;
  /** Whether the probe is a sample rather than the whole table. */
  sampled: boolean;
}

export interface CaseProbe extends Probe {
  /** Every case type in the table (not only the probe's), with its row count. */
  caseTypes: Map<string, number>;
}

const SAMPLE_SEED = 20240101;

async function pagesOf(client: pg.ClientBase, relation: string): Promise<number> {
  const { rows } = await client.query<{ pages: string }>(
    `SELECT (pg_relation_size($1::regclass) / current_setting('block_size')::bigint)::bigint AS pages`,
    [relation],
  );
  return Number(rows[0]!.pages);
}

async function createProbeTable(client: pg.ClientBase, name: string, source: string): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS ${probeTable(name)}`);
  // Not ON COMMIT DROP: the caller may run us outside a transaction. dropProbes removes it.
  await client.query(`CREATE TEMPORARY TABLE ${ident(name)} (LIKE ${source})`);
}

/**
 * Fills the probe: the whole table when small; otherwise a repeatable block
 * sample of the pages before the tail, the tail, and (cases) every row of
 * the `whole` types, which the sample and the tail skip so nothing is read twice.
 */
async function fill(
  client: pg.ClientBase,
  name: string,
  source: string,
  pages: number,
  options: ProbeOptions,
  whole: { column: string; values: string[] } = { column: '', values: [] },
): Promise<boolean> {
  const target = probeTable(name);
  if (pages <= options.probePages) {
    await client.query(`INSERT INTO ${target} SELECT * FROM ${source}`);
    return false;
  }
  const tail = `(${Math.max(0, pages - options.tailPages)},0)`;
  const percent = Math.min(100, (100 * options.probePages) / pages);
  const skipWhole = whole.values.length > 0;
  const notWhole = (param: string) => (skipWhole ? ` AND ${ident(whole.column)} <> ALL(${param}::text[])` : '');
  await client.query(
    `INSERT INTO ${target} SELECT * FROM ${source} TABLESAMPLE SYSTEM ($1::float8) REPEATABLE (${SAMPLE_SEED})
      WHERE ctid < $2::tid${notWhole('$3')}`,
    skipWhole ? [percent, tail, whole.values] : [percent, tail],
  );
  // A TID range scan (PostgreSQL 14+) reads only the tail's pages.
  await client.query(`INSERT INTO ${target} SELECT * FROM ${source} WHERE ctid >= $1::tid${notWhole('$2')}`, skipWhole ? [tail, whole.values] : [tail]);
  if (skipWhole) {
    await client.query(`INSERT INTO ${target} SELECT * FROM ${source} WHERE ${ident(whole.column)} = ANY($1::text[])`, [whole.values]);
  }
  return true;
}

async function finish(client: pg.ClientBase, name: string, column: string): Promise<void> {
  await client.query(`CREATE INDEX ON ${probeTable(name)} (${ident(column)})`);
}

export async function probeCases(client: pg.ClientBase, schema: string, options: ProbeOptions): Promise<CaseProbe> {
  const source = qualified(schema, 'cases');
  const { rows } = await client.query<{ case_type: string; n: string }>(
    `SELECT case_type, count(*) AS n FROM ${source} WHERE case_type IS NOT NULL GROUP BY case_type`,
  );
  const caseTypes = new Map(rows.map((row) => [row.case_type, Number(row.n)]));
  await createProbeTable(client, CASE_PROBE, source);
  const pages = await pagesOf(client, source);
  const fraction = pages > options.probePages ? options.probePages / pages : 1;
  const rare = fraction < 1 ? [...caseTypes].filter(([, n]) => n * fraction < options.minRowsPerType).map(([type]) => type) : [];
  const sampled = await fill(client, CASE_PROBE, source, pages, options, { column: 'case_type', values: rare });
  await finish(client, CASE_PROBE, 'case_type');
  return { table: probeTable(CASE_PROBE), sampled, caseTypes };
}

export async function probeForms(client: pg.ClientBase, schema: string, options: ProbeOptions): Promise<Probe> {
  const source = qualified(schema, 'forms');
  await createProbeTable(client, FORM_PROBE, source);
  const sampled = await fill(client, FORM_PROBE, source, await pagesOf(client, source), options);
  await finish(client, FORM_PROBE, 'xmlns');
  return { table: probeTable(FORM_PROBE), sampled };
}

export async function dropProbes(client: pg.ClientBase): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS ${probeTable(CASE_PROBE)}, ${probeTable(FORM_PROBE)}`);
}

/** Property keys seen in the probe, per case type, sorted. */
export async function observedCaseProperties(client: pg.ClientBase, probe: CaseProbe): Promise<Map<string, string[]>> {
  const { rows } = await client.query<{ case_type: string; key: string }>(
    `SELECT case_type, key
       FROM ${probe.table}, jsonb_object_keys(CASE WHEN jsonb_typeof(properties) = 'object' THEN properties END) AS key
      WHERE case_type IS NOT NULL
      GROUP BY case_type, key
      ORDER BY case_type, key`,
  );
  const out = new Map<string, string[]>();
  for (const row of rows) {
    const list = out.get(row.case_type) ?? [];
    list.push(row.key);
    out.set(row.case_type, list);
  }
  return out;
}

export interface FormSample {
  xmlns: string;
  formName: string | null;
  bodies: unknown[];
}

/** Up to `perForm` form bodies per xmlns from the probe, for question paths no application lists. */
export async function sampleFormBodies(client: pg.ClientBase, probe: Probe, perForm = 50): Promise<FormSample[]> {
  const { rows } = await client.query<{ xmlns: string; form_name: string | null; bodies: unknown[] }>(
    `SELECT xmlns, mode() WITHIN GROUP (ORDER BY form_name) AS form_name, jsonb_agg(form) AS bodies
       FROM (SELECT xmlns, form_name, form, row_number() OVER (PARTITION BY xmlns) AS n
               FROM ${probe.table} WHERE xmlns IS NOT NULL) AS s
      WHERE n <= $1
      GROUP BY xmlns
      ORDER BY xmlns`,
    [perForm],
  );
  return rows.map((row) => ({ xmlns: row.xmlns, formName: row.form_name, bodies: row.bodies }));
}
