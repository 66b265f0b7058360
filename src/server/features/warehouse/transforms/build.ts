import type pg from 'pg';
import { readApplications } from './app-structure';
import { planCaseViews } from './case-views';
import { commentsSql, dropDictionary, writeDictionary } from './dictionary';
import { planFormViews } from './form-views';
import type { TransformInput, TransformResult } from './index';
import { NameAllocator } from './names';
import { createView } from './plan';
import { DEFAULT_PROBE_OPTIONS, dropProbes, observedCaseProperties, probeCases, probeForms, sampleFormBodies, type ProbeOptions } from './probe';
import { qualified } from '../../../platform/db/sql';

/** buildTransforms, with the probe's size limits open to tests. */
export async function runTransforms(client: pg.ClientBase, input: TransformInput, options: ProbeOptions = DEFAULT_PROBE_OPTIONS): Promise<TransformResult> {
  const { schema } = input;
  await dropAllViews(client, schema);
  await dropDictionary(client, schema);

  const reservedWords = await sqlReservedWords(client);
  // Views share the schema's namespace with every table, index, sequence and type left in it.
  const viewNames = new NameAllocator({ taken: await namesInUse(client, schema) });
  const app = readApplications(input.applications);

  const caseProbe = await probeCases(client, schema, options);
  const formProbe = await probeForms(client, schema, options);
  const directory = (await hasDirectory(client, schema)) ? { directory: schema } : {};
  const casePlans = await planCaseViews(client, { app, probe: caseProbe, observed: await observedCaseProperties(client, caseProbe), viewNames, reservedWords, ...directory });
  const formPlans = await planFormViews(client, { app, probe: formProbe, samples: await sampleFormBodies(client, formProbe), viewNames, reservedWords, ...directory });
  const plans = [...casePlans, ...formPlans];

  for (const plan of plans) {
    await createView(client, schema, plan);
    await client.query(commentsSql(schema, plan));
  }
  const dictionaryRows = await writeDictionary(client, { schema, plans, probes: { cases: caseProbe.table, forms: formProbe.table } });
  await dropProbes(client);
  return { views: plans.map((p) => p.name), dictionaryRows };
}

/** Whether the sync wrote the directory tables the readable view columns read. */
async function hasDirectory(client: pg.ClientBase, schema: string): Promise<boolean> {
  const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1 AND tablename IN ('users', 'groups', 'locations')`, [schema]);
  return rows[0]?.n === 3;
}

async function dropAllViews(client: pg.ClientBase, schema: string): Promise<void> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'v'`,
    [schema],
  );
  if (rows.length > 0) await client.query(`DROP VIEW IF EXISTS ${rows.map((r) => qualified(schema, r.name)).join(', ')} CASCADE`);
}

async function namesInUse(client: pg.ClientBase, schema: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1
     UNION
     SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1`,
    [schema],
  );
  return rows.map((r) => r.name);
}

async function sqlReservedWords(client: pg.ClientBase): Promise<Set<string>> {
  const { rows } = await client.query<{ word: string }>(`SELECT word FROM pg_get_keywords() WHERE catcode = 'R'`);
  return new Set(rows.map((r) => r.word));
}
