import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/database';
import type { Application } from '../../commcare/types';
import { runTransforms } from './build';
import { buildTransforms, knownCaseProperties, type TransformResult } from './index';
import { NameAllocator, sanitize } from './names';
import { MAX_VIEW_COLUMNS } from './plan';
import { dropProbes, probeCases } from './probe';
import { qualified } from '../../../platform/db/sql';
import {
  columnTypes,
  createWarehouseTables,
  insertCases,
  insertForms,
  loadWarehouse,
  simulatorData,
  viewsIn,
  type SimulatorData,
} from './test-support';

let database: TestDatabase;
let client: pg.Client;
let data: SimulatorData;

beforeAll(async () => {
  database = await createTestDatabase();
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  data = await simulatorData({ cases: 240, formsPerCase: 2, seed: 7 });
});
afterAll(async () => {
  await client?.end();
  await database?.drop();
});

/** buildTransforms inside a transaction, as the materializer calls it. */
async function build(schema: string, applications: Application[] = data.applications): Promise<TransformResult> {
  await client.query('BEGIN');
  try {
    const result = await buildTransforms(client, { schema, applications });
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

async function rows<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await client.query<T>(sql, params)).rows;
}

const casesOf = (type: string) => data.cases.filter((c) => c.case_type === type);
const xmlnsOf = (name: string) => data.applications.flatMap((a) => a.modules.flatMap((m) => m.forms)).find((f) => (f.name as Record<string, string>).en === name)!.xmlns;

