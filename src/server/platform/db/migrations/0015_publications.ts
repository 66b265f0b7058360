import { sql, type Kysely } from 'kysely';

/**
 * Publications (content for a connector, through draft → approval →
 * publish) and schedules' deliveries (each run becomes a publication).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('publication')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (col) => col.notNull().references('tenant.id').onDelete('cascade'))
    // A deleted connector leaves its history: what was posted where, and by whom.
    .addColumn('connector_id', 'uuid', (col) => col.references('connector.id').onDelete('set null'))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('text', 'text', (col) => col.notNull())
    .addColumn('chart', 'jsonb')
    .addColumn('table_excerpt', 'jsonb')
    .addColumn('state', 'text', (col) =>
      col.notNull().check(sql`state IN ('draft', 'pending_approval', 'approved', 'publishing', 'published', 'failed', 'rejected')`),
    )
    .addColumn('source_kind', 'text', (col) => col.notNull().check(sql`source_kind IN ('manual', 'question', 'dashboard', 'chat', 'schedule')`))
    .addColumn('source_id', 'text')
    .addColumn('external_id', 'text')
    .addColumn('external_url', 'text')
    .addColumn('error', 'text')
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    // What the first attempt sent, for targets without an idempotency key (X, LinkedIn): a retry looks for this text since then.
    .addColumn('attempt_text_sha256', 'text')
    .addColumn('attempt_started_at', 'timestamptz')
    .addColumn('drafted_by', 'text', (col) => col.references('user.id').onDelete('set null'))
    .addColumn('via_agent', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('approved_by', 'text', (col) => col.references('user.id').onDelete('set null'))
    .addColumn('approved_at', 'timestamptz')
    .addColumn('published_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('publication_tenant').on('publication').columns(['tenant_id', 'created_at desc']).execute();
  await db.schema.createIndex('publication_connector').on('publication').columns(['connector_id', 'created_at desc']).execute();

  await db.schema
    .createTable('schedule_delivery')
    .addColumn('schedule_id', 'uuid', (col) => col.primaryKey().references('schedule.id').onDelete('cascade'))
    .addColumn('connector_id', 'uuid', (col) => col.notNull().references('connector.id').onDelete('cascade'))
    // Published without approval: an owner's explicit choice for this connector and this schedule only.
    .addColumn('auto_publish', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('set_by', 'text', (col) => col.references('user.id').onDelete('set null'))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('schedule_delivery').execute();
  await db.schema.dropTable('publication').execute();
}
