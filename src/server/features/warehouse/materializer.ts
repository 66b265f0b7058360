import type pg from 'pg';
import type { MaterializationResult, RunMode } from '../../../shared/warehouse';
import type { CommCareClient } from '../commcare';
import type { Application, Page } from '../commcare/types';
import { CopyWriter } from './copy-writer';
import { appendCaseRow, appendFormRow, CASE_COLUMNS, CASES_DDL, FORM_COLUMNS, FORMS_DDL } from './rows';
import type { SchemaManager } from './schema-manager';
import { ident, inTransaction } from '../../platform/db/sql';
import { writeDirectory, type Directory } from './directory';
import { fetchDirectory } from './directory-source';
import { rebuildRelationships, refreshRelationships, RELATIONSHIPS_TABLE } from './relationships';
import { applyRowSecurity, writeScope } from './row-security';
import { buildTransforms, knownCaseProperties } from './transforms';

export type Source = 'cases' | 'forms' | 'applications';

export interface MaterializeInput {
  schema: string;
  domain: string;
  commcare: CommCareClient;
  /** Full reloads everything into staging and swaps; incremental upserts what changed since the checkpoint. */
  mode: RunMode;
  signal: AbortSignal;
  onProgress: (source: Source, loaded: number, total: number | undefined) => void;
  onPhase: (phase: 'loading' | 'transforming') => void;
  /** Row-security scopes of the location-restricted members, rewritten with the data they filter. */
  scopes?: Array<{ scope: string; locationIds: string[] }>;
}

export interface MaterializeOutcome extends MaterializationResult {
  mode: RunMode;
  checkpoint: Checkpoint;
}

/** Resume points per source, stored inside the tenant schema so they commit atomically with the data. */
export interface Checkpoint {
  cases?: string;
  forms?: string;
}

const STATE_TABLE = '_scout_sync_state';
/** Incremental runs commit (data + checkpoint) at least this often, so a crash loses little work. */
const INCREMENTAL_BATCH_ROWS = 5_000;

/**
 * Copies one domain's CommCare data into its schema. A full run streams
 * cases and forms (in parallel) into staging tables with COPY and swaps them
 * in with the views in one transaction: until that commit the previous data
 * stays queryable, and a failed or cancelled run leaves it untouched. An
 * incremental run upserts what changed since the stored checkpoint in
 * batches, each committed with its checkpoint, so a crash resumes where the
 * last batch ended and nothing is lost or duplicated.
 */
export class Materializer {
  constructor(
    private readonly pool: pg.Pool,
    private readonly schemas: SchemaManager,
  ) {}

  async run(input: MaterializeInput): Promise<MaterializeOutcome> {
    const started = performance.now();
    await this.schemas.provision(input.schema);
    const checkpoint = await this.readCheckpoint(input.schema);
    const hasData = checkpoint !== undefined && (await this.tableExists(input.schema, 'cases'));
    const mode: RunMode = input.mode === 'incremental' && hasData ? 'incremental' : 'full';
    input.onPhase('loading');
    const outcome = mode === 'full' ? await this.full(input) : await this.incremental(input, checkpoint ?? {});
    return { ...outcome, mode, duration_ms: Math.round(performance.now() - started) };
  }

  private async full(input: MaterializeInput): Promise<Omit<MaterializeOutcome, 'mode' | 'duration_ms'>> {
    const { schema } = input;
    const suffix = Math.random().toString(36).slice(2, 10);
    const staging = { cases: `_load_cases_${suffix}`, forms: `_load_forms_${suffix}` };
    await this.dropLeftoverStaging(schema);
    const casesConn = await this.pool.connect();
    const formsConn = await this.pool.connect();
    const { signal, all } = failTogether(input.signal);
    let failed = false;
    try {
      await casesConn.query(`CREATE TABLE ${ident(schema)}.${ident(staging.cases)} ${CASES_DDL}`);
      await formsConn.query(`CREATE TABLE ${ident(schema)}.${ident(staging.forms)} ${FORMS_DDL}`);
      const [cases, forms, applications, directory] = await all([
        this.copyAll(casesConn, schema, staging.cases, CASE_COLUMNS, input.commcare.cases(input.domain, { signal }), appendCaseRow, (l, t) => input.onProgress('cases', l, t)),
        this.copyAll(formsConn, schema, staging.forms, FORM_COLUMNS, input.commcare.forms(input.domain, { signal }), appendFormRow, (l, t) => input.onProgress('forms', l, t)),
        this.applications({ ...input, signal }),
        fetchDirectory(input.commcare, input.domain, signal),
      ] as const);
      input.signal.throwIfAborted();
      input.onPhase('transforming');
      const result = await this.swapIn(casesConn, schema, staging, applications, directory, input.scopes ?? [], { cases: cases.checkpoint, forms: forms.checkpoint }, input.signal);
      return result;
    } catch (error) {
      failed = true;
      await this.dropTables(schema, [staging.cases, staging.forms]).catch(() => undefined);
      throw error;
    } finally {
      // A connection whose COPY was abandoned is not worth reusing.
      casesConn.release(failed);
      formsConn.release(failed);
    }
  }