describe('typed views over simulator data', () => {
  const schema = 'demo_clinic';
  let result: TransformResult;

  beforeAll(async () => {
    await loadWarehouse(client, schema, data);
    result = await build(schema);
  });

  it('makes one view per case type and per form, and nothing else', async () => {
    expect(data.cases.length).toBe(240);
    const caseViews = ['case_household', 'case_person', 'case_pregnancy', 'case_visit'];
    const formViews = [
      'form_anc_visit',
      'form_home_visit',
      'form_referral_feedback',
      'form_register_household',
      'form_register_person',
      'form_register_pregnancy',
      'form_update_household',
      'form_update_person',
      'form_visit_follow_up',
    ];
    expect([...result.views].sort()).toEqual([...caseViews, ...formViews].sort());
    expect(await viewsIn(client, schema)).toEqual([...caseViews, ...formViews].sort());
  });

  it('types case properties from the application and the data', async () => {
    expect(await columnTypes(client, schema, 'case_household')).toEqual({
      case_id: 'text',
      case_name: 'text',
      external_id: 'text',
      owner_id: 'text',
      date_opened: 'timestamp with time zone',
      last_modified: 'timestamp with time zone',
      closed: 'boolean',
      date_closed: 'timestamp with time zone',
      parent_case_id: 'text',
      village: 'text',
      head_name: 'text',
      household_size: 'numeric',
      water_source: 'text',
      has_latrine: 'boolean',
      registration_date: 'date',
      gps: 'text',
    });
    expect(await columnTypes(client, schema, 'case_person')).toMatchObject({ dob: 'date', age_years: 'numeric', phone_number: 'text', sex: 'text' });
    expect(await columnTypes(client, schema, 'case_pregnancy')).toMatchObject({ lmp: 'date', edd: 'date', gravida: 'numeric', anc_visit_count: 'numeric' });
    expect(await columnTypes(client, schema, 'case_visit')).toMatchObject({ visit_date: 'date', weight_kg: 'numeric', referred: 'boolean', notes: 'text' });
  });

  it('gives every case its typed values, one row per case', async () => {
    const households = await rows<{ case_id: string; household_size: string | null; has_latrine: boolean | null; registration_date: string | null; village: string | null; closed: boolean }>(
      `SELECT case_id, household_size::text, has_latrine, registration_date::text, village, closed FROM ${qualified(schema, 'case_household')}`,
    );
    expect(households.length).toBe(casesOf('household').length);
    for (const source of casesOf('household')) {
      const row = households.find((h) => h.case_id === source.case_id)!;
      const p = source.properties as Record<string, string>;
      expect(row.household_size).toBe(p.household_size ? p.household_size : null);
      expect(row.has_latrine).toBe(p.has_latrine === 'yes' ? true : p.has_latrine === 'no' ? false : null);
      expect(row.registration_date).toBe(p.registration_date || null);
      expect(row.village).toBe(p.village ?? null);
      expect(row.closed).toBe(source.closed);
    }
    const visits = await rows<{ case_id: string; weight_kg: string | null; parent_case_id: string | null }>(
      `SELECT case_id, weight_kg::text, parent_case_id FROM ${qualified(schema, 'case_visit')}`,
    );
    expect(visits.length).toBe(casesOf('visit').length);
    for (const source of casesOf('visit')) {
      const row = visits.find((v) => v.case_id === source.case_id)!;
      const weight = (source.properties as Record<string, string>).weight_kg;
      expect(row.weight_kg === null ? null : Number(row.weight_kg)).toBe(weight ? Number(weight) : null);
      expect(row.parent_case_id).toBe(source.indices.parent?.case_id ?? null);
    }
    const [sums] = await rows<{ total: string; people: string }>(
      `SELECT sum(household_size)::text AS total, (SELECT count(*) FROM ${qualified(schema, 'case_person')} WHERE dob < date '2000-01-01')::text AS people FROM ${qualified(schema, 'case_household')}`,
    );
    expect(Number(sums!.total)).toBeGreaterThan(0);
    expect(Number(sums!.people)).toBeGreaterThan(0);
  });

  it('flattens form questions into typed columns', async () => {
    const types = await columnTypes(client, schema, 'form_register_household');
    expect(types).toEqual({
      form_id: 'text',
      received_on: 'timestamp with time zone',
      user_id: 'text',
      app_id: 'text',
      case_ids: 'text[]',
      household_info_village: 'text',
      household_info_head_name: 'text',
      household_info_household_size: 'numeric',
      household_info_gps: 'text',
      wash_water_source: 'text',
      wash_has_latrine: 'boolean',
      registration_date: 'date',
    });
    expect(await columnTypes(client, schema, 'form_home_visit')).toMatchObject({ visit_date: 'date', vitals_weight_kg: 'numeric', assessment_referred: 'boolean' });
    expect(await columnTypes(client, schema, 'form_update_person')).toMatchObject({ consent_given: 'boolean', education_level: 'text' });

    const xmlns = xmlnsOf('Register Household');
    const sources = data.forms.filter((f) => f.form['@xmlns'] === xmlns);
    const viewRows = await rows<{ form_id: string; household_info_village: string; household_info_household_size: string | null; wash_has_latrine: boolean | null; case_ids: string[] }>(
      `SELECT form_id, household_info_village, household_info_household_size::text, wash_has_latrine, case_ids FROM ${qualified(schema, 'form_register_household')}`,
    );
    expect(viewRows.length).toBe(sources.length);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      const row = viewRows.find((r) => r.form_id === source.id)!;
      const info = source.form.household_info as Record<string, string>;
      const wash = source.form.wash as Record<string, string>;
      expect(row.household_info_village).toBe(info.village);
      expect(row.household_info_household_size).toBe(info.household_size || null);
      expect(row.wash_has_latrine).toBe(wash.has_latrine === 'yes' ? true : wash.has_latrine === 'no' ? false : null);
      expect(row.case_ids).toEqual([(source.form.case as Record<string, string>)['@case_id']]);
    }
    // A form nobody submitted still gets its (empty) view.
    const [unused] = await rows<{ n: string }>(`SELECT count(*)::text AS n FROM ${qualified(schema, 'form_referral_feedback')}`);
    expect(unused!.n).toBe('0');
  });

  it('describes every column of every table and view in the dictionary, with samples', async () => {
    const dictionary = await rows<{ table_name: string; column_name: string; data_type: string; description: string; source: string; sample_values: unknown[] }>(
      `SELECT * FROM ${qualified(schema, '_scout_columns')} ORDER BY table_name, column_name`,
    );
    expect(result.dictionaryRows).toBe(dictionary.length);
    const tables = await rows<{ table_name: string; kind: string; description: string }>(`SELECT * FROM ${qualified(schema, '_scout_tables')} ORDER BY table_name`);
    expect(tables.map((t) => t.table_name).sort()).toEqual(['cases', 'forms', ...result.views].sort());
    for (const table of tables) {
      expect(table.kind).toBe(table.table_name === 'cases' || table.table_name === 'forms' ? 'table' : 'view');
      expect(table.description.length).toBeGreaterThan(20);
      const described = dictionary.filter((d) => d.table_name === table.table_name);
      const actual = await columnTypes(client, schema, table.table_name);
      expect(Object.fromEntries(described.map((d) => [d.column_name, d.data_type]))).toEqual(actual);
      for (const column of described) {
        expect(column.sample_values.length).toBeLessThanOrEqual(3);
        expect(new Set(column.sample_values.map((v) => JSON.stringify(v))).size).toBe(column.sample_values.length);
        expect(column.source).not.toBe('');
      }
    }
    const find = (table: string, column: string) => dictionary.find((d) => d.table_name === table && d.column_name === column)!;

    const size = find('case_household', 'household_size');
    expect(size.description).toContain('Number of people living here');
    expect(size.description).toContain('Case property "household_size" of case type "household"');
    expect(size.source).toBe('case property household_size');
    expect(size.sample_values.length).toBeGreaterThan(0);
    expect(size.sample_values.every((v) => typeof v === 'number')).toBe(true);

    const village = find('case_household', 'village');
    const villages = new Set(casesOf('household').map((c) => (c.properties as Record<string, string>).village));
    expect(village.sample_values.length).toBeGreaterThan(0);
    expect(village.sample_values.every((v) => villages.has(v as string))).toBe(true);

    expect(find('case_visit', 'referred').sample_values.every((v) => typeof v === 'boolean')).toBe(true);
    expect(find('case_visit', 'referred').description).toContain('Choices: yes, no.');
    expect(find('case_pregnancy', 'lmp').sample_values.every((v) => /^\d{4}-\d{2}-\d{2}$/.test(v as string))).toBe(true);

    const question = find('form_register_household', 'household_info_village');
    expect(question.source).toBe('form question /data/household_info/village');
    expect(question.description).toContain('Village');
    expect(find('form_register_household', 'form_id').source).toBe('system');
    expect(find('cases', 'case_type').sample_values.length).toBeGreaterThan(0);
    expect(find('forms', 'xmlns').description).not.toBe('');

    // Every column of a view with rows, that the simulator fills, has samples.
    const withoutSamples = dictionary.filter(
      (d) => d.table_name.startsWith('case_') && d.sample_values.length === 0 && !['external_id', 'date_closed', 'parent_case_id'].includes(d.column_name),
    );
    expect(withoutSamples.map((d) => `${d.table_name}.${d.column_name}`)).toEqual([]);
  });

  it('reports the case properties it knows', async () => {
    const known = await knownCaseProperties(client, schema);
    expect([...known.keys()].sort()).toEqual(['household', 'person', 'pregnancy', 'visit']);
    expect([...known.get('household')!].sort()).toEqual(['gps', 'has_latrine', 'head_name', 'household_size', 'registration_date', 'village', 'water_source']);
    expect(known.get('visit')!.has('weight_kg')).toBe(true);
  });

  it('turns a bad value into NULL instead of failing the query', async () => {
    const [household] = casesOf('household');
    const [visit] = casesOf('visit');
    await client.query('BEGIN');
    try {
      await client.query(
        `UPDATE ${qualified(schema, 'cases')} SET properties = properties || '{"household_size": "twelve", "registration_date": "2023-02-30", "has_latrine": "maybe"}' WHERE case_id = $1`,
        [household!.case_id],
      );
      await client.query(`UPDATE ${qualified(schema, 'cases')} SET properties = properties || '{"weight_kg": "1e5000", "visit_date": "2024-13-01"}' WHERE case_id = $1`, [visit!.case_id]);
      const [row] = await rows<{ household_size: string | null; registration_date: string | null; has_latrine: boolean | null }>(
        `SELECT household_size, registration_date, has_latrine FROM ${qualified(schema, 'case_household')} WHERE case_id = $1`,
        [household!.case_id],
      );
      expect(row).toEqual({ household_size: null, registration_date: null, has_latrine: null });
      const [totals] = await rows<{ n: string }>(`SELECT count(household_size)::text AS n FROM ${qualified(schema, 'case_household')} WHERE household_size >= 0`);
      expect(Number(totals!.n)).toBeGreaterThan(0);
      const [v] = await rows<{ weight_kg: string | null; visit_date: string | null }>(
        `SELECT weight_kg, visit_date FROM ${qualified(schema, 'case_visit')} WHERE case_id = $1`,
        [visit!.case_id],
      );
      expect(v).toEqual({ weight_kg: null, visit_date: null });
      // Valid edge cases still convert.
      await client.query(`UPDATE ${qualified(schema, 'cases')} SET properties = properties || '{"household_size": "-.5", "registration_date": "2024-02-29"}' WHERE case_id = $1`, [
        household!.case_id,
      ]);
      const [edge] = await rows<{ household_size: string; registration_date: string }>(
        `SELECT household_size::text, registration_date::text FROM ${qualified(schema, 'case_household')} WHERE case_id = $1`,
        [household!.case_id],
      );
      expect(edge).toEqual({ household_size: '-0.5', registration_date: '2024-02-29' });
    } finally {
      await client.query('ROLLBACK');
    }
  });

  it('rebuilds to the same views and dictionary, dropping views it did not make', async () => {
    const snapshot = async () => ({
      views: await rows(
        `SELECT c.relname, pg_get_viewdef(c.oid) AS def FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'v' ORDER BY 1`,
        [schema],
      ),
      columns: await rows(`SELECT * FROM ${qualified(schema, '_scout_columns')} ORDER BY table_name, column_name`),
      tables: await rows(`SELECT * FROM ${qualified(schema, '_scout_tables')} ORDER BY table_name`),
      known: await knownCaseProperties(client, schema),
    });
    const before = await snapshot();
    await client.query(`CREATE VIEW ${qualified(schema, 'case_stale')} AS SELECT 1 AS x`);
    const again = await build(schema);
    expect(again).toEqual(result);
    expect(await snapshot()).toEqual(before);

    // Twice within one transaction works too (the probe tables are recreated).
    await client.query('BEGIN');
    await buildTransforms(client, { schema, applications: data.applications });
    await buildTransforms(client, { schema, applications: data.applications });
    await client.query('COMMIT');
    expect(await snapshot()).toEqual(before);
  });
});

