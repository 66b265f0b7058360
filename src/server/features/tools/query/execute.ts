import pg from 'pg';
import { ident } from '../../../platform/db/sql';
import { SCOPE_SETTING } from '../../warehouse/row-security';
import { readOnlyRole, restrictedRole } from '../../warehouse/sql';
import { fromPgError, isPgError, QueryBusy, QueryRejected, type RelationColumns } from './errors';
import { fullScope, takeSlotsSql, type SlotRequest, type SlotScope } from './slots';

/**
 * Layer 2: PostgreSQL enforces what the parser already checked. The query runs
 * on a pooled connection inside
 *
 *   BEGIN READ ONLY
 *   SET LOCAL standard_conforming_strings = on   -- the server reads literals as the parser did
 *   SET LOCAL temp_file_limit                    -- only when the app user may set it (superuser or GRANT SET)
 *   SET LOCAL ROLE "<schema>_ro"                 -- USAGE + SELECT on its own schema, nothing else
 *   SET LOCAL search_path = "<schema>"           -- pg_catalog is still searched first (PostgreSQL always
 *                                                --   does); the role may read the catalogs, the parser doesn't let it
 *   SET LOCAL statement_timeout, idle_in_transaction_session_timeout, work_mem
 *   DECLARE scout_query NO SCROLL CURSOR FOR <sql>  -- extended protocol: one statement, and a cursor takes only a query
 *   FETCH FORWARD maxRows+1                      -- streamed: rows past the caps are dropped as they arrive
 *   SELECT <role and search_path are still ours>; ROLLBACK; SELECT pg_advisory_unlock_all()
 *
 * The set-up round trip first takes the query's slots (slots.ts: advisory
 * locks that bound how many queries a user and a domain run at once); the
 * unlock at the end gives them back with any lock the query took.
 *
 * Every SET is LOCAL, so ROLLBACK restores the connection's role, search_path
 * and settings; session advisory locks (the one thing a read-only SELECT can
 * leave behind) are released. A connection that may be in any other state
 * (a failed ROLLBACK, a changed role, a socket cut by the size guard) is
 * destroyed instead of returned to the pool.
 */

export interface Limits {
  maxRows: number;
  timeoutMs: number;
  maxBytes: number;
}

export interface Execution {
  columns: Array<{ name: string; type: string }>;
  rows: unknown[][];
  truncated: boolean;
}

export const CURSOR = 'scout_query';
export const DECLARE = `DECLARE ${CURSOR} NO SCROLL CURSOR FOR `;
const WORK_MEM = '16MB';
const TEMP_FILE_LIMIT = '256MB';
const MIB = 1024 * 1024;
/** How often a query that found its slots taken tries again. */
const SLOT_RETRY_MS = 100;

/**
 * Values JSON carries as they are are parsed (booleans, small numbers, json);
 * everything else stays PostgreSQL's text: int8 and numeric keep every digit,
 * timestamps keep the zone they were written with, bytea is \x hex.
 */
const PARSED_TYPES = new Set([16, 21, 23, 26, 700, 701, 114, 3802, 1000, 1005, 1007, 1016, 1021, 1022, 1009, 1014, 1015, 199, 3807]);
const asText = (value: string) => value;
export const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    PARSED_TYPES.has(oid) ? pg.types.getTypeParser(oid, format ?? 'text') : asText) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PoolState {
  /** By 'oid:typmod'. */
  typeNames: Map<string, string>;
  tempFileLimit?: boolean;
}
const poolStates = new WeakMap<pg.Pool, PoolState>();

export function assertSchemaName(schema: string): void {
  if (typeof schema !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,59}$/.test(schema)) {
    throw new TypeError(`not a warehouse schema name: ${JSON.stringify(schema)}`);
  }
}

/**
 * `scope`: the member reads only the rows of this row-security scope (row-security.ts), as the
 * schema's restricted reader; without it, as the reader of everything.
 */
/** Who reads: the tenant schema, a restricted member's row-security scope, and the name cancelQuery finds the session by. */
export interface Reader {
  schema: string;
  scope?: string | undefined;
  label?: string | undefined;
}

