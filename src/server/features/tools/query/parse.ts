import { loadModule, parseSync } from 'libpg-query';
import { statementName } from './allow-list';
import { QueryFailed, QueryRejected } from './errors';
import { type Analysis, walkSelect } from './walk';

/** Longer than any question needs; keeps huge literals and generated SQL out. */
export const MAX_SQL_LENGTH = 100_000;

let loaded: Promise<void> | undefined;

/**
 * Layer 1: parses with PostgreSQL's own grammar (libpg-query, PostgreSQL 18)
 * and checks the tree against the allow-list. Throws QueryRejected for what
 * policy refuses and QueryFailed when the SQL does not parse.
 */
export async function analyzeQuery(sql: string, schema: string, parameters = 0): Promise<Analysis> {
  if (typeof sql !== 'string') throw new QueryRejected('the query must be a string of SQL');
  if (sql.length > MAX_SQL_LENGTH) {
    throw new QueryRejected(`the query is too long (${sql.length} characters; the limit is ${MAX_SQL_LENGTH})`);
  }
  // The parser and the wire protocol both end strings at NUL: what follows one could be seen by one and not the other.
  if (sql.includes('\0')) throw new QueryRejected('the query contains a NUL character');
  if (sql.trim() === '') throw new QueryRejected('the query is empty');
  loaded ??= loadModule();
  await loaded;
  let tree: { stmts?: Array<{ stmt?: unknown }> };
  try {
    tree = parseSync(sql) as typeof tree;
  } catch (error) {
    throw syntaxError(error);
  }
  const statements = tree.stmts ?? [];
  if (statements.length === 0) throw new QueryRejected('the query is empty');
  if (statements.length > 1) throw new QueryRejected(`exactly one statement is allowed; found ${statements.length}`);
  const stmt = statements[0]?.stmt;
  const [type, body] = Object.entries((stmt ?? {}) as Record<string, Record<string, unknown>>)[0] ?? ['', {}];
  if (type !== 'SelectStmt') throw new QueryRejected(`only SELECT queries are allowed; found ${statementName(type, body)}`);
  return walkSelect(stmt, schema, parameters);
}

function syntaxError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const cursor = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails?.cursorPosition;
  const detail = typeof cursor === 'number' && cursor >= 0 ? `at character ${cursor + 1}` : undefined;
  return new QueryFailed(message, detail);
}

/**
 * The statement the COPY of an export runs: the checked SELECT (without a
 * trailing semicolon) inside `COPY (…) TO STDOUT`, capped at `rowLimit` rows.
 * COPY travels on the simple protocol, which would run a second statement:
 * the wrapped text is parsed again and must be exactly one COPY of a query.
 */
export async function copyStatement(sql: string, rowLimit: number): Promise<string> {
  loaded ??= loadModule();
  await loaded;
  const [statement] = (parseSync(sql) as { stmts: Array<{ stmt_location?: number; stmt_len?: number }> }).stmts;
  const start = statement?.stmt_location ?? 0;
  const body = statement?.stmt_len ? sql.slice(start, start + statement.stmt_len) : sql.slice(start);
  // Newlines around the body: a trailing line comment in it must not swallow the wrapper.
  const wrapped = `COPY (SELECT * FROM (\n${body}\n) AS scout_export LIMIT ${Math.trunc(rowLimit)}) TO STDOUT WITH (FORMAT csv, HEADER true)`;
  const tree = parseSync(wrapped) as { stmts?: Array<{ stmt?: { CopyStmt?: { query?: unknown; is_from?: boolean } } }> };
  const copy = tree.stmts?.length === 1 ? tree.stmts[0]?.stmt?.CopyStmt : undefined;
  if (!copy?.query || copy.is_from) throw new QueryRejected('the query cannot be exported as written; remove trailing comments or semicolons and try again');
  return wrapped;
}
