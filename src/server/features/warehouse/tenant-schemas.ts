import type { Kysely, Selectable } from 'kysely';
import type { Database, TenantSchemaTable } from '../../platform/db/schema';

export type TenantSchemaRow = Selectable<TenantSchemaTable>;
type SchemaState = TenantSchemaRow['state'];

/** A tenant's warehouse record (`tenant_schema`): where its data lives and what state it is in. */
export class TenantSchemaRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** The warehouse of a tenant (its database id). */
  forTenant(tenantId: string): Promise<TenantSchemaRow | undefined> {
    return this.db.selectFrom('tenant_schema').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
  }

  byId(id: string): Promise<TenantSchemaRow | undefined> {
    return this.db.selectFrom('tenant_schema').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The tenant's record, created on its first sync; asking for it counts as using it. */
  async ensure(tenant: { tenant_id: string; schema_name: string }): Promise<TenantSchemaRow> {
    return this.db
      .insertInto('tenant_schema')
      .values({ tenant_id: tenant.tenant_id, schema_name: tenant.schema_name, state: 'provisioning' })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ last_accessed_at: new Date() }))
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Sets the state; with `from`, only if it is still in that state (a concurrent change wins). */
  async setState(id: string, state: SchemaState, from?: SchemaState): Promise<void> {
    let update = this.db.updateTable('tenant_schema').set({ state }).where('id', '=', id);
    if (from) update = update.where('state', '=', from);
    await update.execute();
  }

  /**
   * After a run: the warehouse's state, and for a completed run its last sync
   * time. `db` is the run's transaction, so both records change together.
   */
  async settleAfterRun(db: Kysely<Database>, id: string, outcome: { state: 'active' | 'provisioning'; synced: boolean }): Promise<void> {
    const now = new Date();
    await db
      .updateTable('tenant_schema')
      .set({ state: outcome.state, ...(outcome.synced ? { last_sync_at: now, last_accessed_at: now } : {}) })
      .where('id', '=', id)
      .execute();
  }

  async markMaterializing(id: string): Promise<void> {
    await this.db.updateTable('tenant_schema').set({ state: 'materializing', last_accessed_at: new Date() }).where('id', '=', id).execute();
  }

  /** Marks the warehouse as used, which keeps it from expiring; at most once a minute, so queries don't each write. */
  async touch(tenantId: string): Promise<void> {
    await this.db
      .updateTable('tenant_schema')
      .set({ last_accessed_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('last_accessed_at', '<', new Date(Date.now() - 60_000))
      .execute();
  }

  /** Active warehouses nobody has used for `ttlSeconds`. */
  unusedFor(ttlSeconds: number): Promise<TenantSchemaRow[]> {
    return this.db
      .selectFrom('tenant_schema')
      .selectAll()
      .where('state', '=', 'active')
      .where('last_accessed_at', '<', new Date(Date.now() - ttlSeconds * 1000))
      .execute();
  }

  async remove(id: string): Promise<void> {
    await this.db.deleteFrom('tenant_schema').where('id', '=', id).execute();
  }

  /** `scout schemas`: every warehouse with its domain. */
  list() {
    return this.db
      .selectFrom('tenant_schema as s')
      .innerJoin('tenant as t', 't.id', 's.tenant_id')
      .select(['t.external_id as domain', 't.hq_base_url', 's.schema_name', 's.state', 's.last_sync_at', 's.last_accessed_at'])
      .orderBy('t.external_id')
      .execute();
  }
}
