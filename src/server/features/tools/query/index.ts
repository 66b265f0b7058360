import type pg from 'pg';
import type { QueryResult } from '../../../../shared/tools';
import { assertSchemaName, execute } from './execute';
import { analyzeQuery } from './parse';
import type { SlotRequest } from './slots';

/**
 * The query engine behind the `query` tool: a tenant's SQL, checked by
 * PostgreSQL's own parser against an allow-list (layer 1), then run so that
 * PostgreSQL itself refuses anything else (layer 2: read-only transaction, the
 * tenant's read-only role, time and size limits, always rolled back).
 */

export { QueryBusy, QueryCancelled, QueryFailed, QueryRejected, QueryTimeout } from './errors';
export { cancelQuery, queryLabel } from './cancel';
export type { SlotRequest, SlotScope } from './slots';
export { hardenManagedDatabase } from './harden';

export interface QueryLimits {
  maxRows: number;
  timeoutMs: number;
  maxBytes: number;
}

export type { QueryResult };

export const DEFAULT_LIMITS: Readonly<QueryLimits> = Object.freeze({ maxRows: 500, timeoutMs: 30_000, maxBytes: 5 * 1024 * 1024 });

/**
 * Parser layer only. Throws QueryRejected with a reason a model can act on,
 * or QueryFailed (VALIDATION_ERROR) when the SQL does not parse.
 */
export async function checkQuery(sql: string, schema: string, parameters = 0): Promise<void> {
  await analyzeQuery(sql, schema, parameters);
}

/**
 * Parse + allow-list (unless options.skipParser, for tests only), then execute
 * safely. Throws QueryRejected, QueryTimeout, QueryFailed; anything else
 * (connection lost, schema not provisioned) is an internal error.
 */
export async function runQuery(
  pool: pg.Pool,
  schema: string,
  sql: string,
  limits?: Partial<QueryLimits>,
  options?: {
    skipParser?: boolean;
    slots?: SlotRequest;
    /** Row-security scope of a restricted member (row-security.ts). */
    scope?: string;
    /** Names the query's session so that cancelQuery can find it (queryLabel). */
    label?: string;
    /** Values bound to $1 … $n (a saved question's parameters): sent apart from the SQL, never spliced into it. */
    values?: readonly unknown[];
  },
): Promise<QueryResult> {
  assertSchemaName(schema);
  const effective = resolveLimits(limits);
  const values = options?.values ?? [];
  const analysis = options?.skipParser ? { relations: [] } : await analyzeQuery(sql, schema, values.length);
  const { columns, rows, truncated } = await execute(pool, { schema, scope: options?.scope, label: options?.label }, sql, effective, analysis.relations, options?.slots, values);
  return { columns, rows, row_count: rows.length, truncated, sql_executed: sql };
}

function resolveLimits(limits: Partial<QueryLimits> | undefined): QueryLimits {
  const resolved = { ...DEFAULT_LIMITS, ...stripUndefined(limits ?? {}) };
  for (const [key, value] of Object.entries(resolved)) {
    const minimum = key === 'maxRows' ? 0 : 1;
    if (!Number.isSafeInteger(value) || value < minimum) throw new RangeError(`query limit ${key} must be an integer >= ${minimum}`);
  }
  return resolved;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