  private async copyAll<T>(
    client: pg.PoolClient,
    schema: string,
    table: string,
    columns: readonly string[],
    pages: AsyncIterable<Page<T>>,
    appendRow: (out: string[], record: T) => void,
    progress: (loaded: number, total: number | undefined) => void,
  ): Promise<{ rows: number; checkpoint: string | undefined }> {
    const writer = new CopyWriter(client, schema, table, columns);
    let checkpoint: string | undefined;
    try {
      for await (const page of pages) {
        const out: string[] = [];
        for (const record of page.records) appendRow(out, record);
        await writer.write(out.join(''), page.records.length);
        checkpoint = page.checkpoint ?? checkpoint;
        progress(page.loaded, page.total);
      }
      await writer.finish();
    } catch (error) {
      writer.abort(error as Error);
      throw error;
    }
    return { rows: writer.rows, checkpoint };
  }

  private async swapIn(
    client: pg.PoolClient,
    schema: string,
    staging: { cases: string; forms: string },
    applications: Application[],
    directory: Directory,
    scopes: NonNullable<MaterializeInput['scopes']>,
    checkpoint: Checkpoint,
    signal: AbortSignal,
  ) {
    const s = ident(schema);
    return inTransaction(client, async () => {
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('scout.swap:' || $1))`, [schema]);
      // Dropping the old tables waits for queries reading them; don't wait forever.
      await client.query("SET LOCAL lock_timeout = '60s'");
      // Rows that changed while the load ran can come twice; keep the newest.
      await dedupe(client, schema, staging.cases, 'case_id');
      await dedupe(client, schema, staging.forms, 'form_id');
      await client.query(`ALTER TABLE ${s}.${ident(staging.cases)} ADD PRIMARY KEY (case_id)`);
      await client.query(`ALTER TABLE ${s}.${ident(staging.forms)} ADD PRIMARY KEY (form_id)`);
      await client.query(`CREATE INDEX ON ${s}.${ident(staging.cases)} (case_type)`);
      await client.query(`CREATE INDEX ON ${s}.${ident(staging.forms)} (xmlns)`);
      await dropViews(client, schema);
      // case_relationships' policy reads cases: it goes first, and is rebuilt from the new cases below.
      await client.query(`DROP TABLE IF EXISTS ${s}.${ident(RELATIONSHIPS_TABLE)}, ${s}.cases, ${s}.forms`);
      await client.query(`ALTER TABLE ${s}.${ident(staging.cases)} RENAME TO cases`);
      await client.query(`ALTER TABLE ${s}.${ident(staging.forms)} RENAME TO forms`);
      await renameIndexes(client, schema);
      await rebuildRelationships(client, schema, 'cases');
      await writeDirectory(client, schema, directory);
      const transforms = await buildTransforms(client, { schema, applications });
      await applyRowSecurity(client, schema);
      for (const { scope, locationIds } of scopes) await writeScope(client, schema, scope, locationIds);
      await writeCheckpoint(client, schema, checkpoint);
      signal.throwIfAborted();
      const tables = await rowCounts(client, schema);
      return { checkpoint, tables, views: transforms.views };
    });
  }

  private async incremental(input: MaterializeInput, checkpoint: Checkpoint): Promise<Omit<MaterializeOutcome, 'mode' | 'duration_ms'>> {
    const { schema } = input;
    const next: Checkpoint = { ...checkpoint };
    const known = await this.withClient((client) => knownCaseProperties(client, schema));
    const knownForms = await this.withClient(async (client) => new Set((await client.query(`SELECT DISTINCT xmlns FROM ${ident(schema)}.forms`)).rows.map((r) => r.xmlns as string)));
    const seen = new Map<string, Set<string>>();
    const newForms = new Set<string>();
    const { signal, all } = failTogether(input.signal);
    const scoped = { ...input, signal };
    const [, , applications, directory] = await all([
      this.upsertAll(scoped, 'cases', CASE_COLUMNS, CASES_DDL, 'case_id', input.commcare.cases(input.domain, { signal, ...(checkpoint.cases ? { since: checkpoint.cases } : {}) }), appendCaseRow, next, (record) => {
        const props = seen.get(record.case_type) ?? new Set<string>();
        for (const key of Object.keys(record.properties ?? {})) props.add(key);
        seen.set(record.case_type, props);
      }),
      this.upsertAll(scoped, 'forms', FORM_COLUMNS, FORMS_DDL, 'form_id', input.commcare.forms(input.domain, { signal, ...(checkpoint.forms ? { since: checkpoint.forms } : {}) }), appendFormRow, next, (record) => {
        const xmlns = record.form?.['@xmlns'];
        if (typeof xmlns === 'string' && !knownForms.has(xmlns)) newForms.add(xmlns);
      }),
      this.applications(scoped),
      fetchDirectory(input.commcare, input.domain, signal),
    ] as const);
    input.signal.throwIfAborted();
    input.onPhase('transforming');
    // New case types, new properties or new kinds of form need new view columns; plain data changes don't.
    const grew = newForms.size > 0 || [...seen].some(([type, props]) => !known.has(type) || [...props].some((p) => !known.get(type)?.has(p)));
    return this.withClient((client) =>
      inTransaction(client, async () => {
        const { reshaped } = await writeDirectory(client, schema, directory);
        // A reshaped directory took the views that read it along: they are built again.
        const views = grew || reshaped ? (await buildTransforms(client, { schema, applications })).views : await existingViews(client, schema);
        await applyRowSecurity(client, schema);
        for (const { scope, locationIds } of input.scopes ?? []) await writeScope(client, schema, scope, locationIds);
        const tables = await rowCounts(client, schema);
        return { checkpoint: next, tables, views };
      }),
    );
  }

  private async upsertAll<T>(
    input: MaterializeInput,
    table: 'cases' | 'forms',
    columns: readonly string[],
    ddl: string,
    key: string,
    pages: AsyncIterable<Page<T>>,
    appendRow: (out: string[], record: T) => void,
    checkpoint: Checkpoint,
    observe?: (record: T) => void,
  ): Promise<void> {
    const s = ident(input.schema);
    const updates = columns.filter((c) => c !== key).map((c) => `${ident(c)} = EXCLUDED.${ident(c)}`).join(', ');
    let batch: string[] = [];
    let batchRows = 0;
    let batchCheckpoint: string | undefined;
    const flush = async () => {
      if (batchRows === 0) return;
      const text = batch.join('');
      const rows = batchRows;
      batch = [];
      batchRows = 0;
      await this.withClient((client) =>
        inTransaction(client, async () => {
          await client.query(`CREATE TEMP TABLE _incoming ${ddl} ON COMMIT DROP`);
          const writer = new CopyWriter(client, 'pg_temp', '_incoming', columns);
          await writer.write(text, rows);
          await writer.finish();
          await client.query(
            `INSERT INTO ${s}.${ident(table)} (${columns.map(ident).join(', ')})
             SELECT DISTINCT ON (${ident(key)}) ${columns.map(ident).join(', ')} FROM _incoming ORDER BY ${ident(key)}, indexed_on DESC
             ON CONFLICT (${ident(key)}) DO UPDATE SET ${updates}`,
          );
          if (table === 'cases') await refreshRelationships(client, input.schema, '_incoming');
          await writeCheckpoint(client, input.schema, { ...checkpoint, [table]: batchCheckpoint });
        }),
      );
      checkpoint[table] = batchCheckpoint;
    };
    for await (const page of pages) {
      for (const record of page.records) {
        appendRow(batch, record);
        observe?.(record);
      }
      batchRows += page.records.length;
      batchCheckpoint = page.checkpoint ?? batchCheckpoint;
      input.onProgress(table, page.loaded, page.total);
      if (batchRows >= INCREMENTAL_BATCH_ROWS) await flush();
    }
    await flush();
  }

  private async applications(input: MaterializeInput): Promise<Application[]> {
    const apps = await input.commcare.applications(input.domain, input.signal);
    input.onProgress('applications', apps.length, apps.length);
    return apps;
  }

  private async readCheckpoint(schema: string): Promise<Checkpoint | undefined> {
    if (!(await this.tableExists(schema, STATE_TABLE))) return undefined;
    const result = await this.pool.query(`SELECT checkpoint FROM ${ident(schema)}.${ident(STATE_TABLE)} WHERE id = 1`);
    return (result.rows[0]?.checkpoint as Checkpoint | undefined) ?? undefined;
  }

  private async tableExists(schema: string, table: string): Promise<boolean> {
    const result = await this.pool.query('SELECT to_regclass($1) IS NOT NULL AS present', [`${ident(schema)}.${ident(table)}`]);
    return result.rows[0]?.present === true;
  }

  /** Staging tables of a run that crashed before it could clean up. */
  private async dropLeftoverStaging(schema: string): Promise<void> {
    const result = await this.pool.query(`SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename LIKE '\\_load\\_%'`, [schema]);
    await this.dropTables(schema, result.rows.map((r) => r.tablename as string));
  }

  private async dropTables(schema: string, tables: string[]): Promise<void> {
    if (tables.length === 0) return;
    await this.pool.query(`DROP TABLE IF EXISTS ${tables.map((t) => `${ident(schema)}.${ident(t)}`).join(', ')}`);
  }

  private async withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await work(client);
    } finally {
      client.release();
    }
  }
}

/**
 * Cases, forms and applications load side by side; when one fails the others
 * stop too instead of fetching a whole domain for a run that has already failed.
 */
function failTogether(outer: AbortSignal) {
  const controller = new AbortController();
  const signal = AbortSignal.any([outer, controller.signal]);
  const all = <T extends readonly unknown[]>(tasks: { [K in keyof T]: Promise<T[K]> }): Promise<T> =>
    Promise.all(
      tasks.map((task) =>
        task.catch((error: unknown) => {
          controller.abort(error);
          throw error;
        }),
      ),
    ) as unknown as Promise<T>;
  return { signal, all };
}

async function dedupe(client: pg.PoolClient, schema: string, table: string, key: string): Promise<void> {
  const t = `${ident(schema)}.${ident(table)}`;
  const dupes = await client.query(`SELECT 1 FROM ${t} GROUP BY ${ident(key)} HAVING count(*) > 1 LIMIT 1`);
  if (dupes.rowCount === 0) return;
  await client.query(`DELETE FROM ${t} a USING ${t} b WHERE a.${ident(key)} = b.${ident(key)} AND (a.indexed_on, a.ctid) < (b.indexed_on, b.ctid)`);
}

async function dropViews(client: pg.PoolClient, schema: string): Promise<void> {
  const views = await existingViews(client, schema);
  if (views.length > 0) await client.query(`DROP VIEW IF EXISTS ${views.map((v) => `${ident(schema)}.${ident(v)}`).join(', ')} CASCADE`);
}

async function existingViews(client: pg.PoolClient, schema: string): Promise<string[]> {
  const result = await client.query('SELECT viewname FROM pg_views WHERE schemaname = $1 ORDER BY viewname', [schema]);
  return result.rows.map((r) => r.viewname as string);
}

/** Index names follow the staging table's name; give them stable ones. */
async function renameIndexes(client: pg.PoolClient, schema: string): Promise<void> {
  const result = await client.query(
    `SELECT indexname, tablename FROM pg_indexes WHERE schemaname = $1 AND tablename IN ('cases', 'forms') AND indexname LIKE '\\_load\\_%'`,
    [schema],
  );
  for (const row of result.rows as Array<{ indexname: string; tablename: string }>) {
    const purpose = row.indexname.endsWith('_pkey') ? 'pkey' : row.tablename === 'cases' ? 'case_type_idx' : 'xmlns_idx';
    await client.query(`ALTER INDEX ${ident(schema)}.${ident(row.indexname)} RENAME TO ${ident(`${row.tablename}_${purpose}`)}`);
  }
}

async function writeCheckpoint(client: pg.PoolClient, schema: string, checkpoint: Checkpoint): Promise<void> {
  const t = `${ident(schema)}.${ident(STATE_TABLE)}`;
  await client.query(`CREATE TABLE IF NOT EXISTS ${t} (id integer PRIMARY KEY, checkpoint jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`);
  await client.query(`INSERT INTO ${t} (id, checkpoint) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET checkpoint = EXCLUDED.checkpoint, updated_at = now()`, [JSON.stringify(checkpoint)]);
}

async function rowCounts(client: pg.PoolClient, schema: string): Promise<Array<{ name: string; rows: number }>> {
  const tables = [];
  for (const name of ['cases', 'forms', 'case_relationships']) {
    // A warehouse from before relationships has none until its cases change or it is fully reloaded.
    const present = await client.query('SELECT to_regclass($1) IS NOT NULL AS present', [`${ident(schema)}.${ident(name)}`]);
    if (present.rows[0]?.present !== true) continue;
    const result = await client.query(`SELECT count(*)::bigint AS n FROM ${ident(schema)}.${ident(name)}`);
    tables.push({ name, rows: Number(result.rows[0]?.n ?? 0) });
  }
  return tables;
}