/**
 * A pooled connection inside a reader's transaction: set up, slots taken.
 * Whoever opens one ends it with `finish` (checks the query left the role,
 * scope and search path alone, then rolls back) or lets `release` roll back.
 */
export interface ReaderSession {
  readonly client: pg.PoolClient;
  readonly role: string;
  readonly state: PoolState;
  /** The connection's state is unknown: destroy it instead of pooling it. */
  discard(): void;
  readonly discarded: boolean;
  /** True when role, scope and search path are still the reader's; always ends the transaction. */
  finish(): Promise<boolean>;
  /** Rolls back what is still open and gives the connection back (or destroys it). */
  release(): Promise<void>;
  /** PostgreSQL's error as one of the engine's errors, the role's name scrubbed from it (rolls back first). */
  toQueryError(error: unknown, context: { offset: number; timeoutMs: number; relations: string[] }): Promise<unknown>;
}

/**
 * Opens a reader session, waiting up to `slots.waitMs` for the user's and
 * domain's query slots (holding no connection meanwhile: other tenants'
 * queries need the pool). Throws QueryBusy when they stay taken.
 */
export async function openReader(pool: pg.Pool, reader: Reader, limits: Pick<Limits, 'timeoutMs'>, slots?: SlotRequest): Promise<ReaderSession> {
  assertSchemaName(reader.schema);
  let state = poolStates.get(pool);
  if (!state) poolStates.set(pool, (state = { typeNames: new Map() }));
  const deadline = Date.now() + (slots?.waitMs ?? 0);
  for (;;) {
    const outcome = await tryOpen(await pool.connect(), state, reader, limits, slots);
    if ('session' in outcome) return outcome.session;
    if (Date.now() + SLOT_RETRY_MS > deadline) throw new QueryBusy(outcome.busy.busy);
    await new Promise((resolve) => setTimeout(resolve, SLOT_RETRY_MS));
  }
}

async function tryOpen(
  client: pg.PoolClient,
  state: PoolState,
  reader: Reader,
  limits: Pick<Limits, 'timeoutMs'>,
  slots: SlotRequest | undefined,
): Promise<{ session: ReaderSession } | { busy: SlotScope }> {
  const { schema, scope, label } = reader;
  const role = scope === undefined ? readOnlyRole(schema) : restrictedRole(schema);
  let discard = false;
  let open = true;
  let released = false;
  // A checked-out client has no error listener of the pool's: a dropped socket must not crash the process.
  const onClientError = () => {
    discard = true;
  };
  client.on('error', onClientError);
  const rollback = async () => {
    if (!open || discard) return;
    open = false;
    try {
      await client.query('ROLLBACK; SELECT pg_advisory_unlock_all()');
    } catch {
      discard = true;
    }
  };
  const session: ReaderSession = {
    client,
    role,
    state,
    discard: () => {
      discard = true;
    },
    get discarded() {
      return discard;
    },
    async finish() {
      const finish = (await client.query({ text: finishSql(schema, role, scope), rowMode: 'array' })) as unknown as pg.QueryArrayResult[];
      open = false;
      if (finish[0]?.rows[0]?.[0] === true) return true;
      discard = true;
      return false;
    },
    async release() {
      if (released) return;
      await rollback();
      released = true;
      client.release(discard);
      client.off('error', onClientError);
    },
    async toQueryError(error, context) {
      if (!isPgError(error)) return error;
      if (/^(08|57P|XX)/.test(error.code ?? '') || error.code === '25P03') discard = true;
      // The catalog is read after the rollback, as the app user, on the connection still held.
      await rollback();
      return fromPgError(error, {
        secrets: [role],
        ...context,
        catalog: () => (discard ? Promise.resolve([]) : relationColumnsOnPool(client, schema)),
      });
    },
  };
  try {
    state.tempFileLimit ??= await canSetTempFileLimit(client);
    const setup = setupSql(schema, role, scope, label, limits, state.tempFileLimit);
    if (slots) {
      const [taken] = (await client.query(`${takeSlotsSql(slots)}; ${setup}`)) as unknown as pg.QueryResult[];
      const busy = fullScope(slots, taken?.rows[0] as Record<string, unknown> | undefined);
      if (busy) {
        await session.release();
        return { busy };
      }
    } else {
      await client.query(setup);
    }
  } catch (error) {
    await session.release();
    throw new Error(`the warehouse schema "${schema}" is not ready for queries`, { cause: error });
  }
  return { session };
}

