import type pg from 'pg';
import { ident, inTransaction } from '../../platform/db/sql';
import { readOnlyRole } from './sql';

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
      const role = readOnlyRole(schema);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      if (exists.rowCount === 0) await client.query(`CREATE ROLE ${ident(role)} NOLOGIN NOINHERIT`);
      await client.query(`REVOKE ALL ON SCHEMA ${ident(schema)} FROM PUBLIC`);
      await client.query(`GRANT USAGE ON SCHEMA ${ident(schema)} TO ${ident(role)}`);
      await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${ident(schema)} TO ${ident(role)}`);
      // Tables and views the loader creates later are readable without another grant.
      await client.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${ident(schema)} GRANT SELECT ON TABLES TO ${ident(role)}`);
      // The app connects as this user and switches to the role per query (SET LOCAL ROLE).
      await client.query(`GRANT ${ident(role)} TO CURRENT_USER`);
    });
  }

  async teardown(schema: string): Promise<void> {
    await this.locked(schema, async (client) => {
      const role = readOnlyRole(schema);
      await client.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      if (exists.rowCount !== 0) {
        await client.query(`DROP OWNED BY ${ident(role)}`);
        await client.query(`DROP ROLE ${ident(role)}`);
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
