import { describe, expect, it } from 'vitest';
import { checkQuery, QueryFailed, QueryRejected } from './index';
import { analyzeQuery, MAX_SQL_LENGTH } from './parse';

const SCHEMA = 't_demo_1234567890';

/** What an analyst (or a model) writes: all of it must pass the parser layer. */
const ALLOWED = [
  'SELECT 1',
  'SELECT * FROM cases',
  'SELECT * FROM cases;',
  `SELECT * FROM ${SCHEMA}.cases`,
  `SELECT * FROM "${SCHEMA}"."cases"`,
  'TABLE cases',
  'VALUES (1, 2), (3, 4)',
  "SELECT case_type, count(*) AS n FROM cases WHERE opened_on >= now() - interval '30 days' GROUP BY 1 ORDER BY n DESC LIMIT 10",
  'SELECT c.name, f.received_on FROM cases c JOIN forms f ON f.case_id = c.case_id LEFT JOIN owners o USING (owner_id)',
  'SELECT * FROM cases c, LATERAL (SELECT count(*) FROM forms f WHERE f.case_id = c.case_id) n',
  'WITH recent AS (SELECT * FROM forms WHERE received_on > current_date - 7) SELECT count(*) FROM recent',
  'WITH RECURSIVE tree(id, parent) AS (SELECT case_id, parent_id FROM cases WHERE parent_id IS NULL UNION ALL SELECT c.case_id, c.parent_id FROM cases c JOIN tree t ON c.parent_id = t.id) SELECT * FROM tree',
  'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) CYCLE n SET is_cycle USING path SELECT * FROM r',
  'SELECT a FROM x UNION SELECT a FROM y INTERSECT SELECT a FROM z EXCEPT ALL SELECT a FROM w',
  'SELECT name, row_number() OVER w, lag(score) OVER (PARTITION BY case_type ORDER BY opened_on ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM cases WINDOW w AS (ORDER BY name)',
  'SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY score), count(*) FILTER (WHERE closed), string_agg(DISTINCT name, \', \' ORDER BY name) FROM cases',
  "SELECT properties->>'village', properties->'tags'->0, properties #>> '{a,b}', properties @> '{\"x\": 1}', properties ? 'members' FROM cases",
  "SELECT jsonb_array_elements_text(properties->'tags'), jsonb_path_query(properties, '$.members') FROM cases",
  "SELECT * FROM cases, jsonb_to_recordset(properties->'items') AS item(name text, qty int)",
  "SELECT * FROM cases, jsonb_each(properties) WITH ORDINALITY AS kv(key, value, n)",
  "SELECT JSON_VALUE(properties, '$.members' RETURNING int DEFAULT 0 ON EMPTY), properties IS JSON OBJECT, JSON_OBJECT('a': 1) FROM cases",
  "SELECT jt.* FROM cases, JSON_TABLE(properties, '$.tags[*]' COLUMNS (tag text PATH '$')) AS jt",
  "SELECT extract(year FROM opened_on), date_trunc('month', opened_on), to_char(opened_on, 'YYYY-MM'), opened_on AT TIME ZONE 'UTC' FROM cases",
  "SELECT CASE WHEN score > 50 THEN 'high' ELSE 'low' END, coalesce(name, '?'), nullif(visits, 0), greatest(1, 2), least(3, 4) FROM cases",
  "SELECT score::numeric(6, 2), visits::text, '2024-01-01'::date, CAST(visits AS bigint), '{1,2}'::int[], ARRAY[1, 2], (ARRAY[1, 2])[1] FROM cases",
  "SELECT lower(name), upper(name), substring(name FROM 1 FOR 3), trim(both ' ' FROM name), position('a' IN name), name || '!' FROM cases",
  "SELECT name ILIKE 'a%', name SIMILAR TO 'a%', name ~* '^a', name NOT LIKE 'b%' ESCAPE '!' FROM cases",
  'SELECT visits BETWEEN 1 AND 5, visits IN (1, 2), visits = ANY (ARRAY[1]), visits IS DISTINCT FROM 3 FROM cases',
  'SELECT EXISTS (SELECT 1 FROM forms), (SELECT max(score) FROM cases), ARRAY(SELECT name FROM cases)',
  'SELECT case_type, owner_id, count(*), grouping(case_type) FROM cases GROUP BY ROLLUP (case_type, owner_id)',
  'SELECT DISTINCT ON (owner_id) owner_id, name FROM cases ORDER BY owner_id, opened_on DESC NULLS LAST',
  'SELECT * FROM cases TABLESAMPLE BERNOULLI (10) REPEATABLE (42)',
  'SELECT round(avg(score), 2), stddev(score), width_bucket(score, 0, 100, 10), abs(-1), power(2, 10) FROM cases',
  'SELECT * FROM generate_series(1, 10) g(n)',
  'SELECT name COLLATE "C" FROM cases ORDER BY name USING <',
  "SELECT to_tsvector('english', name) @@ plainto_tsquery('english', 'amina') FROM cases",
  'SELECT count(*) FROM cases WHERE closed IS NOT TRUE AND name IS NOT NULL',
  'SELECT current_date, current_timestamp, localtimestamp(2)',
  'WITH pg_fake AS (SELECT 1) SELECT 1',
];

