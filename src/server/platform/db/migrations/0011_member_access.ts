import { sql, type Kysely } from 'kysely';

/**
 * What CommCare HQ lets each member see of their domain, learned with the
 * member's own credential: everything, only some locations' data, or none.
 * `unknown` until Scout has asked HQ.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('tenant_membership')
    .addColumn('hq_access', 'text', (col) => col.notNull().defaultTo('unknown').check(sql`hq_access IN ('unknown', 'full', 'restricted', 'none')`))
    .addColumn('hq_location_ids', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
    .addColumn('hq_access_checked_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tenant_membership').dropColumn('hq_access').dropColumn('hq_location_ids').dropColumn('hq_access_checked_at').execute();
}
