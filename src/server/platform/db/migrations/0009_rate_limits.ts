import { sql, type Kysely } from 'kysely';

/**
 * Rate limits shared by every Scout process: one row per (limit, key) with
 * its theoretical arrival time (see platform/rate-limit.ts). Unlogged: a
 * database crash forgives at most one window of calls, and no WAL is
 * written per request.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE UNLOGGED TABLE rate_limit (
      bucket text NOT NULL,
      key text NOT NULL,
      tat timestamptz NOT NULL,
      allowed boolean NOT NULL DEFAULT true,
      PRIMARY KEY (bucket, key)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rate_limit').execute();
}
