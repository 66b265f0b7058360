import { sql, type Kysely } from 'kysely';

/**
 * The connector catalog (global, seeded from catalog.json by `scout seed`),
 * each tenant's installed connectors, and their secrets: one key-ring
 * ciphertext per secret field, bound to tenant, connector and field.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('connector_catalog')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('key', 'text', (col) => col.notNull().unique())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('category', 'text', (col) => col.notNull())
    .addColumn('icon', 'text', (col) => col.notNull())
    .addColumn('auth_type', 'text', (col) => col.notNull().check(sql`auth_type in ('oauth', 'api_key', 'basic', 'none')`))
    .addColumn('capabilities', 'jsonb', (col) => col.notNull())
    .addColumn('config_schema', 'jsonb', (col) => col.notNull())
    .addColumn('auth_schema', 'jsonb', (col) => col.notNull())
    .addColumn('spec_version', 'integer', (col) => col.notNull())
    .addColumn('deprecated', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('deprecation_reason', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('connector')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (col) => col.notNull().references('tenant.id').onDelete('cascade'))
    .addColumn('catalog_id', 'uuid', (col) => col.notNull().references('connector_catalog.id'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('inactive').check(sql`status in ('inactive', 'active', 'error')`))
    .addColumn('config', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    // Non-secret auth fields (a WordPress username); secret ones live in connector_secret.
    .addColumn('auth', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('tags', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('last_error', 'text')
    .addColumn('created_by', 'text', (col) => col.references('user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'text', (col) => col.references('user.id').onDelete('set null'))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE UNIQUE INDEX connector_tenant_name ON connector (tenant_id, lower(name))`.execute(db);
  await db.schema.createIndex('connector_tenant').on('connector').column('tenant_id').execute();
  await db.schema.createIndex('connector_catalog_entry').on('connector').column('catalog_id').execute();

  await db.schema
    .createTable('connector_secret')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (col) => col.notNull().references('tenant.id').onDelete('cascade'))
    .addColumn('connector_id', 'uuid', (col) => col.notNull().references('connector.id').onDelete('cascade'))
    .addColumn('field', 'text', (col) => col.notNull())
    .addColumn('ciphertext', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('connector_secret_field', ['connector_id', 'field'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('connector_secret').execute();
  await db.schema.dropTable('connector').execute();
  await db.schema.dropTable('connector_catalog').execute();
}
