import type pg from 'pg';
import { ident, literal, qualified } from '../../platform/db/sql';
import { readOnlyRole, restrictedRole } from './sql';

/**
 * Row-level security that mirrors CommCare HQ's location restrictions.
 *
 * A tenant schema has two reader roles. Members whom HQ shows the whole
 * domain read as `<schema>_ro`, which every policy lets see every row. A
 * member whom HQ restricts to some locations reads as `<schema>_rs` with
 * `scout.scope` set (SET LOCAL, before the query) to their scope: the rows
 * of `_scout_scope` computed for them from their locations' subtree. Every
 * data table's policy for `_rs` admits only rows of that scope; without a
 * scope (or with one that has no rows) it sees nothing. The query cannot
 * change its role (the roles are members of nothing) nor the setting
 * (set_config is revoked from the reader roles, and SET is not a query);
 * execute.ts checks both again after the query. Views are security
 * invokers, so a view shows the querying role's rows, not its owner's.
 */

export const SCOPE_SETTING = 'scout.scope';
export const SCOPE_TABLE = '_scout_scope';

/** What a scope row stands for. */
export type ScopeKind = 'location' | 'user' | 'owner';

/** The rows of each table a restricted reader may see, given its scope's ids of `kind`. */
const SCOPED: Record<string, { column: string; kind: ScopeKind } | { visibleThrough: { column: string; table: string; key: string } }> = {
  cases: { column: 'owner_id', kind: 'owner' },
  forms: { column: 'user_id', kind: 'user' },
  users: { column: 'user_id', kind: 'user' },
  locations: { column: 'location_id', kind: 'location' },
  // groups and group_members have no policy for the restricted reader: HQ gives a role without
  // access_all_locations no group permissions (HqPermissions.normalize), so it sees none.
  // A relationship is seen with its child case (the case API shows a case's indices with the case).
  case_relationships: { visibleThrough: { column: 'case_id', table: 'cases', key: 'case_id' } },
};

/**
 * Tables that hold no one's data (lookup tables, location types, the names of
 * tables and case types): every reader sees them whole. `_scout_columns` is
 * not among them: it carries sample values.
 */
const OPEN_PREFIXES = ['lookup_', 'location_types', '_scout_tables', '_scout_case_types'];

/**
 * (Re)applies the policies to every table of the schema and makes every view
 * a security invoker. Runs in the transaction that swaps new tables in, so a
 * table is never readable without its policy.
 */
export async function applyRowSecurity(client: pg.ClientBase, schema: string): Promise<void> {
  const all = readOnlyRole(schema);
  const restricted = restrictedRole(schema);
  await ensureScopeTable(client, schema);
  const tables = await client.query<{ tablename: string; rowsecurity: boolean; policies: string[] }>(
    `SELECT t.tablename, t.rowsecurity, coalesce(array_agg(p.policyname::text) FILTER (WHERE p.policyname IS NOT NULL), '{}')::text[] AS policies
       FROM pg_tables t LEFT JOIN pg_policies p ON p.schemaname = t.schemaname AND p.tablename = t.tablename
      WHERE t.schemaname = $1 GROUP BY t.tablename, t.rowsecurity`,
    [schema],
  );
  for (const { tablename, rowsecurity, policies } of tables.rows) {
    if (tablename.startsWith('_load_')) continue;
    const rule = restrictedRule(schema, tablename);
    const wanted = rule ? [ALL_POLICY, SCOPE_POLICY] : [ALL_POLICY];
    // Unchanged tables keep their policies: altering them would wait for every query reading them.
    if (rowsecurity && wanted.every((name) => policies.includes(name)) && policies.length === wanted.length) continue;
    const table = qualified(schema, tablename);
    await client.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    for (const name of policies) await client.query(`DROP POLICY ${ident(name)} ON ${table}`);
    await client.query(`CREATE POLICY ${ALL_POLICY} ON ${table} FOR SELECT TO ${ident(all)} USING (true)`);
    if (rule) await client.query(`CREATE POLICY ${SCOPE_POLICY} ON ${table} FOR SELECT TO ${ident(restricted)} USING (${rule})`);
  }
  const views = await client.query<{ viewname: string }>(
    `SELECT c.relname AS viewname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'v' AND NOT coalesce('security_invoker=true' = ANY(c.reloptions), false)`,
    [schema],
  );
  for (const { viewname } of views.rows) await client.query(`ALTER VIEW ${qualified(schema, viewname)} SET (security_invoker = true)`);
}

/** Named with the rules' version: a Scout with other rules replaces them on its next sync. */
const ALL_POLICY = 'scout_all_v1';
const SCOPE_POLICY = 'scout_scope_v1';

