import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';
import { hardenManagedDatabase, runQuery } from '../tools/query';
import { writeDirectory, type Directory } from './directory';
import { rebuildRelationships } from './relationships';
import { applyRowSecurity, writeScope } from './row-security';
import { CASES_DDL, FORMS_DDL } from './rows';
import { SchemaManager } from './schema-manager';

/**
 * Row-level security on a real warehouse schema: a state with two districts,
 * a facility and a village in each, a worker at each facility's village or
 * facility; cases owned by each location, worker and a case-sharing group.
 * The supervisor of district North must see exactly what HQ shows them.
 */
const directory: Directory = {
  locationTypes: [
    { code: 'state', name: 'State', parent_code: null },
    { code: 'district', name: 'District', parent_code: 'state' },
    { code: 'facility', name: 'Facility', parent_code: 'district' },
    { code: 'village', name: 'Village', parent_code: 'facility' },
  ],
  locations: [
    loc('s', 'Coast', 'state', null),
    loc('dn', 'North', 'district', 's'),
    loc('ds', 'South', 'district', 's'),
    loc('fn', 'North Clinic', 'facility', 'dn'),
    loc('fs', 'South Clinic', 'facility', 'ds'),
    loc('vn', 'Upper Village', 'village', 'fn'),
    loc('vs', 'Lower Village', 'village', 'fs'),
  ],
  users: [user('wn', 'vn'), user('ws', 'fs'), { ...user('web', null), user_type: 'web', role: 'Admin' }],
  groups: [{ group_id: 'g', name: 'Team', case_sharing: true, reporting: true, user_ids: ['wn', 'ws'] }],
  lookupTables: [{ tag: 'Drug List', fields: ['code', 'Drug Name'], rows: [{ code: 'a1', 'Drug Name': 'Amoxicillin' }] }],
};
// owner → how many cases it owns
const OWNED = { vn: 3, wn: 2, fn: 1, vs: 4, ws: 5, g: 6, s: 1 };
const NORTH_CASES = OWNED.vn + OWNED.wn + OWNED.fn;

function loc(location_id: string, name: string, location_type: string, parent: string | null) {
  return { location_id, name, site_code: location_id, location_type, parent_location_id: parent, latitude: null, longitude: null, last_modified: null, location_data: {} };
}
function user(user_id: string, location: string | null) {
  return {
    user_id, user_type: 'mobile' as const, username: `${user_id}@demo.commcarehq.org`, first_name: user_id.toUpperCase(), last_name: 'Worker', email: null,
    primary_location_id: location, location_ids: location ? [location] : [], group_ids: ['g'], active: true, role: null, user_data: {},
  };
}

let database: TestDatabase;
let admin: pg.Pool;
let pool: pg.Pool;
let schemas: SchemaManager;
const schema = `rls_${Math.random().toString(36).slice(2, 8)}`;

