import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema';
import { isUuid } from '../tenants/repo';
import type { PublicationRow } from './presenter';

export function publications(db: Kysely<Database>) {
  return db
    .selectFrom('publication as p')
    .leftJoin('connector as c', 'c.id', 'p.connector_id')
    .leftJoin('connector_catalog as k', 'k.id', 'c.catalog_id')
    .leftJoin('user as d', 'd.id', 'p.drafted_by')
    .leftJoin('user as a', 'a.id', 'p.approved_by')
    .selectAll('p')
    .select(['c.name as connector_name', 'k.key as catalog_key', 'd.name as drafted_by_name', 'a.name as approved_by_name']);
}

export async function findPublication(db: Kysely<Database>, tenantId: string, id: string): Promise<PublicationRow | undefined> {
  if (!isUuid(id)) return undefined;
  return publications(db).where('p.tenant_id', '=', tenantId).where('p.id', '=', id).executeTakeFirst();
}

/** A connector of the tenant with what publishing needs of its type. */
export async function findTarget(db: Kysely<Database>, tenantId: string, connectorId: string) {
  if (!isUuid(connectorId)) return undefined;
  return db
    .selectFrom('connector as c')
    .innerJoin('connector_catalog as k', 'k.id', 'c.catalog_id')
    .select(['c.id', 'c.name', 'c.status', 'c.config', 'k.key as catalog_key', 'k.name as type_name', 'k.capabilities', 'k.deprecated', 'k.deprecation_reason'])
    .where('c.tenant_id', '=', tenantId)
    .where('c.id', '=', connectorId)
    .executeTakeFirst();
}
export type TargetRow = NonNullable<Awaited<ReturnType<typeof findTarget>>>;