describe('types confirmed by the data', () => {
  const schema = 'typed_by_data';

  it('falls back to text when the values contradict the application, and types new properties from their question', async () => {
    await createWarehouseTables(client, schema);
    const people = casesOf('person').slice(0, 20);
    await insertCases(client, schema, [
      ...people.map((c, i) => (i === 0 ? { ...c, properties: { ...c.properties, age_years: 'about 40', dob: '1980-01-01T10:00:00' } } : c)),
      // A property no module lists, but a question of the person forms saves to by name.
      { case_id: 'extra-1', case_type: 'person', properties: { consent_given: 'yes', nickname: 'Mo' } },
    ]);
    await build(schema);
    expect(await columnTypes(client, schema, 'case_person')).toMatchObject({ age_years: 'text', dob: 'text', sex: 'text', consent_given: 'boolean', nickname: 'text' });
    const [row] = await rows<{ age_years: string }>(`SELECT age_years FROM ${qualified(schema, 'case_person')} WHERE case_id = $1`, [people[0]!.case_id]);
    expect(row!.age_years).toBe('about 40');
    const [nickname] = await rows<{ description: string; source: string }>(
      `SELECT description, source FROM ${qualified(schema, '_scout_columns')} WHERE table_name = 'case_person' AND column_name = 'nickname'`,
    );
    expect(nickname!.description).toContain('not listed by the application');
    // Case types the application declares but the data lacks still get a view.
    expect(await viewsIn(client, schema)).toContain('case_visit');
  });
});