beforeAll(async () => {
  database = await createTestDatabase();
  admin = new pg.Pool({ connectionString: database.url, max: 2 });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  await hardenManagedDatabase(admin);
  schemas = new SchemaManager(admin);
  await schemas.provision(schema);
  const client = await admin.connect();
  try {
    await client.query('BEGIN');
    await client.query(`CREATE TABLE "${schema}".cases ${CASES_DDL}`);
    await client.query(`CREATE TABLE "${schema}".forms ${FORMS_DDL}`);
    let n = 0;
    for (const [owner, count] of Object.entries(OWNED)) {
      for (let i = 0; i < count; i++, n++) {
        const parent = n > 0 ? `{"parent": {"case_id": "c0", "case_type": "household", "relationship": "child"}}` : '{}';
        await client.query(`INSERT INTO "${schema}".cases (case_id, case_type, owner_id, closed, indices, properties) VALUES ($1, 'person', $2, false, $3, '{}')`, [`c${n}`, owner, parent]);
      }
    }
    for (const worker of ['wn', 'ws', 'wn']) await client.query(`INSERT INTO "${schema}".forms (form_id, user_id, form) VALUES (gen_random_uuid(), $1, '{}')`, [worker]);
    await writeDirectory(client, schema, directory);
    await rebuildRelationships(client, schema, 'cases');
    await client.query(`CREATE VIEW "${schema}".case_person AS SELECT case_id, owner_id FROM "${schema}".cases`);
    await applyRowSecurity(client, schema);
    await writeScope(client, schema, 'supervisor', ['dn']);
    await writeScope(client, schema, 'other-supervisor', ['ds']);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
});
afterAll(async () => {
  await pool?.end();
  await schemas?.teardown(schema).catch(() => undefined);
  await admin?.end();
  await database?.drop();
});

const count = async (sql: string, scope?: string) => (await runQuery(pool, schema, sql, {}, scope ? { scope } : {})).rows;

describe('the directory tables', () => {
  it('give each location its ancestors by type, so a case is one join from its district', async () => {
    const { rows } = await admin.query(`SELECT location_id, level, state_name, district_name, facility_name, village_name FROM "${schema}".locations ORDER BY level, location_id`);
    expect(rows.find((r) => r.location_id === 'vn')).toEqual({ location_id: 'vn', level: 3, state_name: 'Coast', district_name: 'North', facility_name: 'North Clinic', village_name: 'Upper Village' });
    expect(rows.find((r) => r.location_id === 'dn')).toMatchObject({ district_name: 'North', facility_name: null });
    const byDistrict = await count(
      `SELECT l.district_name, count(*)::int FROM cases c JOIN locations l ON l.location_id = c.owner_id GROUP BY 1 ORDER BY 1 NULLS LAST`,
    );
    expect(byDistrict).toEqual([['North', OWNED.vn + OWNED.fn], ['South', OWNED.vs], [null, OWNED.s]]);
    expect(await count(`SELECT code, drug_name FROM lookup_drug_list`)).toEqual([['a1', 'Amoxicillin']]);
    expect(await count(`SELECT name, user_type FROM users ORDER BY user_id`)).toEqual([['WEB Worker', 'web'], ['WN Worker', 'mobile'], ['WS Worker', 'mobile']]);
  });
});

describe('row-level security for a location-restricted member', () => {
  it('shows the whole domain without a scope, and only the scope with one', async () => {
    const total = Object.values(OWNED).reduce((a, b) => a + b, 0);
    expect(await count('SELECT count(*)::int FROM cases')).toEqual([[total]]);
    expect(await count('SELECT count(*)::int FROM cases', 'supervisor')).toEqual([[NORTH_CASES]]);
    expect(await count('SELECT count(*)::int FROM cases', 'other-supervisor')).toEqual([[OWNED.vs + OWNED.ws]]);
    expect(await count('SELECT count(*)::int FROM forms', 'supervisor')).toEqual([[2]]);
    expect(await count('SELECT location_id FROM locations ORDER BY 1', 'supervisor')).toEqual([['dn'], ['fn'], ['vn']]);
    expect(await count('SELECT user_id FROM users', 'supervisor')).toEqual([['wn']]);
  });

  it('gives nothing more through views, relationships, joins, groups, the scope table or the dictionary', async () => {
    expect(await count('SELECT count(*)::int FROM case_person', 'supervisor')).toEqual([[NORTH_CASES]]);
    // Every case but c0 (in North) has c0 as parent. A relationship is seen with its child case;
    // South's supervisor sees its cases' parent id, but not the parent's row.
    const parents = 'SELECT count(*)::int FROM case_relationships r JOIN cases p ON p.case_id = r.parent_case_id';
    expect(await count('SELECT count(*)::int FROM case_relationships', 'supervisor')).toEqual([[NORTH_CASES - 1]]);
    expect(await count(parents, 'supervisor')).toEqual([[NORTH_CASES - 1]]);
    expect(await count('SELECT count(*)::int FROM case_relationships', 'other-supervisor')).toEqual([[OWNED.vs + OWNED.ws]]);
    expect(await count(parents, 'other-supervisor')).toEqual([[0]]);
    expect(await count('SELECT count(*)::int FROM groups', 'supervisor')).toEqual([[0]]);
    expect(await count('SELECT count(*)::int FROM group_members', 'supervisor')).toEqual([[0]]);
    expect(await count('SELECT DISTINCT scope FROM _scout_scope', 'supervisor')).toEqual([['supervisor']]);
    expect(await count('SELECT count(*)::int FROM lookup_drug_list', 'supervisor')).toEqual([[1]]);
  });

  it('refuses to change the scope or the role from inside a query', async () => {
    await expect(count("SELECT set_config('scout.scope', 'other-supervisor', true), count(*) FROM cases", 'supervisor')).rejects.toThrow();
    await expect(count(`SELECT set_config('role', '${schema}_ro', true)`, 'supervisor')).rejects.toThrow();
  });

  it('sees nothing with a scope that has no rows', async () => {
    expect(await count('SELECT count(*)::int FROM cases', 'nobody')).toEqual([[0]]);
    expect(await count('SELECT count(*)::int FROM locations', 'nobody')).toEqual([[0]]);
  });
});
