import type pg from 'pg';
import { createSimulator, type SimulatorOptions } from '../../../../../simulator/index';
import type { Application, CaseV2, FormV05 } from '../../commcare/types';
import { ident, qualified } from '../../../platform/db/sql';

/** Test helpers: the warehouse tables, filled with what the simulator serves. */

const AUTH = { Authorization: 'ApiKey demo@example.com:demo-key' };
const ORIGIN = 'http://simulator.test';

export interface SimulatorData {
  cases: CaseV2[];
  forms: FormV05[];
  applications: Application[];
}

export async function simulatorData(options: Partial<SimulatorOptions> = {}, domain = 'demo-clinic'): Promise<SimulatorData> {
  const simulator = createSimulator({ rateLimit: false, domains: [domain], ...options });
  const get = async <T>(url: string): Promise<T> => {
    const response = await simulator.app.fetch(new Request(url.startsWith('http') ? url : `${ORIGIN}${url}`, { headers: AUTH }));
    if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const cases: CaseV2[] = [];
  for (let url: string | undefined = `/a/${domain}/api/case/v2/?limit=1000`; url; ) {
    const page: { cases: CaseV2[]; next?: string } = await get(url);
    cases.push(...page.cases);
    url = page.next;
  }
  const forms: FormV05[] = [];
  for (let url: string | null = `/a/${domain}/api/v0.5/form/?limit=1000`; url; ) {
    const page: { objects: FormV05[]; meta: { next: string | null } } = await get(url);
    forms.push(...page.objects);
    url = page.meta.next;
  }
  const apps = await get<{ objects: Application[] }>(`/a/${domain}/api/v0.5/application/`);
  await simulator.close();
  return { cases, forms, applications: apps.objects };
}

export async function createWarehouseTables(client: pg.ClientBase, schema: string): Promise<void> {
  await client.query(`CREATE SCHEMA ${ident(schema)}`);
  await client.query(`CREATE TABLE ${qualified(schema, 'cases')} (
    case_id text PRIMARY KEY, case_type text, case_name text, external_id text, owner_id text,
    date_opened timestamptz, last_modified timestamptz, server_last_modified timestamptz, indexed_on timestamptz,
    closed boolean, date_closed timestamptz, indices jsonb, properties jsonb)`);
  await client.query(`CREATE TABLE ${qualified(schema, 'forms')} (
    form_id text PRIMARY KEY, xmlns text, form_name text, app_id text, received_on timestamptz, server_modified_on timestamptz,
    indexed_on timestamptz, user_id text, case_ids text[], form jsonb)`);
}

export type CaseRow = Pick<CaseV2, 'case_id' | 'case_type'> & Partial<Omit<CaseV2, 'case_id' | 'case_type'>>;

export async function insertCases(client: pg.ClientBase, schema: string, cases: readonly CaseRow[]): Promise<void> {
  const rows = cases.map((c) => ({
    case_id: c.case_id,
    case_type: c.case_type,
    case_name: c.case_name ?? null,
    external_id: c.external_id ?? null,
    owner_id: c.owner_id ?? null,
    date_opened: c.date_opened ?? null,
    last_modified: c.last_modified ?? null,
    server_last_modified: c.server_last_modified ?? null,
    indexed_on: c.indexed_on ?? null,
    closed: c.closed ?? false,
    date_closed: c.date_closed ?? null,
    indices: c.indices ?? {},
    properties: c.properties ?? {},
  }));
  await client.query(
    `INSERT INTO ${qualified(schema, 'cases')}
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(case_id text, case_type text, case_name text, external_id text, owner_id text,
       date_opened timestamptz, last_modified timestamptz, server_last_modified timestamptz, indexed_on timestamptz,
       closed boolean, date_closed timestamptz, indices jsonb, properties jsonb)`,
    [JSON.stringify(rows)],
  );
}

function caseIdsOf(node: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(node)) for (const item of node) caseIdsOf(item, out);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '@case_id' && typeof value === 'string') out.add(value);
      else caseIdsOf(value, out);
    }
  }
  return out;
}

export type FormRow = Pick<FormV05, 'id' | 'form'> & Partial<Omit<FormV05, 'id' | 'form'>>;

export async function insertForms(client: pg.ClientBase, schema: string, forms: readonly FormRow[]): Promise<void> {
  const rows = forms.map((f) => ({
    form_id: f.id,
    xmlns: f.form['@xmlns'] ?? null,
    form_name: f.form['@name'] ?? null,
    app_id: f.app_id ?? null,
    received_on: f.received_on ?? null,
    server_modified_on: f.server_modified_on ?? null,
    indexed_on: f.indexed_on ?? null,
    user_id: (f.metadata?.userID as string | undefined) ?? null,
    case_ids: [...caseIdsOf(f.form.case)],
    form: f.form,
  }));
  await client.query(
    `INSERT INTO ${qualified(schema, 'forms')}
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(form_id text, xmlns text, form_name text, app_id text, received_on timestamptz,
       server_modified_on timestamptz, indexed_on timestamptz, user_id text, case_ids text[], form jsonb)`,
    [JSON.stringify(rows)],
  );
}

export async function loadWarehouse(client: pg.ClientBase, schema: string, data: SimulatorData): Promise<void> {
  await createWarehouseTables(client, schema);
  await insertCases(client, schema, data.cases);
  await insertForms(client, schema, data.forms);
}

/** Column name -> type (format_type) of a relation, in column order. */
export async function columnTypes(client: pg.ClientBase, schema: string, relation: string): Promise<Record<string, string>> {
  const { rows } = await client.query<{ name: string; type: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [schema, relation],
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.type]));
}

export async function viewsIn(client: pg.ClientBase, schema: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'v' ORDER BY 1`,
    [schema],
  );
  return rows.map((r) => r.name);
}
