import type { Kysely } from 'kysely';

/**
 * The outcome of a connector's last connection test: when, whether it
 * passed, the plain message shown on its card, and the account it reached.
 * A failure's message is also the connector's `last_error`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('connector')
    .addColumn('last_checked_at', 'timestamptz')
    .addColumn('last_check_ok', 'boolean')
    .addColumn('last_check_message', 'text')
    // The account the credentials belong to, as of the last passing test.
    .addColumn('account_name', 'text')
    .addColumn('account_url', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('connector')
    .dropColumn('last_checked_at')
    .dropColumn('last_check_ok')
    .dropColumn('last_check_message')
    .dropColumn('account_name')
    .dropColumn('account_url')
    .execute();
}
