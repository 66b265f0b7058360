import { knowledgeContext } from '../knowledge/context';
import { ensureProposed } from '../knowledge/service';
import { z } from 'zod';
import type { WarehouseTable } from '../../../shared/warehouse';
import type { ToolName } from '../../../shared/tools';
import { presentRun } from '../warehouse/presenter';
import type { WarehouseService } from '../warehouse/service';
import type { TenantContext } from './context';
import { schemaNotReady, ToolError } from './errors';
import type pg from 'pg';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema';
import type { PublicationService } from '../publishing/service';
import { closest } from '../../platform/did-you-mean';
import { queryLabel, runQuery, type QueryResult, type SlotRequest } from './query';
import { ensureScope } from '../warehouse/row-security';
import { CHART_KINDS, CHART_LAYOUTS, CHART_SORTS } from '../../../shared/charts/types';
import { buildSpec, chartRows, ChartConfigError } from '../../../shared/charts/spec';
import { profileColumns } from '../../../shared/charts/columns';
import { suggestChart } from '../../../shared/charts/suggest';
import type { VisualizeResult } from '../../../shared/tools';
import { checkSpec } from '../charts/allow-list';

export interface ToolDeps {
  db: Kysely<Database>;
  /** Drafting posts (draft_publication); absent where publishing isn't wired. */
  publications?: PublicationService;
  warehouse: WarehouseService;
  warehousePool: pg.Pool;
  capacity: QueryCapacity;
}

/** What one user and one domain may run at once (shared by every process), and REST tool calls per user a minute. */
export interface QueryCapacity {
  perUser: number;
  perDomain: number;
  /** How long a query waits for a free slot before it is refused. */
  waitMs: number;
  requestsPerMinute: number;
}

export const DEFAULT_QUERY_CAPACITY: QueryCapacity = { perUser: 2, perDomain: 4, waitMs: 5_000, requestsPerMinute: 120 };

/** The query slots a call takes: one of its user's and one of its domain's. */
export function querySlots(ctx: TenantContext, capacity: QueryCapacity): SlotRequest {
  return {
    waitMs: capacity.waitMs,
    scopes: [
      { key: `user:${ctx.userId}`, limit: capacity.perUser, busy: `You already have ${capacity.perUser} queries running; wait for one to finish, then try again.` },
      {
        key: `tenant:${ctx.membership.tenant_id}`,
        limit: capacity.perDomain,
        busy: `This domain already has ${capacity.perDomain} queries running (its members' and their agents'); try again in a moment.`,
      },
    ],
  };
}

export interface ToolOutcome<T> {
  data: T;
  /** Rows the call returned, for the audit log. */
  rows?: number;
  warnings?: string[];
}

/**
 * How a client may treat a tool before calling it (MCP tool annotations: a
 * client asks its user less about a read-only tool, and may retry an
 * idempotent one). Stated on each definition so that every channel reads one answer.
 */
export interface ToolAnnotations {
  /** A short name for people, e.g. in a client's permission prompt. */
  title: string;
  /** Changes nothing a user could see (bookkeeping such as the warehouse's last-used time aside). */
  readOnlyHint: boolean;
  /** May delete or overwrite what exists (only meaningful when not read-only). */
  destructiveHint: boolean;
  /** Calling it again with the same arguments has no further effect. */
  idempotentHint: boolean;
  /**
   * Reaches an open set of outside systems (the web, anyone's accounts). False for every Scout tool:
   * they read and write Scout's copy of the caller's own domain, and a sync reaches only that domain in CommCare.
   */
  openWorldHint: boolean;
}

