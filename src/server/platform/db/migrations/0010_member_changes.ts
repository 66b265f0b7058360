import { sql, type Kysely } from 'kysely';

/** Who changed whose role or removed whom, in each domain: shown to its owner and admins. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('member_change')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('tenant_id', 'uuid', (col) => col.notNull().references('tenant.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('actor_user_id', 'text', (col) => col.references('user.id').onDelete('set null'))
    // The member's name is kept: the change stays readable after their account is gone.
    .addColumn('member_user_id', 'text', (col) => col.references('user.id').onDelete('set null'))
    .addColumn('member_name', 'text', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('from_role', 'text')
    .addColumn('to_role', 'text')
    .execute();
  await db.schema.createIndex('member_change_tenant').on('member_change').columns(['tenant_id', 'at desc']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('member_change').execute();
}
