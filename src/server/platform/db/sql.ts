import type pg from 'pg';

/**
 * SQL text helpers. Every name that reaches SQL text goes through `ident`
 * (schema, table and column names, even the ones we sanitized ourselves), and
 * every value that cannot be a bind parameter (view definitions are DDL, which
 * takes no parameters) goes through `literal`.
 */

/** A quoted identifier: "a""b". */
export function ident(name: string): string {
  if (name.includes('\0')) throw new Error('An SQL identifier cannot contain a NUL character.');
  return `"${name.replace(/"/g, '""')}"`;
}

/** "schema"."name". */
export function qualified(schema: string, name: string): string {
  return `${ident(schema)}.${ident(name)}`;
}

/**
 * A string literal that means the same whatever `standard_conforming_strings`
 * says: values with a backslash use the E'' form with backslashes doubled
 * (as libpq's PQescapeLiteral does).
 */
export function literal(value: string): string {
  if (value.includes('\0')) throw new Error('An SQL string literal cannot contain a NUL character.');
  const quoted = value.replace(/'/g, "''");
  return value.includes('\\') ? ` E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

/** Runs `work` in a transaction on a checked-out client: COMMIT when it returns, ROLLBACK (and rethrow) when it throws. */
export async function inTransaction<T>(client: pg.PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
