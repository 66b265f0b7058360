import { sql, type Kysely } from 'kysely';

/**
 * Which worker process runs a sync. Each process that executes syncs
 * registers a row here and, on a connection of its own, holds a session
 * advisory lock keyed by the row's id for as long as it lives: a killed
 * process's connection closes at once, so "that lock is not held" is how
 * any other process knows the run's worker is gone. Runs record their
 * worker and their pg-boss job.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('warehouse_worker')
    .addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    // The process: one row per registration (a process that lost its connection registers anew).
    .addColumn('instance_id', 'uuid', (col) => col.notNull())
    .addColumn('host', 'text', (col) => col.notNull())
    .addColumn('pid', 'integer', (col) => col.notNull())
    .addColumn('started_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  // No foreign key: a worker's row goes when it stops, while its runs' history keeps the id.
  await db.schema.alterTable('materialization_run').addColumn('worker_id', 'integer').addColumn('job_id', 'uuid').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('materialization_run').dropColumn('worker_id').dropColumn('job_id').execute();
  await db.schema.dropTable('warehouse_worker').execute();
}
