import { sql, type Kysely } from 'kysely';

/** The audit log of every data-tool call, from chat or MCP. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tool_call')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('called_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('user_id', 'text', (col) => col.references('user.id').onDelete('set null'))
    .addColumn('tenant_id', 'uuid', (col) => col.notNull().references('tenant.id').onDelete('cascade'))
    .addColumn('membership_id', 'uuid', (col) => col.references('tenant_membership.id').onDelete('set null'))
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('tool', 'text', (col) => col.notNull())
    .addColumn('arguments', 'jsonb', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status IN ('success', 'error')`))
    .addColumn('error_code', 'text')
    .addColumn('rows', 'integer')
    .addColumn('timing_ms', 'integer', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('tool_call_tenant_time').on('tool_call').columns(['tenant_id', 'called_at desc']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('tool_call').execute();
}
