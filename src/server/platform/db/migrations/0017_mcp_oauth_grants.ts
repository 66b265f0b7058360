import { sql, type Kysely } from 'kysely';

/**
 * What a user allowed an MCP client (signed in with OAuth) to do: which of
 * their domains, and whether it may start syncs. better-auth keeps the client
 * registration and its tokens; this row is checked on every MCP call, so
 * revoking it stops the client at once, whatever its access token says.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('mcp_oauth_grant')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'text', (col) => col.notNull().references('user.id').onDelete('cascade'))
    // better-auth's oauthClient.clientId; the client row may outlive or predate the grant.
    .addColumn('client_id', 'text', (col) => col.notNull())
    // Granted memberships in the order picked: the first is what /mcp without an id uses.
    .addColumn('membership_ids', sql`uuid[]`, (col) => col.notNull())
    .addColumn('may_sync', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  // One live grant per user and client; a revoked one stays as the record of what was allowed.
  await sql`CREATE UNIQUE INDEX mcp_oauth_grant_live ON mcp_oauth_grant (user_id, client_id) WHERE revoked_at IS NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('mcp_oauth_grant').execute();
}
