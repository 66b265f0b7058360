import type { Selectable } from 'kysely';
import { secretFields, type CatalogEntry, type ConnectorSummary, type PublishTarget } from '../../../shared/connectors';
import type { ConnectorSecretTable, ConnectorTable } from '../../platform/db/schema';
import { tokenWarning } from './oauth-providers';

export type ConnectorRow = Selectable<ConnectorTable> & { catalog_key: string };
export type SecretRow = Pick<Selectable<ConnectorSecretTable>, 'field' | 'updated_at'>;

/** A connector for any response: which secrets are set and when, never a value. */
export function presentConnector(row: ConnectorRow, entry: CatalogEntry, secrets: SecretRow[]): ConnectorSummary {
  const stored = new Map(secrets.map((s) => [s.field, s.updated_at]));
  const present = new Set([...stored.keys(), ...Object.keys(row.auth)]);
  const renews = stored.has('refresh_token');
  return {
    id: row.id,
    name: row.name,
    catalog_key: row.catalog_key,
    status: row.status,
    config: row.config,
    auth: row.auth,
    auth_configured: (entry.auth_schema.required ?? []).every((field) => present.has(field)),
    secrets: Object.fromEntries(
      secretFields(entry.auth_schema).map((field) => {
        const at = stored.get(field);
        return [field, { set: at !== undefined, updated_at: at?.toISOString() ?? null }];
      }),
    ),
    tags: row.tags,
    last_error: row.last_error,
    last_check:
      row.last_checked_at === null
        ? null
        : {
            ok: row.last_check_ok === true,
            checked_at: row.last_checked_at.toISOString(),
            account: row.last_check_ok === true && row.account_name !== null ? { name: row.account_name, ...(row.account_url ? { url: row.account_url } : {}) } : null,
            message: row.last_check_message ?? '',
          },
    ...(entry.oauth
      ? {
          oauth: {
            connected: present.has('access_token'),
            expires_at: row.token_expires_at?.toISOString() ?? null,
            renews,
            warning: present.has('access_token') ? tokenWarning(entry.oauth.name, row.token_expires_at, renews) : null,
          },
        }
      : {}),
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    updated_by: row.updated_by,
    updated_at: row.updated_at.toISOString(),
  };
}

export function presentPublishTarget(row: ConnectorRow, entry: CatalogEntry): PublishTarget {
  return { id: row.id, name: row.name, catalog_key: row.catalog_key, capabilities: entry.capabilities };
}
