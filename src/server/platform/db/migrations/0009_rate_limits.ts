import { sql, type Kysely } from 'kysely';

/**
 * Sliding-window rate limits shared by every Scout process: one row per
 * (limit, key) with the times of the calls still inside the window. Unlogged:
 * a database crash forgives at most a window of calls, and no WAL is written
 * per request.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE UNLOGGED TABLE rate_limit (
      bucket text NOT NULL,
      key text NOT NULL,
      hits timestamptz[] NOT NULL,
      allowed boolean NOT NULL DEFAULT true,
      PRIMARY KEY (bucket, key)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rate_limit').execute();
}
