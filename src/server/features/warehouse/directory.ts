import type pg from 'pg';
import { ident, qualified } from '../../platform/db/sql';
import { CopyWriter } from './copy-writer';
import { copyLine, pgTextArray } from './rows';
import { NameAllocator } from './transforms/names';

/**
 * A domain's "who and where": users (mobile workers and web users), groups
 * and their members, the location hierarchy and its types, and the lookup
 * tables. HQ has no incremental feed for them and they are small next to
 * cases and forms, so every sync fetches them whole (in parallel with the
 * cases and forms) and writes them in the transaction that publishes the
 * sync, replacing the previous copy.
 */
export interface Directory {
  users: DirectoryUser[];
  groups: DirectoryGroup[];
  locationTypes: DirectoryLocationType[];
  locations: DirectoryLocation[];
  lookupTables: LookupTable[];
}

export interface DirectoryUser {
  user_id: string;
  user_type: 'mobile' | 'web';
  username: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  primary_location_id: string | null;
  location_ids: string[];
  group_ids: string[];
  active: boolean;
  role: string | null;
  user_data: Record<string, unknown>;
}

export interface DirectoryGroup {
  group_id: string;
  name: string;
  case_sharing: boolean;
  reporting: boolean;
  user_ids: string[];
}

export interface DirectoryLocationType {
  code: string;
  name: string;
  parent_code: string | null;
}

export interface DirectoryLocation {
  location_id: string;
  name: string;
  site_code: string;
  location_type: string;
  parent_location_id: string | null;
  latitude: string | null;
  longitude: string | null;
  last_modified: string | null;
  location_data: Record<string, unknown>;
}

export interface LookupTable {
  tag: string;
  /** Field names in HQ's order. */
  fields: string[];
  rows: Array<Record<string, string | null>>;
}

export const DIRECTORY_TABLES = ['users', 'groups', 'group_members', 'location_types', 'locations'] as const;

/** Lookup tables are `lookup_<tag>`; the tag is cleaned into a name PostgreSQL takes without quotes. */
export const LOOKUP_PREFIX = 'lookup_';

/**
 * Replaces the directory tables with `directory`. Locations carry one pair of
 * columns per location type (`<type>_id`, `<type>_name`) holding the
 * location's ancestor (or itself) of that type, so "cases by district" is a
 * single join from an owner to `locations`.
 */
