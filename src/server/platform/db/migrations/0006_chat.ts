import { sql, type Kysely } from 'kysely';

/** Chat threads per user and tenant, and their messages as AI SDK UI messages (parts incl. tool calls and outputs). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('chat_thread')
    .addColumn('id', 'uuid', (col) => col.primaryKey())
    .addColumn('user_id', 'text', (col) => col.notNull().references('user.id').onDelete('cascade'))
    .addColumn('tenant_id', 'uuid', (col) => col.notNull().references('tenant.id').onDelete('cascade'))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('chat_thread_user_tenant').on('chat_thread').columns(['user_id', 'tenant_id', 'updated_at desc']).execute();
  await db.schema
    .createTable('chat_message')
    .addColumn('thread_id', 'uuid', (col) => col.notNull().references('chat_thread.id').onDelete('cascade'))
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('role', 'text', (col) => col.notNull().check(sql`role in ('user', 'assistant')`))
    .addColumn('parts', 'jsonb', (col) => col.notNull())
    .addColumn('metadata', 'jsonb')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('chat_message_pk', ['thread_id', 'id'])
    .addUniqueConstraint('chat_message_position', ['thread_id', 'position'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('chat_message').execute();
  await db.schema.dropTable('chat_thread').execute();
}
