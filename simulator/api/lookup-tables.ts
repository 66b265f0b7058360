import { type Context, type Hono } from 'hono';
import { type SimContext, type SimEnv } from './env';
import { type GuardFor } from './guard';
import { lastParam } from './http';
import { registerResource } from './resource-list';
import { type JsonObject } from '../generator/forms';
import { type FieldValue, type LookupItem, type LookupTable } from '../generator/lookup-tables';

/**
 * Lookup tables, as corehq/apps/fixtures/resources/v0_1.py serves them:
 * - /api/v0.5/lookup_table/ (alias /api/lookup_table/v1/): the tables and their fields;
 * - /api/v0.5/lookup_table_item/ (alias /api/lookup_table_item/v1/): every row of every table;
 * - /api/v0.5/fixture/ (alias /api/fixture/v1/): the legacy FixtureResource, rows with
 *   flat fields where they have one plain value, `fixture_type=<tag>` to pick a table
 *   (Meta.limit 0: up to 1000 a page).
 * Not location-safe.
 */

const tablesOf = (c: Context<SimEnv>) => c.get('data').gen.program.lookupTables;

/** Field names in sorted order: tastypie serialises with sort_keys, nested objects included. */
const sortedFields = (item: LookupItem) => Object.entries(item.fields).sort(([a], [b]) => (a < b ? -1 : 1));

function fieldListJson(values: readonly FieldValue[]): JsonObject {
  return { field_list: values.map((v) => ({ field_value: v.value, properties: v.properties })) };
}

/** FieldList.to_api_json for every field. */
function fieldsJson(item: LookupItem): JsonObject {
  return Object.fromEntries(sortedFields(item).map(([name, values]) => [name, fieldListJson(values)]));
}

/** try_fields_without_attributes: `{field: value}` when every field is one plain value, else the full field lists. */
function flatFields(item: LookupItem): JsonObject {
  const plain = Object.values(item.fields).every((values) => values.length === 1 && Object.keys(values[0]!.properties).length === 0);
  return plain ? Object.fromEntries(sortedFields(item).map(([name, values]) => [name, values[0]!.value])) : fieldsJson(item);
}

export function registerLookupTables(app: Hono<SimEnv>, ctx: SimContext, guardFor: GuardFor): void {
  // CustomResourceMeta's LoginAndDomainAuthentication: access_api only.
  const policy = { permission: null, locationSafe: false } as const;

  registerResource<LookupTable>(app, ctx, guardFor, {
    flavours: ['v0.5/lookup_table', 'lookup_table/v1'],
    policy,
    defaultLimit: 20,
    maxLimit: 1000,
    list: tablesOf,
    idOf: (table) => table.id,
    present: (table, c, listPath) => ({
      fields: table.fields.map((f) => ({ field_name: f.name, properties: f.properties })),
      id: table.id,
      is_global: true,
      item_attributes: [],
      resource_uri: `${new URL(c.req.url).origin}${listPath}${table.id}/`,
      tag: table.tag,
    }),
  });

  registerResource<LookupItem>(app, ctx, guardFor, {
    flavours: ['v0.5/lookup_table_item', 'lookup_table_item/v1'],
    policy,
    defaultLimit: 20,
    maxLimit: 1000,
    list: (c) => tablesOf(c).flatMap((t) => t.items),
    idOf: (item) => item.id,
    present: (item, _c, listPath) => ({
      data_type_id: item.tableId,
      fields: fieldsJson(item),
      id: item.id,
      item_attributes: {},
      resource_uri: `${listPath}${item.id}/`,
      sort_key: item.sortKey,
    }),
  });

  registerResource<LookupItem>(app, ctx, guardFor, {
    flavours: ['v0.5/fixture', 'fixture/v1'],
    // FixtureResource: RequirePermissionAuthentication(edit_apps).
    policy: { permission: 'edit_apps', locationSafe: false },
    defaultLimit: 0,
    maxLimit: 1000,
    list: (c, params) => {
      const typeId = lastParam(params, 'fixture_type_id');
      const tag = lastParam(params, 'fixture_type');
      const tables = tablesOf(c).filter((t) => (typeId ? t.id === typeId : tag ? t.tag === tag : true));
      return tables.flatMap((t) => t.items);
    },
    idOf: (item) => item.id,
    present: (item, c, listPath) => ({
      fields: flatFields(item),
      fixture_type: tablesOf(c).find((t) => t.id === item.tableId)!.tag,
      id: item.id,
      resource_uri: `${listPath}${item.id}/`,
    }),
  });
}