export async function writeDirectory(client: pg.ClientBase, schema: string, directory: Directory): Promise<{ reshaped: boolean }> {
  const s = (name: string) => qualified(schema, name);
  const types = orderTypes(directory.locationTypes);
  // `<type>_id` must not meet the fixed columns location_id and parent_location_id.
  const prefixes = sqlNames(types.map((t) => t.code), ['location', 'parent_location']);
  const ancestry = types.flatMap((_, i) => [`${prefixes[i]}_id`, `${prefixes[i]}_name`]);
  // The typed views read users, groups and locations: while their shape holds, the tables are emptied and
  // refilled (the views and policies stay); when the hierarchy's levels changed they are made anew, and the
  // caller rebuilds the views.
  const reshaped = !(await sameColumns(client, schema, 'locations', [...LOCATION_COLUMNS, ...ancestry]));
  const existing = await client.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = $1 AND (tablename = ANY($2) OR tablename LIKE 'lookup\\_%')`,
    [schema, [...DIRECTORY_TABLES]],
  );
  const lookups = existing.rows.filter((r) => r.tablename.startsWith(LOOKUP_PREFIX)).map((r) => r.tablename);
  if (lookups.length > 0) await client.query(`DROP TABLE ${lookups.map(s).join(', ')}`);
  const kept = existing.rows.filter((r) => !r.tablename.startsWith(LOOKUP_PREFIX)).map((r) => r.tablename);
  if (reshaped) {
    if (kept.length > 0) await client.query(`DROP TABLE ${kept.map(s).join(', ')} CASCADE`);
  } else {
    await client.query(`TRUNCATE ${kept.map(s).join(', ')}`);
  }
  const create = (table: string, ddl: string) => client.query(`CREATE TABLE IF NOT EXISTS ${s(table)} ${ddl}`);

  await create('users', `(
    user_id text PRIMARY KEY, user_type text NOT NULL, username text NOT NULL, first_name text, last_name text, name text, email text,
    primary_location_id text, location_ids text[] NOT NULL, group_ids text[] NOT NULL, active boolean NOT NULL, role text, user_data jsonb NOT NULL)`);
  await copy(client, schema, 'users', ['user_id', 'user_type', 'username', 'first_name', 'last_name', 'name', 'email', 'primary_location_id', 'location_ids', 'group_ids', 'active', 'role', 'user_data'],
    uniqueBy(directory.users, (u) => u.user_id).map((u) => [
      u.user_id, u.user_type, u.username, u.first_name, u.last_name, displayName(u), u.email, u.primary_location_id, pgTextArray(u.location_ids), pgTextArray(u.group_ids), u.active ? 't' : 'f', u.role, JSON.stringify(u.user_data),
    ]));

  const groups = uniqueBy(directory.groups, (g) => g.group_id);
  await create('groups', '(group_id text PRIMARY KEY, name text NOT NULL, case_sharing boolean NOT NULL, reporting boolean NOT NULL, member_count integer NOT NULL)');
  await copy(client, schema, 'groups', ['group_id', 'name', 'case_sharing', 'reporting', 'member_count'],
    groups.map((g) => [g.group_id, g.name, g.case_sharing ? 't' : 'f', g.reporting ? 't' : 'f', String(new Set(g.user_ids).size)]));
  await create('group_members', '(group_id text NOT NULL, user_id text NOT NULL, PRIMARY KEY (group_id, user_id))');
  await copy(client, schema, 'group_members', ['group_id', 'user_id'], groups.flatMap((g) => [...new Set(g.user_ids)].map((userId) => [g.group_id, userId])));
  await client.query(`CREATE INDEX IF NOT EXISTS group_members_user_idx ON ${s('group_members')} (user_id)`);

  await create('location_types', '(code text PRIMARY KEY, name text NOT NULL, parent_code text, level integer NOT NULL, column_prefix text NOT NULL)');
  await copy(client, schema, 'location_types', ['code', 'name', 'parent_code', 'level', 'column_prefix'], types.map((t, i) => [t.code, t.name, t.parent_code, String(t.level), prefixes[i]!]));

  await create('locations', `(
    location_id text PRIMARY KEY, name text NOT NULL, site_code text NOT NULL, location_type text NOT NULL, level integer,
    parent_location_id text, latitude numeric, longitude numeric, last_modified timestamptz, location_data jsonb NOT NULL
    ${ancestry.map((c) => `, ${ident(c)} text`).join('')})`);
  const locations = uniqueBy(directory.locations, (l) => l.location_id);
  const byId = new Map(locations.map((l) => [l.location_id, l]));
  const levelOf = new Map(types.map((t, i) => [t.code, i]));
  await copy(client, schema, 'locations', [...LOCATION_COLUMNS, ...ancestry],
    locations.map((l) => {
      const path = new Array<string | null>(ancestry.length).fill(null);
      // Walk up to the root (guarding against a cycle in bad data): each ancestor fills its type's pair.
      for (let at: DirectoryLocation | undefined = l, steps = 0; at && steps < 64; at = at.parent_location_id ? byId.get(at.parent_location_id) : undefined, steps++) {
        const level = levelOf.get(at.location_type);
        if (level === undefined || path[level * 2] !== null) continue;
        path[level * 2] = at.location_id;
        path[level * 2 + 1] = at.name;
      }
      const level = levelOf.get(l.location_type);
      return [l.location_id, l.name, l.site_code, l.location_type, level === undefined ? null : String(level), l.parent_location_id, l.latitude, l.longitude, l.last_modified, JSON.stringify(l.location_data), ...path];
    }));
  await client.query(`CREATE INDEX IF NOT EXISTS locations_parent_idx ON ${s('locations')} (parent_location_id)`);

  const lookupNames = sqlNames(directory.lookupTables.map((t) => `${LOOKUP_PREFIX}${t.tag}`));
  for (const [i, lookup] of directory.lookupTables.entries()) {
    const columns = sqlNames(lookup.fields);
    const table = lookupNames[i]!;
    await client.query(`CREATE TABLE ${s(table)} (${columns.map((c) => `${ident(c)} text`).join(', ') || 'empty text'})`);
    if (columns.length > 0) await copy(client, schema, table, columns, lookup.rows.map((row) => lookup.fields.map((field) => row[field] ?? null)));
  }
  return { reshaped };
}

/** The fixed columns of `locations`, before the ancestor pairs. */
const LOCATION_COLUMNS = ['location_id', 'name', 'site_code', 'location_type', 'level', 'parent_location_id', 'latitude', 'longitude', 'last_modified', 'location_data'];

/** Whether a table exists with exactly these columns, in this order. */
async function sameColumns(client: pg.ClientBase, schema: string, table: string, columns: string[]): Promise<boolean> {
  const { rows } = await client.query<{ names: string[] | null }>(
    `SELECT array_agg(a.attname::text ORDER BY a.attnum) AS names FROM pg_attribute a
      WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`,
    [qualified(schema, table)],
  );
  const names = rows[0]?.names ?? null;
  return names !== null && names.length === columns.length && names.every((name, i) => name === columns[i]);
}

/** Root types first: a type's level is its depth in the hierarchy. */
function orderTypes(types: DirectoryLocationType[]): Array<DirectoryLocationType & { level: number }> {
  const byCode = new Map(types.map((t) => [t.code, t]));
  const depth = (t: DirectoryLocationType, seen = new Set<string>()): number => {
    const parent = t.parent_code ? byCode.get(t.parent_code) : undefined;
    if (!parent || seen.has(t.code)) return 0;
    seen.add(t.code);
    return depth(parent, seen) + 1;
  };
  return types.map((t) => ({ ...t, level: depth(t) })).sort((a, b) => a.level - b.level || a.code.localeCompare(b.code));
}

function displayName(u: DirectoryUser): string {
  const name = [u.first_name, u.last_name].filter((part) => part && part.trim()).join(' ');
  return name || u.username.split('@')[0]!;
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) seen.set(key(item), item);
  return [...seen.values()];
}

async function copy(client: pg.ClientBase, schema: string, table: string, columns: string[], rows: Array<Array<string | null>>): Promise<void> {
  if (rows.length === 0) return;
  const writer = new CopyWriter(client as pg.PoolClient, schema, table, columns);
  try {
    await writer.write(rows.map(copyLine).join(''), rows.length);
    await writer.finish();
  } catch (error) {
    writer.abort(error as Error);
    throw error;
  }
}

/** HQ's names (location type codes, lookup tags and fields) as unique SQL names, in the given order. */
function sqlNames(raws: string[], taken: readonly string[] = []): string[] {
  const names = new NameAllocator({ taken });
  return raws.map((raw) => names.allocate(raw, { fallback: 'field' }));
}