describe('names', () => {
  const schema = 'Tenant "Q"; x';

  const app: Application = {
    id: 'app-1',
    name: 'Odd names',
    modules: [
      {
        name: { en: 'Registration' },
        case_type: 'a_b',
        case_properties: ['case_name', 'Order', '1st visit', 'x"; DROP TABLE cases; --'],
        unique_id: 'm1',
        forms: [
          {
            xmlns: 'http://example.org/reg-1',
            name: { en: 'Registration' },
            unique_id: 'f1',
            questions: [
              { value: '/data/form_id', label: 'A question called form_id', type: 'Text', repeat: null, group: null },
              { value: '/data/select', label: 'Select', type: 'Int', repeat: null, group: null },
              { value: '/data/group', label: 'Group', type: 'Group', repeat: null, group: null },
              { value: '/data/group/when', label: 'When', type: 'DateTime', repeat: null, group: '/data/group' },
              { value: '/data/children', label: 'Children', type: 'Repeat', repeat: null, group: null },
              { value: '/data/children/age', label: 'Age', type: 'Int', repeat: '/data/children', group: '/data/children' },
              { value: '/data/Order', label: 'Order', type: 'Int', repeat: null, group: null },
              { value: '/data/1st visit', label: 'First visit', type: 'Date', repeat: null, group: null },
            ],
          },
        ],
      },
      {
        name: 'Other',
        case_type: 'a-b',
        unique_id: 'm2',
        forms: [{ xmlns: "http://example.org/reg-2'quoted", name: 'Registration', unique_id: 'f2', questions: [{ value: '/data/q', label: 'Q', type: 'Text' }] }],
      },
    ],
  };
  const longType = `${'very_long_case_type_name_'.repeat(4)}one`;
  const longType2 = `${'very_long_case_type_name_'.repeat(4)}two`;
  let result: TransformResult;

  beforeAll(async () => {
    await createWarehouseTables(client, schema);
    await client.query(`CREATE TABLE ${qualified(schema, 'case_clash')} (x int)`);
    await insertCases(client, schema, [
      { case_id: 'c1', case_type: 'a-b', case_name: 'dash', properties: { Age: '1', age: '2' } },
      { case_id: 'c2', case_type: 'a_b', case_name: 'underscore', properties: { case_name: 'prop', Order: '3', '1st visit': 'x', 'x"; DROP TABLE cases; --': 'y' } },
      { case_id: 'c3', case_type: 'A_B', case_name: 'upper', properties: {} },
      { case_id: 'c4', case_type: "Mère Enfant! o'brien", properties: {} },
      { case_id: 'c5', case_type: 'clash', properties: {} },
      { case_id: 'c6', case_type: longType, properties: {} },
      { case_id: 'c7', case_type: longType2, properties: {} },
      { case_id: 'c8', case_type: 'नाम', properties: {} },
    ]);
    await insertForms(client, schema, [
      {
        id: 'f-1',
        form: {
          '@xmlns': 'http://example.org/reg-1',
          '@name': 'Registration',
          form_id: 'inner',
          select: '5',
          group: { when: '2024-03-01T10:00:00.000+03:00' },
          children: [{ age: '3' }, { age: '5' }],
          Order: '7',
          '1st visit': '2024-01-01',
          case: { '@case_id': 'c2', update: { Order: '7' } },
          meta: { userID: 'u1' },
        },
      },
      { id: 'f-2', form: { '@xmlns': "http://example.org/reg-2'quoted", '@name': 'Registration', q: 'hello' } },
      { id: 'f-3', form: { '@xmlns': 'http://example.org/legacy', '@name': 'Legacy Survey', old: { answer: '1' }, loop: [{ a: 1 }], case: { '@case_id': 'c1' } } },
    ]);
    result = await build(schema, [app]);
  });

  it('sanitizes and deduplicates view names', async () => {
    const views = await viewsIn(client, schema);
    expect(views).toEqual(expect.arrayContaining(['case_a_b', 'case_a_b_2', 'case_a_b_3', 'case_mere_enfant_o_brien', 'case_clash_2', 'case_unnamed']));
    for (const view of views) {
      expect(view).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(Buffer.byteLength(view)).toBeLessThanOrEqual(63);
    }
    expect(new Set(views).size).toBe(views.length);
    const long = views.filter((v) => v.startsWith('case_very_long'));
    expect(long).toHaveLength(2);
    // The clean name keeps its name; look-alikes get suffixes in a stable order ('A_B' < 'a-b').
    const names = await rows<{ case_type: string; table_name: string }>(`SELECT case_type, table_name FROM ${qualified(schema, '_scout_case_types')} ORDER BY case_type`);
    const viewOf = Object.fromEntries(names.map((n) => [n.case_type, n.table_name]));
    expect(viewOf).toMatchObject({ a_b: 'case_a_b', A_B: 'case_a_b_2', 'a-b': 'case_a_b_3', clash: 'case_clash_2' });
    for (const [caseType, view] of Object.entries(viewOf)) {
      const found = await rows<{ case_type: string }>(`SELECT c.case_type FROM ${qualified(schema, view)} v JOIN ${qualified(schema, 'cases')} c USING (case_id)`);
      expect(found.map((f) => f.case_type)).toEqual([caseType]);
    }
    // Two forms with one name; a form only the data knows.
    expect(views).toEqual(expect.arrayContaining(['form_registration', 'form_registration_2', 'form_legacy_survey']));
    expect(result.views).toHaveLength(views.length);
  });

  it('sanitizes column names and keeps them unique per view', async () => {
    const types = await columnTypes(client, schema, 'case_a_b');
    expect(Object.keys(types)).toEqual(expect.arrayContaining(['case_name', 'case_name_2', 'order_', 'c_1st_visit', 'x_drop_table_cases']));
    const [row] = await rows<Record<string, string>>(`SELECT case_name, case_name_2, order_, x_drop_table_cases FROM ${qualified(schema, 'case_a_b')}`);
    expect(row).toEqual({ case_name: 'underscore', case_name_2: 'prop', order_: '3', x_drop_table_cases: 'y' });
    const dash = await columnTypes(client, schema, 'case_a_b_3');
    expect(Object.keys(dash)).toEqual(expect.arrayContaining(['age', 'age_2']));
    const [ages] = await rows<{ age: string; age_2: string }>(`SELECT age, age_2 FROM ${qualified(schema, 'case_a_b_3')}`);
    expect(ages).toEqual({ age: '2', age_2: '1' });

    expect(await columnTypes(client, schema, 'form_registration')).toEqual({
      form_id: 'text',
      received_on: 'timestamp with time zone',
      user_id: 'text',
      app_id: 'text',
      case_ids: 'text[]',
      form_id_2: 'text',
      select_: 'numeric',
      group_when: 'timestamp with time zone',
      children: 'jsonb',
      order_: 'numeric',
      c_1st_visit: 'date',
    });
    const [form] = await rows<Record<string, unknown>>(
      `SELECT form_id, form_id_2, select_::text, group_when = timestamptz '2024-03-01T07:00:00Z' AS when_ok, children, order_::text, c_1st_visit::text FROM ${qualified(schema, 'form_registration')}`,
    );
    expect(form).toEqual({ form_id: 'f-1', form_id_2: 'inner', select_: '5', when_ok: true, children: [{ age: '3' }, { age: '5' }], order_: '7', c_1st_visit: '2024-01-01' });
    const legacy = await columnTypes(client, schema, 'form_legacy_survey');
    expect(legacy).toMatchObject({ old_answer: 'text', loop: 'jsonb' });
    expect(legacy).not.toHaveProperty('case');
  });

  it('keeps NameAllocator names within limits', () => {
    const names = new NameAllocator({ taken: ['x'], reservedWords: new Set(['select']) });
    expect(names.allocate('X')).toBe('x_2');
    expect(names.allocate('select')).toBe('select_');
    expect(names.allocate('select')).toBe('select_2');
    expect(names.allocate('')).toBe('unnamed');
    expect(names.allocate('9lives')).toBe('c_9lives');
    const long = 'é'.repeat(80);
    expect(names.allocate(long)).toBe('e'.repeat(63));
    expect(names.allocate(long)).toBe(`${'e'.repeat(61)}_2`);
    expect(sanitize('  Mère--Enfant__2 ')).toBe('mere_enfant_2');
  });
});

