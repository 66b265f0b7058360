import { sql, type Kysely } from 'kysely';

/**
 * The SQL workbench's records: exports (state and rows written, so a client
 * can follow one and learn why it stopped) and the queries members starred.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('export_run')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('request_id', 'uuid')
    .addColumn('membership_id', 'uuid', (col) => col.notNull().references('tenant_membership.id').onDelete('cascade'))
    .addColumn('format', 'text', (col) => col.notNull().check(sql`format IN ('csv', 'xlsx')`))
    .addColumn('state', 'text', (col) => col.notNull().check(sql`state IN ('running', 'completed', 'truncated', 'failed', 'cancelled')`))
    .addColumn('rows', 'bigint', (col) => col.notNull().defaultTo(0))
    .addColumn('bytes', 'bigint', (col) => col.notNull().defaultTo(0))
    .addColumn('message', 'text')
    .addColumn('started_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('export_run_membership').on('export_run').columns(['membership_id', 'started_at desc']).execute();

  await db.schema
    .createTable('query_star')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('membership_id', 'uuid', (col) => col.notNull().references('tenant_membership.id').onDelete('cascade'))
    .addColumn('sql', 'text', (col) => col.notNull())
    .addColumn('starred_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  // A member's history reads their own calls, newest first.
  await db.schema.createIndex('tool_call_membership_time').on('tool_call').columns(['membership_id', 'called_at desc']).execute();
  // md5: a unique index on the text itself would fail for a query longer than an index row.
  await sql`CREATE UNIQUE INDEX query_star_unique ON query_star (membership_id, md5(sql))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('tool_call_membership_time').execute();
  await db.schema.dropTable('query_star').execute();
  await db.schema.dropTable('export_run').execute();
}