/**
 * `reader.scope`: the member reads only the rows of this row-security scope (row-security.ts), as the
 * schema's restricted reader; without it, as the reader of everything.
 */
export async function execute(
  pool: pg.Pool,
  reader: Reader,
  sql: string,
  limits: Limits,
  relations: string[],
  slots?: SlotRequest,
  values: readonly unknown[] = [],
): Promise<Execution> {
  // PostgreSQL's wire protocol ends the query text at a NUL: never let the server see less than was checked.
  if (sql.includes('\0')) throw new QueryRejected('the query contains a NUL character');
  const session = await openReader(pool, reader, limits, slots);
  const size = { discard: false };
  try {
    await session.client.query({ text: DECLARE + sql, values: [...values], queryMode: 'extended' } as pg.QueryConfig);
    const fetched = await fetchRows(session.client, limits, size);
    if (size.discard) session.discard();
    if (!(await session.finish())) throw new QueryRejected("the query tried to change the session's role, scope or search path; it was stopped and its rows discarded");
    const columns = await describeColumns(session.client, session.state, fetched.fields);
    return { columns, rows: fetched.rows, truncated: fetched.truncated };
  } catch (error) {
    if (size.discard) session.discard();
    throw await session.toQueryError(error, { offset: DECLARE.length, timeoutMs: limits.timeoutMs, relations });
  } finally {
    await session.release();
  }
}

function setupSql(schema: string, role: string, scope: string | undefined, label: string | undefined, limits: Pick<Limits, 'timeoutMs'>, tempFileLimit: boolean): string {
  return [
    'BEGIN READ ONLY',
    // For the transaction only: the pooled connection goes back to the pool unnamed.
    ...(label === undefined ? [] : [`SET LOCAL application_name = ${pg.escapeLiteral(label)}`]),
    'SET LOCAL standard_conforming_strings = on',
    // temp_file_limit is a superuser setting: set it before giving up the app user's rights.
    ...(tempFileLimit ? [`SET LOCAL temp_file_limit = '${TEMP_FILE_LIMIT}'`] : []),
    `SET LOCAL ROLE ${ident(role)}`,
    ...(scope === undefined ? [] : [`SET LOCAL ${SCOPE_SETTING} = ${pg.escapeLiteral(scope)}`]),
    `SET LOCAL search_path = ${ident(schema)}`,
    `SET LOCAL statement_timeout = ${Math.trunc(limits.timeoutMs)}`,
    `SET LOCAL idle_in_transaction_session_timeout = ${Math.max(5_000, Math.trunc(limits.timeoutMs))}`,
    `SET LOCAL work_mem = '${WORK_MEM}'`,
  ].join('; ');
}

/** One round trip: check the query left role, scope and search_path alone, end the transaction, drop session advisory locks. */
function finishSql(schema: string, role: string, scope: string | undefined): string {
  const sameScope = scope === undefined ? '' : ` AND current_setting(${pg.escapeLiteral(SCOPE_SETTING)}, true) = ${pg.escapeLiteral(scope)}`;
  return [
    `SELECT current_user = ${pg.escapeLiteral(role)} AND current_schemas(false) = ARRAY[${pg.escapeLiteral(schema)}]::name[]${sameScope}`,
    'ROLLBACK',
    'SELECT pg_advisory_unlock_all()',
  ].join('; ');
}

interface Fetched {
  fields: pg.FieldDef[];
  rows: unknown[][];
  truncated: boolean;
}

/**
 * FETCH maxRows+1 rows, keeping rows while they fit both caps (a row's size is
 * its JSON length). Rows are parsed one at a time and the ones past a cap are
 * dropped as they arrive, so memory stays near maxBytes. What a cap cannot
 * help with is a single enormous value (node-postgres buffers a whole row) or
 * an absurd amount to drain: past either wire limit the socket is cut, the
 * connection discarded, and the query refused as too large.
 */