describe('known case properties', () => {
  const schema = 'incremental';

  it('is empty before the first build and follows rebuilds', async () => {
    await createWarehouseTables(client, schema);
    expect(await knownCaseProperties(client, schema)).toEqual(new Map());
    await insertCases(client, schema, casesOf('household').slice(0, 5));
    await build(schema, []);
    expect(await knownCaseProperties(client, schema)).toEqual(
      new Map([['household', new Set(['gps', 'has_latrine', 'head_name', 'household_size', 'registration_date', 'village', 'water_source'])]]),
    );
    await insertCases(client, schema, [{ case_id: 'new-1', case_type: 'household', properties: { solar_panel: 'yes' } }]);
    expect((await knownCaseProperties(client, schema)).get('household')!.has('solar_panel')).toBe(false);
    await build(schema, []);
    expect((await knownCaseProperties(client, schema)).get('household')!.has('solar_panel')).toBe(true);
    // Without applications everything is text, and nothing fails.
    expect(await columnTypes(client, schema, 'case_household')).toMatchObject({ household_size: 'text', solar_panel: 'text' });
  });
});

describe('sampled probe', () => {
  const schema = 'sampled';

  it('builds complete views from a sample, with rare types and the newest rows probed whole', async () => {
    await loadWarehouse(client, schema, data);
    await insertCases(client, schema, [
      { case_id: 'rare-1', case_type: 'rare', properties: { only_in_rare: '1' } },
      { case_id: 'rare-2', case_type: 'rare', properties: { only_in_rare: '2' } },
    ]);
    // The newest row, in the table's last page: its new property must be found.
    await insertCases(client, schema, [{ case_id: 'tail-1', case_type: 'household', properties: { added_last: 'x' } }]);
    const [{ pages }] = (await client.query<{ pages: string }>(`SELECT pg_relation_size($1::regclass) / 8192 AS pages`, [qualified(schema, 'cases')])).rows as [{ pages: string }];
    expect(Number(pages)).toBeGreaterThan(4);

    const options = { probePages: 2, tailPages: 1, minRowsPerType: 3 };
    await client.query('BEGIN');
    const probe = await probeCases(client, schema, options);
    const probed = await rows<{ case_id: string; case_type: string }>(`SELECT case_id, case_type FROM ${probe.table}`);
    await dropProbes(client);
    await client.query('COMMIT');
    expect(probe.sampled).toBe(true);
    expect(probe.caseTypes.get('rare')).toBe(2);
    expect(probed.length).toBeLessThan(data.cases.length / 2);
    expect(probed.filter((p) => p.case_type === 'rare')).toHaveLength(2);
    expect(probed.some((p) => p.case_id === 'tail-1')).toBe(true);
    expect(new Set(probed.map((p) => p.case_id)).size).toBe(probed.length);

    await client.query('BEGIN');
    const result = await runTransforms(client, { schema, applications: data.applications }, options);
    await client.query('COMMIT');
    expect(result.views).toEqual(expect.arrayContaining(['case_household', 'case_person', 'case_pregnancy', 'case_visit', 'case_rare', 'form_register_household']));
    expect(await columnTypes(client, schema, 'case_rare')).toMatchObject({ only_in_rare: 'text' });
    expect(await columnTypes(client, schema, 'case_household')).toMatchObject({ household_size: 'numeric', added_last: 'text' });
    const [count] = await rows<{ n: string }>(`SELECT count(*)::text AS n FROM ${qualified(schema, 'case_household')}`);
    expect(Number(count!.n)).toBe(casesOf('household').length + 1);
    const [described] = await rows<{ n: string }>(
      `SELECT count(*)::text AS n FROM information_schema.columns c LEFT JOIN ${qualified(schema, '_scout_columns')} d ON d.table_name = c.table_name AND d.column_name = c.column_name
        WHERE c.table_schema = $1 AND c.table_name NOT LIKE '\\_scout%' AND d.column_name IS NULL`,
      [schema],
    );
    expect(described!.n).toBe('0');
  });
});