/** The USING clause of the restricted reader's policy on a table, or undefined for none (it sees no rows). */
function restrictedRule(schema: string, table: string): string | undefined {
  if (table === SCOPE_TABLE) return `scope = current_setting(${literal(SCOPE_SETTING)}, true)`;
  if (OPEN_PREFIXES.some((prefix) => table.startsWith(prefix))) return 'true';
  const scoped = SCOPED[table];
  if (!scoped) return undefined;
  if ('visibleThrough' in scoped) {
    const { column, table: through, key } = scoped.visibleThrough;
    // The subquery reads `through` as the same role, so its own policy applies.
    return `${ident(column)} IN (SELECT ${ident(key)} FROM ${qualified(schema, through)})`;
  }
  return `${ident(scoped.column)} IN (SELECT id FROM ${qualified(schema, SCOPE_TABLE)} WHERE scope = current_setting(${literal(SCOPE_SETTING)}, true) AND kind = ${literal(scoped.kind)})`;
}

async function ensureScopeTable(client: pg.ClientBase, schema: string): Promise<void> {
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${qualified(schema, SCOPE_TABLE)} (scope text NOT NULL, kind text NOT NULL, id text NOT NULL, PRIMARY KEY (scope, kind, id))`,
  );
}

/**
 * Writes the scope of a member whom HQ restricts to `locationIds`, after HQ's
 * rules (corehq/apps/locations/permissions.py): the subtree of those
 * locations; the users assigned anywhere in it; as case owners, both (cases
 * owned by case-sharing groups are never visible to a restricted user); their
 * forms are those those users submitted. Replaces the member's previous
 * scope, inside the caller's transaction. Returns how many rows it wrote.
 */
export async function writeScope(client: pg.ClientBase, schema: string, scope: string, locationIds: readonly string[]): Promise<number> {
  await ensureScopeTable(client, schema);
  const s = (name: string) => qualified(schema, name);
  await client.query(`DELETE FROM ${s(SCOPE_TABLE)} WHERE scope = $1`, [scope]);
  // Without the directory yet (a warehouse from before it), the scope is empty: nothing is visible.
  if (!(await hasTable(client, schema, 'locations')) || !(await hasTable(client, schema, 'users'))) return 0;
  const result = await client.query(
    `WITH RECURSIVE subtree AS (
       SELECT location_id FROM ${s('locations')} WHERE location_id = ANY($2::text[])
       UNION
       SELECT l.location_id FROM ${s('locations')} l JOIN subtree ON l.parent_location_id = subtree.location_id
     ),
     scoped_users AS (
       SELECT u.user_id FROM ${s('users')} u WHERE u.location_ids && ARRAY(SELECT location_id FROM subtree)
     ),
     scope_rows AS (
       SELECT 'location' AS kind, location_id AS id FROM subtree
       UNION SELECT 'user', user_id FROM scoped_users
       UNION SELECT 'owner', location_id FROM subtree
       UNION SELECT 'owner', user_id FROM scoped_users
     )
     INSERT INTO ${s(SCOPE_TABLE)} (scope, kind, id) SELECT $1, kind, id FROM scope_rows
     UNION ALL SELECT $1, 'assigned', $3`,
    [scope, locationIds, fingerprint(locationIds)],
  );
  return (result.rowCount ?? 1) - 1;
}

/** Which assignment a scope was computed for: its sorted location ids. */
function fingerprint(locationIds: readonly string[]): string {
  return [...locationIds].sort().join(' ');
}

/**
 * Makes sure the scope exists for these locations (after a sync, scopes are
 * rewritten in the sync's own transaction; this covers a member whose
 * restriction Scout has just learned or seen change). Concurrent callers
 * queue on an advisory lock; the first writes, the others find it done.
 */
export async function ensureScope(pool: pg.Pool, schema: string, scope: string, locationIds: readonly string[]): Promise<void> {
  // Every query of a restricted member passes here: when the scope is current (nearly always), one read answers.
  if ((await assignedFingerprint(pool, schema, scope)) === fingerprint(locationIds)) return;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('scout.scope:' || $1 || ':' || $2))`, [schema, scope]);
    await ensureScopeTable(client, schema);
    // Another caller may have written it while this one waited for the lock.
    if ((await assignedFingerprint(client, schema, scope)) !== fingerprint(locationIds)) await writeScope(client, schema, scope, locationIds);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Drops a member's scope (they left, or HQ shows them everything now). */
export async function dropScope(client: pg.ClientBase, schema: string, scope: string): Promise<void> {
  if (await hasTable(client, schema, SCOPE_TABLE)) await client.query(`DELETE FROM ${qualified(schema, SCOPE_TABLE)} WHERE scope = $1`, [scope]);
}

/** The assignment a scope was last written for; undefined without one (or without the scope table yet). */
async function assignedFingerprint(db: pg.Pool | pg.ClientBase, schema: string, scope: string): Promise<string | undefined> {
  try {
    const { rows } = await db.query<{ id: string }>(`SELECT id FROM ${qualified(schema, SCOPE_TABLE)} WHERE scope = $1 AND kind = 'assigned'`, [scope]);
    return rows[0]?.id;
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return undefined;
    throw error;
  }
}

async function hasTable(client: pg.ClientBase, schema: string, table: string): Promise<boolean> {
  const result = await client.query('SELECT to_regclass($1) IS NOT NULL AS present', [qualified(schema, table)]);
  return result.rows[0]?.present === true;
}
