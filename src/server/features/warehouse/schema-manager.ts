import type pg from 'pg';
import { ident, inTransaction } from '../../platform/db/sql';
import { readerRoles } from './sql';

/**
 * Creates and drops tenant schemas and their NOLOGIN read-only roles in the
 * managed database. Every operation takes a transaction-scoped advisory lock
 * on the schema name, so concurrent calls (two workers, a sync and a
 * teardown) queue instead of racing on CREATE ROLE / DROP SCHEMA.
 */
export class SchemaManager {
  constructor(private readonly pool: pg.Pool) {}

  async provision(schema: string): Promise<void> {
    await this.locked(schema, async (client) => {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
      await client.query(`REVOKE ALL ON SCHEMA ${ident(schema)} FROM PUBLIC`);
      for (const role of readerRoles(schema)) {
        const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
        if (exists.rowCount === 0) await createRoleUnlessTaken(client, role);
        await client.query(`GRANT USAGE ON SCHEMA ${ident(schema)} TO ${ident(role)}`);
        await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${ident(schema)} TO ${ident(role)}`);
        // Tables and views the loader creates later are readable without another grant (rows: row-security.ts).
        await client.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${ident(schema)} GRANT SELECT ON TABLES TO ${ident(role)}`);
        // The app connects as this user and switches to the role per query (SET LOCAL ROLE).
        await client.query(`GRANT ${ident(role)} TO CURRENT_USER`);
      }
    });
  }

  async teardown(schema: string): Promise<void> {
    await this.locked(schema, async (client) => {
      await client.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
      for (const role of readerRoles(schema)) {
        const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
        if (exists.rowCount === 0) continue;
        await client.query(`DROP OWNED BY ${ident(role)}`);
        // Roles belong to the cluster, schemas to one database: another database on the same cluster may hold
        // a warehouse of the same name (another Scout, a test run). Its grants keep the role; leave it to it.
        await client.query('SAVEPOINT drop_role');
        try {
          await client.query(`DROP ROLE ${ident(role)}`);
        } catch (error) {
          if ((error as { code?: string }).code !== '2BP01') throw error;
          await client.query('ROLLBACK TO SAVEPOINT drop_role');
        }
      }
    });
  }

  async exists(schema: string): Promise<boolean> {
    const result = await this.pool.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    return result.rowCount !== 0;
  }

  private async locked(schema: string, work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    const client = await this.pool.connect();
    try {
      await inTransaction(client, async () => {
        await client.query(`SELECT pg_advisory_xact_lock(hashtext('scout.schema:' || $1))`, [schema]);
        await work(client);
      });
    } finally {
      client.release();
    }
  }
}

/** CREATE ROLE, unless another database of the cluster made it a moment ago (advisory locks are per database). */
async function createRoleUnlessTaken(client: pg.PoolClient, role: string): Promise<void> {
  await client.query('SAVEPOINT create_role');
  try {
    await client.query(`CREATE ROLE ${ident(role)} NOLOGIN NOINHERIT`);
  } catch (error) {
    // 42710: it exists; 23505: another transaction is creating it this very moment.
    if (!['42710', '23505'].includes((error as { code?: string }).code ?? '')) throw error;
    await client.query('ROLLBACK TO SAVEPOINT create_role');
  }
}