/** The annotations of a tool that only reads the domain's data or Scout's records of it. */
export function readOnly(title: string): ToolAnnotations {
  return { title, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
}

export interface ToolDefinition<S extends z.ZodType = z.ZodType, T = unknown> {
  name: ToolName;
  /** Written for a model: what it does and when to use it. */
  description: string;
  annotations: ToolAnnotations;
  input: S;
  run(ctx: TenantContext, args: z.infer<S>, deps: ToolDeps): Promise<ToolOutcome<T>>;
}

export const define = <S extends z.ZodType, T>(tool: ToolDefinition<S, T>) => tool;

/** SCHEMA_NOT_READY unless the warehouse has synced data; marks it as used (it then doesn't expire). Returns the last sync time. */
export async function ensureReady(ctx: TenantContext, deps: Pick<ToolDeps, 'warehouse'>): Promise<Date> {
  const tenantSchema = await deps.warehouse.tenantSchema(ctx.membership.tenant_id);
  if (!tenantSchema || tenantSchema.state === 'expired' || !tenantSchema.last_sync_at) throw schemaNotReady();
  // Recording use costs a write: only when the last one is over a minute old.
  if (Date.now() - tenantSchema.last_accessed_at.getTime() > 60_000) await deps.warehouse.touch(ctx.membership.tenant_id);
  return tenantSchema.last_sync_at;
}

/** The warehouse's tables with counts and dictionary columns, or SCHEMA_NOT_READY. */
async function tablesOf(ctx: TenantContext, deps: ToolDeps): Promise<WarehouseTable[]> {
  const syncedAt = await ensureReady(ctx, deps);
  let tables;
  if (ctx.scope) {
    await ensureScope(deps.warehousePool, ctx.schemaName, ctx.scope.id, ctx.scope.locationIds);
    tables = await deps.warehouse.catalog.describeTablesAs(ctx.schemaName, syncedAt, ctx.scope.id);
  } else {
    tables = await deps.warehouse.catalog.describeTables(ctx.schemaName, syncedAt);
  }
  if (tables.length === 0) throw schemaNotReady();
  return tables;
}

export const listTables = define({
  name: 'list_tables',
  description:
    "Lists the tables and views of this CommCare domain's data with row counts and descriptions. Start here. `cases` and `forms` hold every record (properties and answers as JSON); `case_<type>` and `form_<name>` views give each case type and form typed columns and are usually easier to query.",
  annotations: readOnly('List tables'),
  input: z.object({}).strict(),
  async run(ctx, _args, deps) {
    const tables = await tablesOf(ctx, deps);
    return { data: tables.map(({ name, kind, description, row_count }) => ({ name, kind, description, row_count })), rows: tables.length };
  },
});

export const describeTable = define({
  name: 'describe_table',
  description: 'Describes one table or view: each column with its type, whether it can be null, a description and a few sample values. Use it before writing a query against a table.',
  annotations: readOnly('Describe a table'),
  input: z.object({ table_name: z.string().min(1).max(63).describe('A name returned by list_tables, e.g. case_household') }).strict(),
  async run(ctx, args, deps) {
    const tables = await tablesOf(ctx, deps);
    const table = tables.find((t) => t.name === args.table_name.toLowerCase());
    if (!table) {
      const guess = closest(args.table_name, tables.map((t) => t.name));
      throw new ToolError('NOT_FOUND', `There is no table or view named '${args.table_name}'${guess ? `; did you mean '${guess}'?` : ''} Call list_tables to see them all.`);
    }
    const samples = await deps.warehousePool.query<{ column_name: string; sample_values: unknown; is_nullable: string }>(
      `SELECT d.column_name, d.sample_values, COALESCE(c.is_nullable, 'YES') AS is_nullable
       FROM "${ctx.schemaName}"._scout_columns d
       LEFT JOIN information_schema.columns c ON c.table_schema = $1 AND c.table_name = d.table_name AND c.column_name = d.column_name
       WHERE d.table_name = $2`,
      [ctx.schemaName, table.name],
    );
    const extra = new Map(samples.rows.map((r) => [r.column_name, r]));
    // Samples come from every row: a member HQ restricts sees none rather than other locations' values.
    if (ctx.scope) for (const row of extra.values()) row.sample_values = [];
    // What people wrote about the table wins over what the app's dictionary says.
    await ensureProposed(deps.db, deps.warehousePool, ctx.membership);
    const knowledge = await knowledgeContext(deps.db, ctx.membership.tenant_id, table.name);
    const columns = table.columns.map((column) => ({
      ...column,
      description: knowledge.columns[table.name]?.[column.name] ?? column.description,
      nullable: extra.get(column.name)?.is_nullable !== 'NO',
      sample_values: extra.get(column.name)?.sample_values ?? [],
    }));
    return {
      data: {
        name: table.name,
        kind: table.kind,
        description: knowledge.tables[table.name] ?? table.description,
        row_count: table.row_count,
        columns,
        knowledge: { glossary: knowledge.glossary, measures: knowledge.measures, dimensions: knowledge.dimensions, values: knowledge.values[table.name] ?? {} },
      },
      rows: columns.length,
    };
  },
});

export const getMetadata = define({
  name: 'get_metadata',
  description:
    'Everything about the data at once: tables with their columns, how they relate (forms to cases through forms.case_ids, child cases to parents through case_relationships / parent_case_id, owners and submitters to users, groups and locations, locations to their parents) and when the data was last synced from CommCare.',
  annotations: readOnly('Get the data model'),
  input: z.object({}).strict(),
  async run(ctx, _args, deps) {
    const tables = await tablesOf(ctx, deps);
    const tenantSchema = await deps.warehouse.tenantSchema(ctx.membership.tenant_id);
    const relationships = [
      { from: 'forms.case_ids', to: 'cases.case_id', kind: 'many-to-many', how: 'SELECT … FROM forms f JOIN cases c ON c.case_id = ANY(f.case_ids)' },
      { from: 'cases.indices', to: 'cases.case_id', kind: 'child-to-parent', how: "cases.indices->'parent'->>'case_id' is the parent case" },
      ...tables
        .filter((t) => t.kind === 'view' && t.columns.some((c) => c.name === 'parent_case_id'))
        .map((t) => ({ from: `${t.name}.parent_case_id`, to: 'cases.case_id', kind: 'child-to-parent', how: `${t.name}.parent_case_id = cases.case_id` })),
      ...directoryRelationships(new Set(tables.map((t) => t.name))),
    ];
    await ensureProposed(deps.db, deps.warehousePool, ctx.membership);
    const knowledge = await knowledgeContext(deps.db, ctx.membership.tenant_id);
    return {
      data: { domain: ctx.membership.domain, last_sync_at: tenantSchema?.last_sync_at?.toISOString() ?? null, tables, relationships, knowledge },
      rows: tables.length,
    };
  },
});

const sqlInput = z.string().min(1, 'Write a SELECT query').max(100_000, 'The query is too long');
const requestIdInput = z.uuid('request_id must be a UUID the client chose').optional().describe('A UUID of your choosing: POST …/queries/<request_id>/cancel stops the query');

/**
 * One read-only query through the checks, the role, the caps and this member's scope: what query, visualize and
 * saved questions run. `values` are bound to $1 … $n (a question's parameters); `slots` overrides the member's usual ones.
 */
export async function readRows(
  ctx: TenantContext,
  sql: string,
  deps: Pick<ToolDeps, 'warehouse' | 'warehousePool' | 'capacity'>,
  requestId?: string,
  options: { values?: readonly unknown[]; slots?: SlotRequest } = {},
): Promise<QueryResult> {
  await ensureReady(ctx, deps);
  const limits = { maxRows: ctx.maxRowsPerQuery, timeoutMs: ctx.maxQueryTimeoutSeconds * 1000 };
  if (ctx.scope) await ensureScope(deps.warehousePool, ctx.schemaName, ctx.scope.id, ctx.scope.locationIds);
  return runQuery(deps.warehousePool, ctx.schemaName, sql, limits, {
    slots: options.slots ?? querySlots(ctx, deps.capacity),
    ...(options.values ? { values: options.values } : {}),
    ...(ctx.scope ? { scope: ctx.scope.id } : {}),
    ...(requestId ? { label: queryLabel(ctx.membership.membership_id, requestId) } : {}),
  });
}

export const query = define({
  name: 'query',
  description:
    "Runs one read-only SQL SELECT (PostgreSQL dialect) against this domain's tables and views and returns columns and rows. At most the row cap is returned (truncated: true says there was more: aggregate or add LIMIT). Only this domain's tables are visible; catalog tables, other schemas and side-effecting functions are refused with QUERY_REJECTED and the reason.",
  annotations: readOnly('Run a read-only SQL query'),
  input: z.object({ sql: sqlInput, request_id: requestIdInput }).strict(),
  async run(ctx, args, deps): Promise<ToolOutcome<QueryResult>> {
    const result = await readRows(ctx, args.sql, deps, args.request_id);
    const warnings = result.truncated ? [`Only the first ${result.row_count} rows are shown; aggregate, filter or add LIMIT to see the rest.`] : undefined;
    return { data: result, rows: result.row_count, ...(warnings ? { warnings } : {}) };
  },
});

const column = (what: string) => z.string().min(1).max(128).optional().describe(what);
export const chartInput = z
  .object({
    kind: z.enum(CHART_KINDS).describe('bar, line or area (over time), scatter (two numbers), pie or donut (a few categories), number (one value), table'),
    x: column('The column of categories, times, or the first number'),
    y: column('The numeric column to measure'),
    series: column('A column that splits the marks into colours (e.g. a status)'),
    title: z.string().max(120).optional(),
    sort: z.enum(CHART_SORTS).optional().describe('-y: biggest first (default for bars), y, x, -x, none'),
    layout: z.enum(CHART_LAYOUTS).optional().describe('With a series: stacked (default) or grouped side by side'),
  })
  .strict();

export const visualize = define({
  name: 'visualize',
  description:
    "Draws a chart of one read-only SQL query's result (same rules and caps as query) and shows it to the user. Write the SQL so that it returns what the chart needs, already aggregated: e.g. a category and a count for a bar chart, a date (date_trunc('week', …)::date) and a count for a line. Without chart, Scout picks the best kind from the columns; with chart, {kind, x, y, series?, title?, sort?} choose it. Returns the Vega-Lite spec, the rows and the chart it drew.",
  annotations: readOnly('Draw a chart'),
  input: z
    .object({
      sql: sqlInput,
      request_id: requestIdInput,
      chart: chartInput.optional(),
      spec: z
        .record(z.string(), z.unknown())
        .optional()
        .describe('Instead of chart: a Vega-Lite spec without data (Scout adds the rows); checked against an allow-list of marks, channels and transforms'),
      width: z.number().int().min(200).max(2000).optional().describe('Pixels, for clients that receive the chart as an image (default 800)'),
      height: z.number().int().min(150).max(2000).optional().describe('Pixels, for clients that receive the chart as an image (default 450)'),
    })
    .strict()
    .refine((args) => !(args.chart && args.spec), { message: 'Give chart or spec, not both', path: ['spec'] }),
  async run(ctx, args, deps): Promise<ToolOutcome<VisualizeResult>> {
    let checkedSpec;
    if (args.spec) {
      const check = checkSpec(args.spec);
      if (!check.ok) throw new ToolError('VALIDATION_ERROR', `The chart spec was refused: ${check.errors.join('; ')}`);
      checkedSpec = check.spec;
    }
    const result = await readRows(ctx, args.sql, deps, args.request_id);
    const drawn = { columns: result.columns, rows: result.rows, truncated: result.truncated };
    let chart: VisualizeResult['chart'] = null;
    let spec: VisualizeResult['spec'];
    if (checkedSpec) {
      spec = { ...checkedSpec, data: { values: chartRows(drawn, profileColumns(drawn)) } };
    } else {
      try {
        ({ config: chart, spec } = buildSpec(args.chart ?? suggestChart(drawn), drawn));
      } catch (error) {
        if (!(error instanceof ChartConfigError)) throw error;
        throw new ToolError('VALIDATION_ERROR', `chart.${error.field}: ${error.message}`);
      }
    }
    const warnings = result.truncated ? [`The chart draws only the first ${result.row_count} rows; aggregate in SQL (GROUP BY) so that every row is in it.`] : undefined;
    return { data: { ...result, chart, spec }, rows: result.row_count, ...(warnings ? { warnings } : {}) };
  },
});

export const runMaterialization = define({
  name: 'run_materialization',
  description:
    "Starts loading (syncing) this domain's data from CommCare into Scout. Incremental by default (only what changed since the last sync); mode 'full' reloads everything. Returns at once with a run_id (status already_in_progress and that run's id when a sync is running): poll get_materialization_status until the state is completed. Until then any earlier copy stays queryable.",
  // Not destructive: the new copy replaces the old one only once it has loaded, and it comes from the domain's own data in CommCare.
  // Idempotent: a repeat while a run is active joins it (one active run per domain); a later one only brings the copy up to date again.
  annotations: { title: 'Sync from CommCare', readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  input: z.object({ mode: z.enum(['full', 'incremental']).optional().describe('incremental (default) or full') }).strict(),
  async run(ctx, args, deps) {
    const { created, run } = await deps.warehouse.start(ctx.membership, args.mode);
    return { data: { status: created ? 'started' : 'already_in_progress', run_id: run.id } };
  },
});

export const getMaterializationStatus = define({
  name: 'get_materialization_status',
  description: 'Reports a sync run: its state (started, loading, transforming, completed, failed, cancelled), rows loaded per source and any error. Without run_id, the latest run.',
  annotations: readOnly('Get sync status'),
  input: z.object({ run_id: z.uuid('run_id must be a run id returned by run_materialization').optional() }).strict(),
  async run(ctx, args, deps) {
    const tenantSchema = await deps.warehouse.tenantSchema(ctx.membership.tenant_id);
    const run = args.run_id ? await deps.warehouse.runById(args.run_id) : tenantSchema ? await deps.warehouse.latestRun(tenantSchema.id) : undefined;
    if (!run || !tenantSchema || run.tenant_schema_id !== tenantSchema.id) {
      throw new ToolError('NOT_FOUND', args.run_id ? `No sync run ${args.run_id} for this domain.` : 'This domain has never been synced: call run_materialization.');
    }
    return { data: presentRun(run) };
  },
});

export const TOOLS = [listTables, describeTable, getMetadata, query, visualize, runMaterialization, getMaterializationStatus] as const;

/** How the directory tables join the data, for those the warehouse has. */
function directoryRelationships(present: Set<string>) {
  const all = [
    { needs: 'users', from: 'cases.owner_id', to: 'users.user_id', kind: 'many-to-one', how: 'a mobile worker who owns the case' },
    { needs: 'groups', from: 'cases.owner_id', to: 'groups.group_id', kind: 'many-to-one', how: 'a case-sharing group that owns the case' },
    { needs: 'locations', from: 'cases.owner_id', to: 'locations.location_id', kind: 'many-to-one', how: 'a location that owns the case; views also give location_id (the owner, or its worker\'s primary location)' },
    { needs: 'users', from: 'forms.user_id', to: 'users.user_id', kind: 'many-to-one', how: 'the mobile worker who submitted the form' },
    { needs: 'locations', from: 'locations.parent_location_id', to: 'locations.location_id', kind: 'child-to-parent', how: 'the level above; locations also has <type>_id and <type>_name columns per level' },
    { needs: 'users', from: 'users.primary_location_id', to: 'locations.location_id', kind: 'many-to-one', how: "the user's primary location" },
    { needs: 'group_members', from: 'group_members.user_id', to: 'users.user_id', kind: 'many-to-many', how: 'group_members.group_id = groups.group_id' },
    { needs: 'case_relationships', from: 'case_relationships.case_id', to: 'cases.case_id', kind: 'child', how: 'case_relationships.parent_case_id = cases.case_id for the parent' },
  ];
  return all.filter((r) => present.has(r.needs) && present.has(r.to.split('.')[0]!)).map(({ needs: _needs, ...relationship }) => relationship);
}
