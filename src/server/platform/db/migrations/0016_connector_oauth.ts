import { sql, type Kysely } from 'kysely';

/**
 * OAuth connect for connectors (X, LinkedIn): when the stored access token
 * expires (not a secret: the card warns before it), the pending
 * authorizations (state + PKCE verifier, short-lived, bound to the user and
 * connector that started them).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('connector').addColumn('token_expires_at', 'timestamptz').execute();

  await db.schema
    .createTable('connector_oauth_state')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // SHA-256 of the state sent to the provider: the state itself is a bearer secret until used.
    .addColumn('state_hash', 'text', (col) => col.notNull().unique())
    .addColumn('user_id', 'text', (col) => col.notNull().references('user.id').onDelete('cascade'))
    .addColumn('tenant_id', 'uuid', (col) => col.notNull().references('tenant.id').onDelete('cascade'))
    // The membership it was started through: the callback re-checks that it still may manage connectors.
    .addColumn('membership_id', 'uuid', (col) => col.notNull().references('tenant_membership.id').onDelete('cascade'))
    .addColumn('connector_id', 'uuid', (col) => col.notNull().references('connector.id').onDelete('cascade'))
    .addColumn('provider', 'text', (col) => col.notNull())
    .addColumn('redirect_uri', 'text', (col) => col.notNull())
    // Key-ring ciphertext of the PKCE code verifier, bound to this row, its user and connector.
    .addColumn('verifier', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('connector_oauth_state_expiry').on('connector_oauth_state').column('expires_at').execute();

}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('connector_oauth_state').execute();
  await db.schema.alterTable('connector').dropColumn('token_expires_at').execute();
}
