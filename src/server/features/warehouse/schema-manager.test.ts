import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';
import { SchemaManager } from './schema-manager';
import { readOnlyRole } from './sql';

/**
 * Schemas belong to a database, their read-only roles to the whole cluster.
 * Two databases on one cluster (two Scouts, or test files running side by
 * side) can hold a warehouse of the same name: one's teardown must not break
 * the other's queries, nor fail on the other's grants.
 */
const SCHEMA = `t_shared_${Math.random().toString(16).slice(2, 12)}`;
let databases: TestDatabase[] = [];
let pools: pg.Pool[] = [];

beforeAll(async () => {
  databases = [await createTestDatabase(), await createTestDatabase()];
  pools = databases.map((d) => {
    const pool = new pg.Pool({ connectionString: d.url, max: 2 });
    // A connection the server ends while the pool winds down (the databases are dropped next) is expected, not a failure.
    pool.on('error', () => undefined);
    return pool;
  });
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await Promise.all(databases.map((d) => d.drop()));
  const admin = new pg.Client({ connectionString: databases[0]?.url });
  // The role outlives both databases' schemas only if a test failed; don't leave it behind.
  if (databases[0]) {
    await admin.connect().catch(() => undefined);
    await admin.query(`DROP ROLE IF EXISTS "${readOnlyRole(SCHEMA)}"`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  }
});

async function readAsRole(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SET LOCAL ROLE "${readOnlyRole(SCHEMA)}"`);
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${SCHEMA}".cases`);
    return rows[0]!.n;
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

describe('warehouses of the same name in two databases of one cluster', () => {
  it('provision side by side, and tearing one down leaves the other readable through the shared role', async () => {
    const [a, b] = pools.map((pool) => new SchemaManager(pool)) as [SchemaManager, SchemaManager];
    await Promise.all([a.provision(SCHEMA), b.provision(SCHEMA)]);
    for (const pool of pools) await pool.query(`CREATE TABLE "${SCHEMA}".cases AS SELECT generate_series(1, 3) AS id`);
    expect(await readAsRole(pools[1]!)).toBe(3);

    await a.teardown(SCHEMA);
    expect((await pools[0]!.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [SCHEMA])).rowCount).toBe(0);
    expect(await readAsRole(pools[1]!)).toBe(3);

    await b.teardown(SCHEMA);
    expect((await pools[1]!.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [readOnlyRole(SCHEMA)])).rowCount).toBe(0);
  });
});
