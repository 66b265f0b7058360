import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tenant_schema')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (col) => col.notNull().unique().references('tenant.id').onDelete('cascade'))
    .addColumn('schema_name', 'text', (col) => col.notNull().unique())
    .addColumn('state', 'text', (col) => col.notNull().check(sql`state IN ('provisioning', 'active', 'materializing', 'expired', 'teardown')`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('last_accessed_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('last_sync_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('materialization_run')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_schema_id', 'uuid', (col) => col.notNull().references('tenant_schema.id').onDelete('cascade'))
    .addColumn('pipeline', 'text', (col) => col.notNull().defaultTo('commcare_sync'))
    .addColumn('state', 'text', (col) => col.notNull().check(sql`state IN ('started', 'loading', 'transforming', 'completed', 'failed', 'cancelled')`))
    .addColumn('mode', 'text', (col) => col.notNull().check(sql`mode IN ('full', 'incremental')`))
    // {cases: {rows_loaded, rows_total}, forms: {...}, applications: {...}}
    .addColumn('sources', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('checkpoint', 'jsonb')
    .addColumn('error', 'text')
    .addColumn('requested_by', 'uuid', (col) => col.references('tenant_membership.id').onDelete('set null'))
    .addColumn('cancel_requested', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('heartbeat_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('completed_at', 'timestamptz')
    .addColumn('result', 'jsonb')
    .execute();
  // At most one run in progress per tenant, enforced by the database rather than by a check-then-insert.
  await sql`CREATE UNIQUE INDEX materialization_run_one_active ON materialization_run (tenant_schema_id) WHERE state IN ('started', 'loading', 'transforming')`.execute(db);
  await db.schema.createIndex('materialization_run_history').on('materialization_run').columns(['tenant_schema_id', 'started_at desc']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('materialization_run').execute();
  await db.schema.dropTable('tenant_schema').execute();
}