describe('checkQuery accepts ordinary analysis', () => {
  it.each(ALLOWED)('%s', async (sql) => {
    await expect(checkQuery(sql, SCHEMA)).resolves.toBeUndefined();
  });
});

/** Each refusal with the reason a model gets: specific enough to fix the query. */
const REJECTED: Array<[sql: string, reason: RegExp]> = [
  ['DELETE FROM cases', /^only SELECT queries are allowed; found DELETE$/],
  ['INSERT INTO cases VALUES (1)', /found INSERT$/],
  ['UPDATE cases SET a = 1', /found UPDATE$/],
  ['COMMIT', /found COMMIT$/],
  ['SET ROLE none', /found SET$/],
  ['RESET ROLE', /found RESET$/],
  ['SHOW search_path', /found SHOW$/],
  ["COPY cases TO PROGRAM 'x'", /found COPY$/],
  ['EXPLAIN ANALYZE SELECT 1', /found EXPLAIN$/],
  ['CREATE TEMP TABLE t AS SELECT 1', /found CREATE TABLE AS$/],
  ['DO $$ BEGIN END $$', /found DO$/],
  ['SELECT 1; SELECT 2', /^exactly one statement is allowed; found 2$/],
  ['', /empty/],
  ['  ;  ', /empty/],
  ['-- just a comment', /empty/],
  ['SELECT pg_sleep(1)', /^function pg_sleep\(\) is not allowed/],
  ["SELECT set_config('role', 'none', true)", /function set_config\(\)/],
  ["SELECT current_setting('role')", /function current_setting\(\)/],
  ['SELECT version()', /function version\(\)/],
  ['SELECT txid_current()', /function txid_current\(\)/],
  ['SELECT lower(x) FROM cases ORDER BY pg_backend_pid()', /function pg_backend_pid\(\)/],
  ['SELECT public.lower(x)', /function public\.lower\(\) is not allowed/],
  ['SELECT current_user', /^CURRENT_USER is not allowed$/],
  ['SELECT * FROM pg_class', /^system catalogs are not accessible \("pg_class"\)/],
  ['SELECT * FROM information_schema.tables', /system catalogs are not accessible \(schema "information_schema"\)/],
  ['SELECT * FROM "PG_CATALOG".pg_class', /system catalogs are not accessible/],
  ['SELECT * FROM other_tenant.cases', /^schema "other_tenant" is not accessible/],
  ['SELECT * FROM public."user"', /schema "public" is not accessible/],
  ['SELECT * FROM "Cases"', /relation "Cases" is not a table of this warehouse/],
  ['SELECT * FROM db.s.t', /database-qualified names are not allowed/],
  ['SELECT other_tenant.cases.name FROM cases', /schema "other_tenant" is not accessible/],
  ['SELECT ctid FROM cases', /system column ctid is not allowed/],
  ['WITH d AS (DELETE FROM cases RETURNING *) SELECT * FROM d', /^data-modifying statements in WITH are not allowed; found DELETE$/],
  ['WITH u AS (UPDATE cases SET a = 1 RETURNING *) SELECT * FROM u', /found UPDATE$/],
  ['SELECT * INTO t FROM cases', /SELECT \.\.\. INTO is not allowed/],
  ['SELECT * FROM cases FOR UPDATE', /locking clauses/],
  ['SELECT * FROM cases FOR NO KEY UPDATE NOWAIT', /locking clauses/],
  ['SELECT * FROM (SELECT * FROM cases FOR SHARE) s', /locking clauses/],
  ['SELECT 1 UNION SELECT 2 FOR UPDATE', /locking clauses/],
  ["SELECT 'pg_authid'::regclass", /type regclass is not allowed/],
  ["SELECT CAST('x' AS pg_catalog.regproc)", /type regproc is not allowed/],
  ['SELECT x::public.mytype', /type public\.mytype is not allowed/],
  ['SELECT 1 OPERATOR(public.+) 1', /operator public\.\+ is not allowed/],
  ['SELECT * FROM cases WHERE a = $1', /parameters \(\$1, \$2, \.\.\.\) are not supported/],
  ["SELECT xmlelement(name a, 'b')", /XML functions are not allowed/],
  ['SELECT * FROM cases TABLESAMPLE system_rows(10)', /TABLESAMPLE system_rows is not allowed/],
  ["SELECT JSON_VALUE(properties, '$' RETURNING regclass) FROM cases", /type regclass is not allowed/],
  ["SELECT * FROM JSON_TABLE('[]', '$' COLUMNS (a regclass PATH '$')) j", /type regclass is not allowed/],
  ["SELECT * FROM jsonb_to_recordset('[]') AS x(a regclass)", /type regclass is not allowed/],
  ["SELECT * FROM XMLTABLE('/a' PASSING '<a/>' COLUMNS x int)", /XMLTABLE is not allowed/],
  ['SELECT * FROM cases LIMIT (SELECT count(*) FROM pg_authid)', /system catalogs are not accessible/],
  ['SELECT * FROM cases WINDOW w AS (ORDER BY pg_sleep(1))', /function pg_sleep\(\)/],
  ['SELECT make_interval(days => pg_backend_pid())', /function pg_backend_pid\(\)/],
  ['WITH pg_authid AS (SELECT 1) SELECT * FROM pg_authid', /system catalogs are not accessible/],
  ['SELECT 1\u0000', /NUL/],
  [`SELECT '${'x'.repeat(MAX_SQL_LENGTH)}'`, /too long/],
  [`SELECT ${'abs('.repeat(500)}1${')'.repeat(500)}`, /nested too deeply/],
];

describe('checkQuery refuses, saying why', () => {
  it.each(REJECTED)('%s', async (sql, reason) => {
    const error = await checkQuery(sql, SCHEMA).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(QueryRejected);
    expect((error as QueryRejected).code).toBe('QUERY_REJECTED');
    expect((error as Error).message).toMatch(reason);
  });

  it('reports SQL that does not parse as a validation error with its position', async () => {
    const error = await checkQuery('SELECT name FORM cases', SCHEMA).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueryFailed);
    expect((error as QueryFailed).code).toBe('VALIDATION_ERROR');
    expect((error as QueryFailed).message).toMatch(/syntax error at or near "cases"/);
    expect((error as QueryFailed).detail).toMatch(/at character \d+/);
  });

  it('names the relations of the tenant schema a query reads, not its CTEs', async () => {
    const analysis = await analyzeQuery(`WITH r AS (SELECT * FROM forms) SELECT * FROM cases, r, ${SCHEMA}.owners`, SCHEMA);
    expect(analysis.relations.sort()).toEqual(['cases', 'forms', 'owners']);
  });
});
