import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkQuery, hardenManagedDatabase, QueryFailed, QueryRejected, QueryTimeout, runQuery, type QueryLimits } from './index';
import { connectionState, createQueryFixture, databaseState, SECRETS, type QueryFixture } from './test-support';

/**
 * Each attack must fail twice: (a) the parser layer rejects it, and (b) with
 * the parser switched off (skipParser) PostgreSQL still makes it harmless: it
 * errors, or answers without anything it must not see; afterwards no table or
 * object has changed and the pooled connection (the pool has one) is back to
 * the app user, the default search_path and default settings.
 */

interface Attack {
  name: string;
  sql: string | ((f: QueryFixture) => string);
  /** How layer 1 refuses: by policy (default) or because PostgreSQL's grammar does not accept it. */
  parser?: 'rejected' | 'syntax';
  /** What layer 2 must do: refuse with an error (default), or it may answer as long as nothing forbidden comes back. */
  database?: 'refused' | 'harmless';
  limits?: Partial<QueryLimits>;
}

/** A statement timeout small enough to stop the sleep and bomb cases quickly (the only timing in this suite). */
const TINY_TIMEOUT = { timeoutMs: 200 };

const ATTACKS: Attack[] = [
  // stacked statements and transaction escapes
  { name: 'stacked DELETE', sql: 'SELECT 1; DELETE FROM cases' },
  { name: 'COMMIT escape then DELETE', sql: 'SELECT 1; COMMIT; DELETE FROM cases' },
  { name: 'leading COMMIT; DELETE', sql: 'COMMIT; DELETE FROM cases' },
  { name: 'ROLLBACK escape then read app table', sql: 'ROLLBACK; SELECT * FROM public."user"' },
  { name: 'END escape then read other tenant', sql: (f) => `END; SELECT * FROM ${f.other}.cases` },
  { name: 'stacked DROP TABLE', sql: 'SELECT 1; DROP TABLE cases' },
  { name: 'stacked SET ROLE NONE then read credentials', sql: 'SELECT 1; SET ROLE NONE; SELECT * FROM public.tenant_credential' },
  { name: 'own transaction block', sql: 'BEGIN; DELETE FROM cases; COMMIT' },
  { name: 'statement hidden after a line comment', sql: 'SELECT 1 -- harmless\n; DELETE FROM cases' },
  { name: 'statement hidden between block comments', sql: 'SELECT 1 /* ; */ ; DELETE FROM cases /* */' },
  // role and settings
  { name: 'SET ROLE NONE', sql: 'SET ROLE NONE' },
  { name: 'RESET ROLE', sql: 'RESET ROLE' },
  { name: 'SET SESSION AUTHORIZATION', sql: 'SET SESSION AUTHORIZATION DEFAULT' },
  { name: 'SET LOCAL statement_timeout', sql: 'SET LOCAL statement_timeout = 0' },
  { name: 'SHOW search_path', sql: 'SHOW search_path' },
  { name: 'set_config role none', sql: "SELECT set_config('role', 'none', true)" },
  {
    name: 'set_config role none, then query_to_xml of credentials',
    sql: "SELECT set_config('role', 'none', true), query_to_xml('SELECT secret FROM public.tenant_credential', true, true, '')",
  },
  {
    name: "set_config to the other tenant's role, then read it",
    sql: (f) => `SELECT set_config('role', '${f.other}_ro', true), query_to_xml('SELECT * FROM ${f.other}.cases', true, true, '')`,
  },
  { name: 'set_config search_path to public', sql: "SELECT set_config('search_path', 'public', true), * FROM cases" },
  { name: 'set_config statement_timeout (session-wide)', sql: "SELECT set_config('statement_timeout', '0', false)", database: 'harmless' },
  { name: 'schema-qualified set_config', sql: "SELECT pg_catalog.set_config('role', 'none', true)" },
  { name: 'current_setting of a server secret', sql: "SELECT current_setting('data_directory')" },
  // files, programs, extensions
  { name: 'pg_read_file', sql: "SELECT pg_read_file('/etc/passwd')" },
  { name: 'pg_read_binary_file', sql: "SELECT pg_read_binary_file('/etc/passwd')" },
  { name: 'pg_ls_dir', sql: "SELECT * FROM pg_ls_dir('.')" },
  { name: 'lo_import', sql: "SELECT lo_import('/etc/passwd')" },
  { name: 'lo_export', sql: "SELECT lo_export(1, '/tmp/scout-lo-export')" },
  { name: 'lo_get', sql: 'SELECT lo_get(1)' },
  { name: 'COPY TO PROGRAM', sql: "COPY cases TO PROGRAM 'touch /tmp/scout-pwned'" },
  { name: 'COPY app table to STDOUT', sql: 'COPY (SELECT * FROM public.tenant_credential) TO STDOUT' },
  { name: 'dblink', sql: "SELECT * FROM dblink('dbname=postgres', 'SELECT secret FROM public.tenant_credential') AS t(s text)" },
  { name: 'CREATE EXTENSION dblink', sql: 'CREATE EXTENSION dblink' },
  { name: 'DO block', sql: 'DO $$ BEGIN PERFORM pg_sleep(1); END $$' },
  { name: 'CALL', sql: 'CALL some_procedure()' },
  { name: 'LOAD a library', sql: "LOAD 'plpgsql'" },
  { name: 'pg_reload_conf', sql: 'SELECT pg_reload_conf()' },
  { name: 'query_to_xml of credentials', sql: "SELECT query_to_xml('SELECT * FROM public.tenant_credential', true, true, '')" },
  { name: 'ts_stat runs a query', sql: "SELECT * FROM ts_stat('SELECT to_tsvector(secret) FROM public.tenant_credential')" },
  // sleeping, hidden in every clause
  { name: 'pg_sleep', sql: 'SELECT pg_sleep(10)', limits: TINY_TIMEOUT },
  { name: 'pg_sleep_for', sql: "SELECT pg_sleep_for('10 seconds')", limits: TINY_TIMEOUT },
  { name: 'pg_sleep in ORDER BY', sql: 'SELECT * FROM cases ORDER BY pg_sleep(10)', limits: TINY_TIMEOUT },
  { name: 'pg_sleep in LATERAL', sql: 'SELECT * FROM cases, LATERAL (SELECT pg_sleep(10)) s', limits: TINY_TIMEOUT },
  { name: 'pg_sleep in VALUES', sql: 'VALUES (pg_sleep(10))', limits: TINY_TIMEOUT },
  { name: 'pg_sleep in a window clause', sql: 'SELECT count(*) OVER (ORDER BY pg_sleep(10)) FROM cases', limits: TINY_TIMEOUT },
  { name: 'pg_sleep in a CTE', sql: 'WITH s AS (SELECT pg_sleep(10)) SELECT * FROM s', limits: TINY_TIMEOUT },
  { name: 'pg_sleep in a FILTER clause', sql: 'SELECT count(*) FILTER (WHERE pg_sleep(10) IS NULL) FROM cases', limits: TINY_TIMEOUT },
  { name: 'pg_sleep in a named argument', sql: 'SELECT make_interval(secs => (SELECT 1 FROM pg_sleep(10)))', limits: TINY_TIMEOUT },
  { name: 'pg_sleep in a JOIN condition', sql: 'SELECT * FROM cases a JOIN cases b ON pg_sleep(10) IS NOT NULL', limits: TINY_TIMEOUT },
  { name: 'pg_sleep in LIMIT', sql: 'SELECT * FROM cases LIMIT (SELECT 1 FROM pg_sleep(10))', limits: TINY_TIMEOUT },
  { name: 'quoted "pg_sleep"', sql: 'SELECT "pg_sleep"(10)', limits: TINY_TIMEOUT },
  { name: 'pg_sleep qualified with pg_catalog', sql: 'SELECT pg_catalog.pg_sleep(10)', limits: TINY_TIMEOUT },
  // cross-schema reads
  { name: "other tenant's schema", sql: (f) => `SELECT * FROM ${f.other}.cases` },
  { name: "other tenant's schema, quoted", sql: (f) => `SELECT * FROM "${f.other}"."cases"` },
  { name: "other tenant's schema in a join", sql: (f) => `SELECT * FROM cases a JOIN ${f.other}.cases b ON true` },
  { name: "other tenant's schema in EXISTS", sql: (f) => `SELECT * FROM cases WHERE EXISTS (SELECT 1 FROM ${f.other}.cases)` },
  { name: 'schema-qualified column of another tenant', sql: (f) => `SELECT ${f.other}.cases.name FROM cases` },
  { name: 'public."user"', sql: 'SELECT * FROM public."user"' },
  { name: '"public"."user"', sql: 'SELECT email, password_hash FROM "public"."user"' },
  { name: 'public.tenant_credential', sql: 'SELECT * FROM public.tenant_credential' },
  { name: 'credentials in a scalar subquery', sql: 'SELECT (SELECT secret FROM public.tenant_credential LIMIT 1)' },
  { name: 'TABLE public.tenant_credential', sql: 'TABLE public.tenant_credential' },
  { name: 'database-qualified name', sql: 'SELECT * FROM postgres.public.tenant_credential' },
  { name: 'pg_temp schema', sql: 'SELECT * FROM pg_temp.anything' },
  // catalogs
  { name: 'pg_authid', sql: 'SELECT rolname, rolpassword FROM pg_authid' },
  { name: 'pg_catalog.pg_authid', sql: 'SELECT * FROM pg_catalog.pg_authid' },
  { name: 'PG_AUTHID upper-case', sql: 'SELECT * FROM PG_AUTHID' },
  { name: 'pg_shadow', sql: 'SELECT usename, passwd FROM pg_shadow' },
  { name: 'pg_roles', sql: 'SELECT rolname, rolpassword FROM pg_roles', database: 'harmless' },
  { name: 'information_schema.tables', sql: 'SELECT table_schema, table_name FROM information_schema.tables', database: 'harmless' },
  { name: 'pg_class', sql: 'SELECT relname FROM pg_class', database: 'harmless' },
  { name: 'pg_stat_activity', sql: 'SELECT usename, query FROM pg_stat_activity', database: 'harmless' },
  { name: 'pg_settings', sql: 'SELECT name, setting FROM pg_settings', database: 'harmless' },
  { name: 'quoted "PG_CATALOG"."pg_class"', sql: 'SELECT * FROM "PG_CATALOG"."pg_class"' },
  { name: 'quoted "pg_catalog"."pg_authid"', sql: 'SELECT * FROM "pg_catalog"."pg_authid"' },
  { name: 'unicode-escaped pg_catalog', sql: String.raw`SELECT * FROM U&"pg\005fcatalog".pg_authid` },
  { name: 'Cyrillic look-alike in pg_authid', sql: 'SELECT * FROM pg_аuthid' },
  { name: 'full-width look-alike table name', sql: 'SELECT * FROM ｃａｓｅｓ' },
  { name: "Cyrillic look-alike of the other tenant's schema", sql: (f) => `SELECT * FROM ${f.other.replace('a', 'а')}.cases` },
  // data-modifying CTEs, SELECT INTO, locking
  { name: 'CTE with DELETE', sql: 'WITH d AS (DELETE FROM cases RETURNING *) SELECT * FROM d' },
  { name: 'CTE with INSERT', sql: "WITH i AS (INSERT INTO cases (case_id, case_type, closed, opened_on) VALUES ('x', 'x', false, now()) RETURNING *) SELECT * FROM i" },
  { name: 'CTE with UPDATE', sql: "WITH u AS (UPDATE cases SET name = 'pwned' RETURNING *) SELECT * FROM u" },
  { name: 'SELECT INTO', sql: 'SELECT * INTO stolen FROM cases' },
  { name: 'SELECT INTO TEMP', sql: 'SELECT * INTO TEMP stolen FROM cases' },
  { name: 'FOR UPDATE', sql: 'SELECT * FROM cases FOR UPDATE' },
  { name: 'FOR SHARE SKIP LOCKED', sql: 'SELECT * FROM cases FOR SHARE SKIP LOCKED' },
  { name: 'FOR UPDATE in a subquery', sql: 'SELECT * FROM (SELECT * FROM cases FOR UPDATE) c' },
  // casts and hidden lookups
  { name: "'x'::regclass", sql: "SELECT 'pg_authid'::regclass::oid", database: 'harmless' },
  { name: '::regproc', sql: "SELECT 'pg_sleep'::regproc", database: 'harmless' },
  { name: 'CAST AS regclass', sql: (f) => `SELECT CAST('${f.other}.cases' AS regclass)`, database: 'harmless' },
  { name: '::regprocedure', sql: "SELECT 'pg_read_file(text)'::pg_catalog.regprocedure", database: 'harmless' },
  { name: 'regclass in a column definition list', sql: 'SELECT * FROM jsonb_to_record(\'{"a": "pg_authid"}\') AS x(a regclass)', database: 'harmless' },
  { name: 'regclass in JSON RETURNING', sql: "SELECT JSON_VALUE('\"pg_authid\"', '$' RETURNING regclass)", database: 'harmless' },
  { name: 'tableoid::regclass', sql: 'SELECT tableoid::regclass, * FROM cases', database: 'harmless' },
  { name: 'system columns', sql: 'SELECT ctid, xmin, xmax, * FROM cases', database: 'harmless' },
  { name: 'current_setting in VALUES', sql: "SELECT * FROM (VALUES (current_setting('is_superuser'))) v(x)", database: 'harmless' },
  { name: 'version() in TABLESAMPLE', sql: 'SELECT * FROM cases TABLESAMPLE BERNOULLI (length(version()))', database: 'harmless' },
  { name: 'TABLESAMPLE by an extension method', sql: 'SELECT * FROM cases TABLESAMPLE system_time (1000)' },
  { name: 'operator from another schema', sql: 'SELECT 1 OPERATOR(public.+) 1' },
  { name: 'function from the tenant schema', sql: (f) => `SELECT ${f.schema}.lower('X')` },
  { name: 'parameter placeholder', sql: 'SELECT * FROM cases WHERE case_id = $1' },
  // DDL, session state, utility statements
  { name: 'CREATE TEMP TABLE AS', sql: 'CREATE TEMP TABLE stolen AS SELECT * FROM cases' },
  { name: 'CREATE TABLE', sql: 'CREATE TABLE cases_copy (id int)' },
  { name: 'DROP TABLE', sql: 'DROP TABLE cases' },
  { name: 'TRUNCATE', sql: 'TRUNCATE cases' },
  { name: 'UPDATE', sql: "UPDATE cases SET name = 'pwned'" },
  { name: 'DELETE', sql: 'DELETE FROM cases' },
  { name: 'INSERT', sql: "INSERT INTO cases (case_id) VALUES ('x')" },
  { name: 'MERGE', sql: "MERGE INTO cases c USING (SELECT 'c1' AS id) s ON c.case_id = s.id WHEN MATCHED THEN DELETE" },
  { name: 'GRANT', sql: 'GRANT SELECT ON cases TO PUBLIC' },
  { name: 'ALTER SYSTEM', sql: "ALTER SYSTEM SET log_statement = 'none'" },
  { name: 'PREPARE', sql: 'PREPARE p AS SELECT 1' },
  { name: 'EXECUTE', sql: 'EXECUTE p' },
  { name: 'DEALLOCATE', sql: 'DEALLOCATE ALL' },
  { name: 'LISTEN', sql: 'LISTEN scout' },
  { name: 'NOTIFY', sql: "NOTIFY scout, 'x'" },
  { name: 'pg_notify', sql: "SELECT pg_notify('scout', 'x')", database: 'harmless' },
  { name: 'LOCK TABLE', sql: 'LOCK TABLE cases' },
  { name: 'pg_advisory_lock (session lock)', sql: 'SELECT pg_advisory_lock(42)', database: 'harmless' },
  { name: 'pg_try_advisory_lock then fail', sql: 'SELECT pg_try_advisory_lock(43), 1 / (visits - visits) FROM cases' },
  { name: 'pg_terminate_backend', sql: 'SELECT pg_terminate_backend(pg_backend_pid())' },
  { name: 'pg_cancel_backend of others', sql: 'SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()', database: 'harmless' },
  { name: 'pg_logical_emit_message', sql: "SELECT pg_logical_emit_message(false, 'scout', 'x')", database: 'harmless' },
  { name: 'nextval', sql: "SELECT nextval('some_sequence')" },
  { name: 'EXPLAIN ANALYZE', sql: 'EXPLAIN ANALYZE SELECT * FROM cases' },
  { name: 'VACUUM', sql: 'VACUUM cases' },
  { name: 'CHECKPOINT', sql: 'CHECKPOINT' },
  { name: 'DISCARD ALL', sql: 'DISCARD ALL' },
  { name: 'DECLARE a cursor of its own', sql: 'DECLARE c CURSOR FOR SELECT 1' },
  { name: "FETCH from the engine's cursor", sql: 'FETCH ALL FROM scout_query' },
  { name: "CLOSE the engine's cursor", sql: 'CLOSE scout_query' },
  // leaks of identity and internals
  { name: 'version()', sql: 'SELECT version()', database: 'harmless' },
  { name: 'txid_current()', sql: 'SELECT txid_current()', database: 'harmless' },
  { name: 'pg_current_xact_id()', sql: 'SELECT pg_current_xact_id()', database: 'harmless' },
  { name: 'current_user', sql: 'SELECT current_user', database: 'harmless' },
  { name: 'session_user', sql: 'SELECT session_user', database: 'harmless' },
  { name: 'current_database()', sql: 'SELECT current_database()', database: 'harmless' },
  { name: 'inet_server_addr()', sql: 'SELECT inet_server_addr()', database: 'harmless' },
  { name: 'setseed', sql: 'SELECT setseed(0.5)', database: 'harmless' },
  { name: 'XML functions', sql: "SELECT xmlelement(name x, 'y')", database: 'harmless' },
  // huge literals
  { name: 'huge string literal', sql: `SELECT '${'x'.repeat(200_000)}'`, database: 'harmless' },
  { name: 'huge IN list', sql: `SELECT * FROM cases WHERE case_id IN (${Array.from({ length: 25_000 }, (_, i) => `'c${i}'`).join(',')})`, database: 'harmless' },
  { name: 'NUL byte splitting the statement', sql: 'SELECT 1\u0000; DELETE FROM cases' },
  // unparsable tricks
  { name: 'full-width semicolon', sql: 'SELECT 1；DELETE FROM cases', parser: 'syntax' },
];

