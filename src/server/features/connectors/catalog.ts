import { readFileSync } from 'node:fs';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { CatalogEntry } from '../../../shared/connectors';
import type { ConnectorCatalogTable, Database } from '../../platform/db/schema';

export type CatalogRow = Selectable<ConnectorCatalogTable>;

/** The connector types shipped with Scout: `catalog.json` beside this file. */
export function shippedCatalog(): CatalogEntry[] {
  const entries = JSON.parse(readFileSync(new URL('./catalog.json', import.meta.url), 'utf8')) as Array<Partial<CatalogEntry> & Pick<CatalogEntry, 'key'>>;
  return entries.map((entry) => ({ deprecated: false, deprecation_reason: null, ...entry }) as CatalogEntry);
}

export interface SeedReport {
  inserted: string[];
  updated: string[];
  unchanged: string[];
}

/**
 * Makes the catalog table match `entries`: new keys inserted, changed specs
 * updated, nothing duplicated. Idempotent; run by `scout seed` and on every
 * start. Entries no longer shipped are left alone (installed connectors may
 * still point at them).
 */
export async function seedCatalog(db: Kysely<Database>, entries: CatalogEntry[] = shippedCatalog()): Promise<SeedReport> {
  const report: SeedReport = { inserted: [], updated: [], unchanged: [] };
  for (const entry of entries) {
    const values = {
      key: entry.key,
      name: entry.name,
      description: entry.description,
      category: entry.category,
      icon: entry.icon,
      auth_type: entry.auth_type,
      capabilities: JSON.stringify(entry.capabilities),
      config_schema: JSON.stringify(entry.config_schema),
      auth_schema: JSON.stringify(entry.auth_schema),
      spec_version: entry.spec_version,
      deprecated: entry.deprecated,
      deprecation_reason: entry.deprecation_reason,
    };
    const result = await db
      .insertInto('connector_catalog')
      .values(values)
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet({ ...values, updated_at: new Date() })
          // Only a real change is written, so re-seeding leaves updated_at alone.
          .where(
            sql<boolean>`(connector_catalog.name, connector_catalog.description, connector_catalog.category, connector_catalog.icon, connector_catalog.auth_type,
              connector_catalog.capabilities, connector_catalog.config_schema, connector_catalog.auth_schema, connector_catalog.spec_version,
              connector_catalog.deprecated, connector_catalog.deprecation_reason)
              IS DISTINCT FROM (excluded.name, excluded.description, excluded.category, excluded.icon, excluded.auth_type,
              excluded.capabilities, excluded.config_schema, excluded.auth_schema, excluded.spec_version, excluded.deprecated, excluded.deprecation_reason)`,
          ),
      )
      .returning(sql<boolean>`xmax = 0`.as('inserted'))
      .executeTakeFirst();
    if (!result) report.unchanged.push(entry.key);
    else (result.inserted ? report.inserted : report.updated).push(entry.key);
  }
  return report;
}

export function presentCatalogEntry(row: CatalogRow): CatalogEntry {
  return {
    key: row.key,
    name: row.name,
    description: row.description,
    category: row.category,
    icon: row.icon,
    auth_type: row.auth_type,
    capabilities: row.capabilities,
    config_schema: row.config_schema as unknown as CatalogEntry['config_schema'],
    auth_schema: row.auth_schema as unknown as CatalogEntry['auth_schema'],
    spec_version: row.spec_version,
    deprecated: row.deprecated,
    deprecation_reason: row.deprecation_reason,
  };
}
