import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tenant')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('provider', 'text', (col) => col.notNull().check(sql`provider IN ('commcare', 'commcare_connect')`))
    .addColumn('external_id', 'text', (col) => col.notNull())
    .addColumn('hq_base_url', 'text', (col) => col.notNull())
    .addColumn('schema_name', 'text', (col) => col.notNull().unique())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('tenant_provider_server_domain_key', ['provider', 'hq_base_url', 'external_id'])
    .execute();

  await db.schema
    .createTable('tenant_membership')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'text', (col) => col.notNull().references('user.id').onDelete('cascade'))
    .addColumn('tenant_id', 'uuid', (col) => col.notNull().references('tenant.id').onDelete('cascade'))
    .addColumn('role', 'text', (col) => col.notNull().check(sql`role IN ('owner', 'admin', 'analyst')`))
    .addColumn('tenant_name', 'text', (col) => col.notNull())
    .addColumn('last_selected_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('archived_at', 'timestamptz')
    .addUniqueConstraint('tenant_membership_user_tenant_key', ['user_id', 'tenant_id'])
    .execute();
  await db.schema.createIndex('tenant_membership_tenant_idx').on('tenant_membership').column('tenant_id').execute();

  await db.schema
    .createTable('tenant_credential')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('membership_id', 'uuid', (col) => col.notNull().unique().references('tenant_membership.id').onDelete('cascade'))
    .addColumn('credential_type', 'text', (col) => col.notNull().check(sql`credential_type IN ('api_key', 'oauth')`))
    // Key-ring ciphertext (platform/crypto), bound to this row's id.
    .addColumn('secret', 'text', (col) => col.notNull())
    .addColumn('verified_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('tenant_credential').execute();
  await db.schema.dropTable('tenant_membership').execute();
  await db.schema.dropTable('tenant').execute();
}
