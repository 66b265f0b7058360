import { getMigrations } from 'better-auth/db/migration';
import type { BetterAuthOptions } from 'better-auth';
import { Migrator, sql, type Kysely } from 'kysely';
import type { Logger } from '../logger';
import { migrations } from './migrations';

/** Any constant unique to Scout; serializes migrations across processes starting at once. */
const MIGRATION_LOCK_ID = 7_210_415_001;

export interface MigrationSummary {
  scout: string[];
  auth: string[];
}

/**
 * Brings the database to the latest schema: better-auth's tables first (Scout's
 * tables reference its users), then Scout's own. Idempotent; safe when several
 * processes start together.
 */
export async function migrateToLatest(db: Kysely<unknown>, authOptions: BetterAuthOptions, logger: Logger): Promise<MigrationSummary> {
  return db.connection().execute(async (connection) => {
    await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK_ID})`.execute(connection);
    try {
      const auth = await getMigrations(authOptions);
      const authChanges = [...auth.toBeCreated.map((t) => `create ${t.table}`), ...auth.toBeAdded.map((t) => `alter ${t.table}`)];
      if (authChanges.length > 0 || auth.toBeAddedIndexes.length > 0) await auth.runMigrations();

      const migrator = new Migrator({
        db,
        provider: { getMigrations: async () => migrations },
        migrationTableName: 'scout_migration',
        migrationLockTableName: 'scout_migration_lock',
      });
      const { error, results = [] } = await migrator.migrateToLatest();
      const failed = results.find((r) => r.status === 'Error');
      if (error || failed) {
        const reason = error instanceof Error ? error.message : String(error ?? 'unknown error');
        throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${reason}`.replace('  ', ' '));
      }
      const summary = { scout: results.map((r) => r.migrationName), auth: authChanges };
      if (summary.scout.length + summary.auth.length > 0) logger.info(summary, 'database migrated');
      return summary;
    } finally {
      await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK_ID})`.execute(connection);
    }
  });
}
