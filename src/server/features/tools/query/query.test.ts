import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryFailed, QueryRejected, QueryTimeout, runQuery } from './index';
import { connectionState, createQueryFixture, type QueryFixture } from './test-support';

let f: QueryFixture;
let clean: Record<string, unknown>;

beforeAll(async () => {
  f = await createQueryFixture();
  clean = await connectionState(f.pool);
});

afterAll(async () => {
  await f?.close();
});

const run = (sql: string, limits?: Parameters<typeof runQuery>[3], options?: Parameters<typeof runQuery>[4]) =>
  runQuery(f.pool, f.schema, sql, limits, options);

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string; detail?: string }> {
  return promise.then(
    () => {
      throw new Error('expected the query to fail');
    },
    (error: Error) => error,
  );
}

async function backendPid(): Promise<number> {
  return (await f.pool.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
}

describe('runQuery answers', () => {
  it('a plain SELECT with typed columns, echoing the SQL', async () => {
    const sql = 'SELECT case_id, name, closed, opened_on, visits, score, properties FROM cases WHERE case_id = \'c1\'';
    const result = await run(sql);
    expect(result).toEqual({
      columns: [
        { name: 'case_id', type: 'text' },
        { name: 'name', type: 'text' },
        { name: 'closed', type: 'boolean' },
        { name: 'opened_on', type: 'timestamp with time zone' },
        { name: 'visits', type: 'integer' },
        { name: 'score', type: 'numeric(6,2)' },
        { name: 'properties', type: 'jsonb' },
      ],
      rows: [['c1', 'Amina', false, '2024-01-05 09:00:00+00', 3, '12.50', { village: 'Kisumu', members: 5, tags: ['a', 'b'] }]],
      row_count: 1,
      truncated: false,
      sql_executed: sql,
    });
  });

  it('CTEs, joins and a view', async () => {
    const result = await run(`
      WITH per_owner AS (SELECT owner_id, count(*) AS n FROM cases GROUP BY owner_id)
      SELECT o.case_id, p.n FROM open_cases o JOIN cases c USING (case_id) JOIN per_owner p ON p.owner_id = c.owner_id
      ORDER BY o.case_id`);
    expect(result.columns).toEqual([
      { name: 'case_id', type: 'text' },
      { name: 'n', type: 'bigint' },
    ]);
    expect(result.rows).toEqual([
      ['c1', '2'],
      ['c3', '2'],
      ['c4', '2'],
    ]);
  });

  it('window functions', async () => {
    const result = await run(`
      SELECT case_id, row_number() OVER w AS rn, lag(case_id) OVER w AS previous, sum(visits) OVER w AS running
        FROM cases WINDOW w AS (PARTITION BY case_type ORDER BY opened_on) ORDER BY case_type, rn`);
    expect(result.rows).toEqual([
      ['c1', '1', null, '3'],
      ['c2', '2', 'c1', '4'],
      ['c3', '1', null, '7'],
      ['c4', '2', 'c3', '7'],
      ['c5', '3', 'c4', '9'],
    ]);
  });

  it('json operators and functions', async () => {
    const result = await run(`
      SELECT properties->>'village' AS village, sum((properties->>'members')::int) AS members,
             jsonb_agg(name ORDER BY name) AS names
        FROM cases WHERE properties ? 'village' GROUP BY 1 ORDER BY 1`);
    expect(result.columns.map((column) => column.type)).toEqual(['text', 'bigint', 'jsonb']);
    expect(result.rows).toEqual([
      ['Kisumu', '7', ['Amina', 'Baraka']],
      ['Nakuru', '1', ['Chiku', 'Dalila']],
    ]);
    const tags = await run("SELECT t FROM cases, jsonb_array_elements_text(properties->'tags') AS t ORDER BY t");
    expect(tags.rows).toEqual([['a'], ['b']]);
  });

  it('aggregates over typed data', async () => {
    const result = await run(`
      SELECT case_type, count(*) AS n, avg(score)::numeric(8, 3) AS avg_score, max(opened_on) AS last_opened,
             bool_or(closed) AS any_closed, percentile_cont(0.5) WITHIN GROUP (ORDER BY visits) AS median_visits,
             array_agg(case_id ORDER BY case_id) AS ids
        FROM cases GROUP BY case_type ORDER BY case_type`);
    expect(result.columns.map((column) => column.type)).toEqual([
      'text',
      'bigint',
      'numeric(8,3)',
      'timestamp with time zone',
      'boolean',
      'double precision',
      'text[]',
    ]);
    expect(result.rows).toEqual([
      ['household', '2', '9.875', '2024-02-10 14:30:00+00', true, 2, ['c1', 'c2']],
      ['patient', '3', '69.500', '2024-03-20 11:00:00+00', true, 4.5, ['c3', 'c4', 'c5']],
    ]);
  });

  it('tolerates a trailing semicolon and a trailing comment', async () => {
    expect((await run('SELECT 1 AS one;')).rows).toEqual([[1]]);
    expect((await run('SELECT 1 AS one; ;')).rows).toEqual([[1]]);
    expect((await run('SELECT 1 AS one -- the end')).rows).toEqual([[1]]);
  });

  it('VALUES and set operations', async () => {
    const result = await run("SELECT name FROM cases WHERE case_type = 'household' UNION ALL VALUES ('extra') ORDER BY 1");
    expect(result.rows).toEqual([['Amina'], ['Baraka'], ['extra']]);
  });
});

describe('row and byte caps', () => {
  it('returns N rows and truncated: true when there are more', async () => {
    const result = await run('SELECT case_id FROM cases ORDER BY case_id', { maxRows: 2 });
    expect(result.rows).toEqual([['c1'], ['c2']]);
    expect(result.row_count).toBe(2);
    expect(result.truncated).toBe(true);
  });

  it('truncated: false when every row fits exactly', async () => {
    const result = await run('SELECT case_id FROM cases', { maxRows: 5 });
    expect(result.row_count).toBe(5);
    expect(result.truncated).toBe(false);
  });

  it('defaults to 500 rows', async () => {
    const result = await run('SELECT n FROM generate_series(1, 1000) n');
    expect(result.row_count).toBe(500);
    expect(result.rows.at(-1)).toEqual([500]);
    expect(result.truncated).toBe(true);
  });

  it('maxRows 0 still reports whether there were rows', async () => {
    expect(await run('SELECT 1', { maxRows: 0 })).toMatchObject({ rows: [], row_count: 0, truncated: true });
    expect(await run('SELECT 1 WHERE false', { maxRows: 0 })).toMatchObject({ rows: [], row_count: 0, truncated: false });
  });

  it('stops adding rows once their JSON exceeds maxBytes', async () => {
    const row = JSON.stringify(['x'.repeat(100)]).length;
    const result = await run("SELECT repeat('x', 100) FROM generate_series(1, 50)", { maxBytes: row * 3 + 1 });
    expect(result.row_count).toBe(3);
    expect(result.truncated).toBe(true);
    const all = await run("SELECT repeat('x', 100) FROM generate_series(1, 3)", { maxBytes: row * 3 });
    expect(all).toMatchObject({ row_count: 3, truncated: false });
  });

  it('refuses a result whose single value is larger than any cap allows', async () => {
    const error = await failure(run("SELECT repeat('x', 3000000)", { maxBytes: 1000 }));
    expect(error).toBeInstanceOf(QueryRejected);
    expect(error.message).toMatch(/too large/);
    expect(await connectionState(f.pool)).toEqual(clean);
  });
});

describe('errors', () => {
  it('a query past its time limit is QueryTimeout', async () => {
    const error = await failure(run('SELECT count(*) FROM generate_series(1, 1000000000)', { timeoutMs: 50 }));
    expect(error).toBeInstanceOf(QueryTimeout);
    expect(error.code).toBe('QUERY_TIMEOUT');
    expect(error.message).toMatch(/time limit \(50 ms\)/);
    expect(await connectionState(f.pool)).toEqual(clean);
  });

  it('a misspelled column suggests the right one', async () => {
    const error = await failure(run('SELECT nme FROM cases'));
    expect(error).toBeInstanceOf(QueryFailed);
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.message).toBe('column "nme" does not exist; did you mean "name"?');
  });

  it('a transposed column name is suggested too', async () => {
    const error = await failure(run('SELECT c.vists FROM cases c'));
    expect(error.message).toMatch(/^column c\.vists does not exist; did you mean "visits"\?$/);
  });

  it('an unknown column with nothing close lists the columns', async () => {
    const error = await failure(run('SELECT zzzzzz FROM cases'));
    expect(error.message).toBe('column "zzzzzz" does not exist');
    expect(error.detail).toMatch(/cases has columns case_id, case_type, name, owner_id, closed, opened_on, visits, score, properties/);
  });

  it('a misspelled table suggests the right one', async () => {
    const error = await failure(run('SELECT * FROM casse'));
    expect(error).toBeInstanceOf(QueryFailed);
    expect(error.message).toBe('relation "casse" does not exist; did you mean "cases"?');
  });

  it('runtime errors keep PostgreSQL\'s message and never name the role or search_path', async () => {
    const error = await failure(run('SELECT 1 / (visits - visits) FROM cases'));
    expect(error).toBeInstanceOf(QueryFailed);
    expect(error.message).toBe('division by zero');
    const permission = await failure(run('SELECT * FROM public.tenant_credential', {}, { skipParser: true }));
    expect(permission).toBeInstanceOf(QueryRejected);
    for (const text of [error.message, error.detail ?? '', permission.message]) {
      expect(text).not.toContain(`${f.schema}_ro`);
      expect(text).not.toMatch(/search_path|DECLARE|scout_query/);
    }
  });

  it("PostgreSQL's syntax errors point into the user's SQL, not the engine's wrapper", async () => {
    const sql = 'SELECT name FORM cases';
    const fromParser = await failure(run(sql));
    const fromServer = await failure(run(sql, {}, { skipParser: true }));
    expect(fromServer).toBeInstanceOf(QueryFailed);
    expect(fromServer.message).toBe(fromParser.message);
    expect(fromServer.detail).toBe(fromParser.detail);
  });

  it('ordinary errors keep the pooled connection; it comes back clean', async () => {
    const pid = await backendPid();
    await failure(run('SELECT nme FROM cases'));
    await failure(run('SELECT 1 / (visits - visits) FROM cases'));
    await run('SELECT * FROM cases');
    expect(await backendPid()).toBe(pid);
    expect(await connectionState(f.pool)).toEqual(clean);
  });

  it('rejects bad limits and schema names as programming errors', async () => {
    await expect(run('SELECT 1', { maxRows: -1 })).rejects.toBeInstanceOf(RangeError);
    await expect(run('SELECT 1', { timeoutMs: 0 })).rejects.toBeInstanceOf(RangeError);
    await expect(run('SELECT 1', { maxBytes: 1.5 })).rejects.toBeInstanceOf(RangeError);
    await expect(runQuery(f.pool, 'x"; DROP', 'SELECT 1')).rejects.toBeInstanceOf(TypeError);
  });

  it('a schema that was never provisioned is an internal error, not a query error', async () => {
    const error = await failure(runQuery(f.pool, 'q_missing_schema', 'SELECT 1'));
    expect(error).not.toBeInstanceOf(QueryFailed);
    expect(error.message).toMatch(/not ready/);
    expect(await connectionState(f.pool)).toEqual(clean);
  });
});

describe('the pooled connection', () => {
  it('is back to the app user, default search_path and settings after a query', async () => {
    expect(clean.current_user).toBe(clean.session_user);
    expect(clean.search_path).toBe('"$user", public');
    await run('SELECT * FROM cases');
    expect(await connectionState(f.pool)).toEqual(clean);
  });

  it('is shared fine by concurrent queries', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => run(`SELECT ${i} AS i, count(*) FROM cases`)));
    expect(results.map((result) => result.rows[0])).toEqual(Array.from({ length: 10 }, (_, i) => [i, '5']));
    expect(await connectionState(f.pool)).toEqual(clean);
  });
});