/** Not refused by the parser (they are ordinary SELECTs), stopped by the limits instead. */
const CONTAINED: Array<{ name: string; sql: string; limits: Partial<QueryLimits>; expect: 'timeout' | 'truncated' | 'too large' }> = [
  { name: 'recursive CTE bomb, counted', sql: 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r', limits: TINY_TIMEOUT, expect: 'timeout' },
  { name: 'recursive CTE bomb, listed', sql: 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT * FROM r', limits: {}, expect: 'truncated' },
  { name: 'generate_series bomb in the select list', sql: 'SELECT generate_series(1, 1000000000000)', limits: {}, expect: 'truncated' },
  // A function in FROM is materialised whole before its first row: the timeout (or temp_file_limit) stops it.
  { name: 'generate_series bomb in FROM', sql: 'SELECT * FROM generate_series(1, 1000000000000)', limits: TINY_TIMEOUT, expect: 'timeout' },
  { name: 'generate_series bomb, counted', sql: 'SELECT count(*) FROM generate_series(1, 1000000000000)', limits: TINY_TIMEOUT, expect: 'timeout' },
  { name: 'cross join bomb', sql: 'SELECT count(*) FROM generate_series(1, 100000) a, generate_series(1, 100000) b', limits: TINY_TIMEOUT, expect: 'timeout' },
  { name: 'huge value', sql: "SELECT repeat('x', 20000000)", limits: {}, expect: 'too large' },
  { name: 'many wide rows', sql: "SELECT repeat('x', 100000) FROM generate_series(1, 1000)", limits: {}, expect: 'truncated' },
];

let f: QueryFixture;
let cleanDatabase: unknown;
let cleanConnection: Record<string, unknown>;

beforeAll(async () => {
  f = await createQueryFixture();
  cleanDatabase = await databaseState(f);
  cleanConnection = await connectionState(f.pool);
  // The baseline itself: the app user with PostgreSQL's default path.
  expect(cleanConnection.current_user).toBe(cleanConnection.session_user);
  expect(cleanConnection.search_path).toBe('"$user", public');
});

afterAll(async () => {
  await f?.close();
});

async function outcomeOf(promise: Promise<unknown>): Promise<{ result?: unknown; error?: unknown }> {
  return promise.then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
}

function isEngineError(error: unknown): boolean {
  return error instanceof QueryRejected || error instanceof QueryTimeout || error instanceof QueryFailed;
}

function expectNothingForbidden(outcome: { result?: unknown; error?: unknown }) {
  const error = outcome.error as { message?: string; detail?: string } | undefined;
  const text = JSON.stringify(outcome.result ?? { message: error?.message, detail: error?.detail });
  for (const secret of f.forbidden) expect(text).not.toContain(secret);
}

async function expectUnchanged() {
  expect(await databaseState(f)).toEqual(cleanDatabase);
  expect(await connectionState(f.pool)).toEqual(cleanConnection);
}

describe('adversarial queries', () => {
  it('has at least 60 attacks', () => {
    expect(ATTACKS.length).toBeGreaterThanOrEqual(60);
  });

  it.each(ATTACKS)('$name', async (attack) => {
    const sql = typeof attack.sql === 'function' ? attack.sql(f) : attack.sql;

    // (a) the parser layer refuses it, without touching the database
    const parsed = await outcomeOf(checkQuery(sql, f.schema));
    expect(parsed.error).toBeInstanceOf(attack.parser === 'syntax' ? QueryFailed : QueryRejected);
    const guarded = await outcomeOf(runQuery(f.pool, f.schema, sql, attack.limits));
    expect(guarded.error).toBeInstanceOf(attack.parser === 'syntax' ? QueryFailed : QueryRejected);

    // (b) without the parser, PostgreSQL refuses it or it is harmless
    const unguarded = await outcomeOf(runQuery(f.pool, f.schema, sql, attack.limits, { skipParser: true }));
    if (attack.database !== 'harmless') expect(unguarded.error, JSON.stringify(unguarded.result)).toBeDefined();
    if (unguarded.error) expect(isEngineError(unguarded.error), String(unguarded.error)).toBe(true);
    expectNothingForbidden(unguarded);
    await expectUnchanged();
  });
});

describe('resource bombs the parser allows', () => {
  it.each(CONTAINED)('$name is stopped by the limits', async (bomb) => {
    await expect(checkQuery(bomb.sql, f.schema)).resolves.toBeUndefined();
    for (const options of [{}, { skipParser: true }]) {
      const outcome = await outcomeOf(runQuery(f.pool, f.schema, bomb.sql, bomb.limits, options));
      if (bomb.expect === 'timeout') expect(outcome.error).toBeInstanceOf(QueryTimeout);
      if (bomb.expect === 'too large') expect(outcome.error).toBeInstanceOf(QueryRejected);
      if (bomb.expect === 'truncated') {
        const result = outcome.result as { truncated: boolean; row_count: number };
        expect(result.truncated).toBe(true);
        expect(result.row_count).toBeLessThanOrEqual(500);
      }
      await expectUnchanged();
    }
  });
});

describe('database layer alone, role switches', () => {
  it('discards the rows of a query that switched role, and replaces its connection', async () => {
    const { rows: before } = await f.pool.query('SELECT pg_backend_pid() AS pid');
    const sql = "SELECT set_config('role', 'none', true), query_to_xml('SELECT secret FROM public.tenant_credential', true, true, '')";
    const outcome = await outcomeOf(runQuery(f.pool, f.schema, sql, {}, { skipParser: true }));
    expect(outcome.error).toBeInstanceOf(QueryRejected);
    expect((outcome.error as Error).message).toMatch(/role, scope or search path/);
    expectNothingForbidden(outcome);
    const { rows: after } = await f.pool.query('SELECT pg_backend_pid() AS pid');
    expect(after[0].pid).not.toBe(before[0].pid);
    await expectUnchanged();
  });
});

// Runs last: it changes a function's privileges in this test database.
describe('with hardenManagedDatabase', () => {
  // Without the hardening, this one gets through the database layer alone: the role switch happens inside
  // the statement, the statement then fails with the data in its error message, and the failed
  // transaction has already reverted the role by the time anything could check it.
  const exfiltrateThroughError =
    "SELECT (set_config('role', 'none', true) || query_to_xml('SELECT secret FROM public.tenant_credential', true, true, '')::text)::int";

  it('the parser refuses it', async () => {
    await expect(checkQuery(exfiltrateThroughError, f.schema)).rejects.toBeInstanceOf(QueryRejected);
  });

  it('PostgreSQL refuses set_config to the tenant roles, so the data cannot leave through an error message', async () => {
    expect(await hardenManagedDatabase(f.admin)).toEqual({ hardened: true });
    const outcome = await outcomeOf(runQuery(f.pool, f.schema, exfiltrateThroughError, {}, { skipParser: true }));
    expect(outcome.error).toBeInstanceOf(QueryRejected);
    expect((outcome.error as Error).message).toMatch(/permission denied for function set_config/);
    expectNothingForbidden(outcome);
    expect(JSON.stringify(outcome)).not.toContain(SECRETS.credential);
    await expectUnchanged();
  });

  it('the app user keeps set_config', async () => {
    const { rows } = await f.admin.query("SELECT set_config('application_name', 'scout-test', false) AS value");
    expect(rows[0].value).toBe('scout-test');
  });
});
