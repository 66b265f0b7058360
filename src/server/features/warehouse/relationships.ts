import type pg from 'pg';
import { ident, qualified } from '../../platform/db/sql';

/**
 * `case_relationships`: one row per index of a case (HQ's `indices`), so
 * "households whose members were all visited" is a join, not JSON. A
 * `relationship` of `extension` marks an extension case; anything else is a
 * child (HQ's default).
 */
export const RELATIONSHIPS_TABLE = 'case_relationships';

const COLUMNS = `case_id, relationship_name, parent_case_id, parent_case_type, relationship_type`;

function selectFrom(source: string, where = ''): string {
  return `SELECT c.case_id, i.key, i.value->>'case_id', i.value->>'case_type',
                 CASE WHEN i.value->>'relationship' = 'extension' THEN 'extension' ELSE 'child' END
            FROM ${source} c CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(c.indices) = 'object' THEN c.indices ELSE '{}'::jsonb END) i
           WHERE jsonb_typeof(i.value) = 'object' AND i.value->>'case_id' <> ''${where}`;
}

/**
 * Builds the table from a full load's cases (`casesTable`, in the schema),
 * replacing the old one. CREATE TABLE AS (which PostgreSQL may run with
 * parallel workers) with the keys added after: a bulk index build is far
 * cheaper than maintaining them row by row. The cases are unique, and a
 * case's index names are JSON keys, so the key cannot be violated.
 */
export async function rebuildRelationships(client: pg.ClientBase, schema: string, casesTable: string): Promise<void> {
  const table = qualified(schema, RELATIONSHIPS_TABLE);
  await client.query(`DROP TABLE IF EXISTS ${table}`);
  await client.query(`CREATE TABLE ${table} (${COLUMNS}) AS ${selectFrom(qualified(schema, casesTable))}`);
  await client.query(`ALTER TABLE ${table} ALTER COLUMN relationship_type SET NOT NULL, ALTER COLUMN parent_case_id SET NOT NULL, ADD PRIMARY KEY (case_id, relationship_name)`);
  await client.query(`CREATE INDEX ${ident(`${RELATIONSHIPS_TABLE}_parent_idx`)} ON ${table} (parent_case_id)`);
}

/** After an incremental batch: the relationships of the cases in `incoming` (a temp table) are theirs now. */
export async function refreshRelationships(client: pg.ClientBase, schema: string, incoming: string): Promise<void> {
  const table = qualified(schema, RELATIONSHIPS_TABLE);
  const present = await client.query('SELECT to_regclass($1) IS NOT NULL AS present', [table]);
  if (present.rows[0]?.present !== true) {
    await rebuildRelationships(client, schema, 'cases');
    return;
  }
  await client.query(`DELETE FROM ${table} WHERE case_id IN (SELECT case_id FROM ${ident(incoming)})`);
  await client.query(`INSERT INTO ${table} (${COLUMNS}) ${selectFrom(ident(incoming))} ON CONFLICT DO NOTHING`);
}