function fetchRows(client: pg.PoolClient, limits: Limits, session: { discard: boolean }): Promise<Fetched> {
  const rowLimit = limits.maxBytes + MIB;
  const totalLimit = limits.maxBytes * 20 + 16 * MIB;
  return new Promise<Fetched>((resolve, reject) => {
    const query = new pg.Query({ text: `FETCH FORWARD ${limits.maxRows + 1} FROM ${CURSOR}`, rowMode: 'array', types: TYPES } as pg.QueryConfig);
    const rows: unknown[][] = [];
    let fields: pg.FieldDef[] = [];
    let bytes = 0;
    let truncated = false;
    let sinceRow = 0;
    let total = 0;
    let cut = false;
    const stream = client.connection.stream;
    const onData = (chunk: Buffer) => {
      sinceRow += chunk.length;
      total += chunk.length;
      if ((sinceRow > rowLimit || total > totalLimit) && !cut) {
        cut = true;
        session.discard = true;
        stream.destroy();
      }
    };
    const done = () => stream.off('data', onData);
    stream.on('data', onData);
    let failed: unknown;
    query.on('row', (row: unknown[], result?: { fields: pg.FieldDef[] }) => {
      sinceRow = 0;
      if (result && fields.length === 0) fields = result.fields;
      if (truncated || failed) return;
      if (rows.length >= limits.maxRows) {
        truncated = true;
        return;
      }
      try {
        const size = Buffer.byteLength(JSON.stringify(row));
        if (bytes + size > limits.maxBytes) {
          truncated = true;
          return;
        }
        bytes += size;
        rows.push(row);
      } catch (error) {
        failed = error; // an event handler must not throw: report it when the FETCH ends
      }
    });
    query.on('end', (result: { fields: pg.FieldDef[] }) => {
      done();
      if (failed) return reject(failed);
      resolve({ fields: result.fields.length ? result.fields : fields, rows, truncated });
    });
    query.on('error', (error: Error) => {
      done();
      if (!cut) return reject(error);
      reject(new QueryRejected('the result is too large to return; select fewer or narrower columns, aggregate, or add LIMIT'));
    });
    client.query(query);
  });
}

/** Column names and PostgreSQL's names for their types ('numeric(6,2)', 'timestamp with time zone', 'text[]'). */
async function describeColumns(client: pg.PoolClient, state: PoolState, fields: pg.FieldDef[]) {
  const key = (field: pg.FieldDef) => `${field.dataTypeID}:${field.dataTypeModifier}`;
  const missing = [...new Map(fields.filter((field) => !state.typeNames.has(key(field))).map((field) => [key(field), field])).values()];
  if (missing.length > 0) {
    const { rows } = await client.query<{ key: string; name: string }>(
      `SELECT t.oid || ':' || t.typmod AS key, format_type(t.oid, nullif(t.typmod, -1)) AS name
         FROM unnest($1::oid[], $2::int4[]) AS t(oid, typmod)`,
      [missing.map((field) => field.dataTypeID), missing.map((field) => field.dataTypeModifier)],
    );
    for (const row of rows) state.typeNames.set(row.key, row.name);
  }
  return fields.map((field) => ({ name: field.name, type: state.typeNames.get(key(field)) ?? 'unknown' }));
}

async function canSetTempFileLimit(client: pg.PoolClient): Promise<boolean> {
  try {
    const { rows } = await client.query<{ ok: boolean }>(`SELECT has_parameter_privilege('temp_file_limit', 'SET') AS ok`);
    return rows[0]?.ok === true;
  } catch {
    return false;
  }
}

/** The tenant schema's tables and views with their columns (run as the app user, after the transaction). */
async function relationColumnsOnPool(client: pg.PoolClient, schema: string): Promise<RelationColumns[]> {
  const { rows } = await client.query<{ relation: string; columns: string[] | null }>(
    `SELECT c.relname AS relation, array_agg(a.attname::text ORDER BY a.attnum) FILTER (WHERE a.attname IS NOT NULL) AS columns
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
      GROUP BY c.relname ORDER BY c.relname`,
    [schema],
  );
  return rows.map((row) => ({ relation: row.relation, columns: row.columns ?? [] }));
}