describe('application structure', () => {
  const schema = 'structure';

  it('types properties from the mappings in the app JSON, subcases included, and caps very wide forms', async () => {
    const wide = Array.from({ length: MAX_VIEW_COLUMNS + 100 }, (_, i) => ({ value: `/data/q${i}`, label: `Question ${i}`, type: 'Int' }));
    const app: Application = {
      id: 'app-2',
      name: 'Full JSON',
      modules: [
        {
          name: 'Mothers',
          case_type: 'mother',
          case_properties: ['weight'],
          unique_id: 'm1',
          forms: [
            Object.assign(
              {
                xmlns: 'http://example.org/mother',
                name: 'Mother visit',
                unique_id: 'f1',
                questions: [
                  { value: '/data/w', label: 'Weight today', type: 'Double' },
                  { value: '/data/baby', label: 'Baby', type: 'Group' },
                  { value: '/data/baby/born', label: 'Date of birth', type: 'Date', group: '/data/baby' },
                  // Named like a property but saved nowhere: the explicit mapping wins over names.
                  { value: '/data/weight', label: 'Old weight', type: 'Text' },
                ],
              },
              {
                actions: {
                  update_case: { update: { weight: { question_path: '/data/w', update_mode: 'always' } } },
                  subcases: [{ case_type: 'baby', case_properties: { dob: '/data/baby/born' } }],
                },
              },
            ),
            { xmlns: 'http://example.org/wide', name: 'Wide survey', unique_id: 'f2', questions: wide },
          ],
        },
      ],
    };
    await createWarehouseTables(client, schema);
    await insertCases(client, schema, [
      { case_id: 'm-1', case_type: 'mother', properties: { weight: '61.5' } },
      { case_id: 'b-1', case_type: 'baby', properties: { dob: '2024-05-01' }, indices: { parent: { case_id: 'm-1', case_type: 'mother', relationship: 'child' } } },
    ]);
    await insertForms(client, schema, [{ id: 'w-1', form: { '@xmlns': 'http://example.org/wide', q0: '1', q1700: '2' } }]);
    await build(schema, [app]);
    expect(await columnTypes(client, schema, 'case_mother')).toMatchObject({ weight: 'numeric' });
    expect(await columnTypes(client, schema, 'case_baby')).toMatchObject({ dob: 'date', parent_case_id: 'text' });
    const [baby] = await rows<{ dob: string; parent_case_id: string }>(`SELECT dob::text, parent_case_id FROM ${qualified(schema, 'case_baby')}`);
    expect(baby).toEqual({ dob: '2024-05-01', parent_case_id: 'm-1' });

    const wideColumns = await columnTypes(client, schema, 'form_wide_survey');
    expect(Object.keys(wideColumns)).toHaveLength(MAX_VIEW_COLUMNS);
    const [table] = await rows<{ description: string }>(`SELECT description FROM ${qualified(schema, '_scout_tables')} WHERE table_name = 'form_wide_survey'`);
    expect(table!.description).toContain('did not fit in this view; their values are in forms.form');
    const [q0] = await rows<{ q0: string }>(`SELECT q0::text FROM ${qualified(schema, 'form_wide_survey')}`);
    expect(q0).toEqual({ q0: '1' });
  });
});
