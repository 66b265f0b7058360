/**
 * npm run bench:materialize [-- --quick]
 *
 * Materializes a simulated domain at 10k, 100k and 1M cases (one form per
 * case; --quick: 10k and 100k) into PostgreSQL (DATABASE_URL, or an embedded
 * server), the simulator running as its own process. Side by side, in this
 * process and against the same database:
 *  - Scout's full run (COPY into staging, swap, views),
 *  - the reference design's baseline: every page fetched into memory, then
 *    one INSERT … ON CONFLICT per case (run on the first 20,000 cases only:
 *    at 1M it would take hours; its rate does not improve with size),
 *  - fetch-only: the same pages fetched and parsed, not written,
 *  - an incremental run after 1% of the cases changed,
 *  - the directory (users, groups, locations, lookup tables) and
 *    case_relationships on their own: fetching the directory runs beside the
 *    cases and forms, writing it and rebuilding the relationships runs in the
 *    swap; their share of a full run is reported.
 * Peak RSS is this process's (the worker's), sampled during Scout's runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { CommCareClient } from '../src/server/features/commcare';
import { Materializer } from '../src/server/features/warehouse/materializer';
import { SchemaManager } from '../src/server/features/warehouse/schema-manager';
import { writeDirectory } from '../src/server/features/warehouse/directory';
import { fetchDirectory } from '../src/server/features/warehouse/directory-source';
import { rebuildRelationships } from '../src/server/features/warehouse/relationships';
import { createLogger } from '../src/server/platform/logger';
import { findFreePort } from '../src/server/platform/net';
import { progressBar } from '../src/server/platform/progress-bar';
import { benchDatabase } from './support/database';

const APP_ROOT = fileURLToPath(new URL('..', import.meta.url));
const quick = process.argv.includes('--quick');
const SIZES = quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
const BASELINE_CAP = 20_000;
const DOMAIN = 'bench-domain';
const logger = createLogger({ level: 'warn' });

const database = await benchDatabase('materialize', logger);
const pool = new pg.Pool({ connectionString: database.url, max: 8, options: '-c TimeZone=UTC' });

async function startSimulatorProcess(cases: number): Promise<{ url: string; child: ChildProcess }> {
  const port = await findFreePort();
  const child = spawn(
    process.execPath,
    [path.join(APP_ROOT, 'bin/scout.mjs'), 'simulate', '--port', String(port), '--cases', String(cases), '--forms-per-case', '1', '--domains', DOMAIN, '--rate-limit', 'off'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('listening') && resolve());
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

function peakRssDuring<T>(work: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  return work().then((value) => {
    clearInterval(timer);
    return { value, peakMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20 };
  });
}

async function scoutRun(commcare: CommCareClient, schema: string, mode: 'full' | 'incremental', total: number) {
  const materializer = new Materializer(pool, new SchemaManager(pool));
  const bar = progressBar(`${mode} ${total}`.padEnd(16));
  const loaded: Record<string, number> = {};
  const started = performance.now();
  const outcome = await materializer.run({
    schema,
    domain: DOMAIN,
    commcare,
    mode,
    signal: new AbortController().signal,
    onPhase: () => undefined,
    onProgress: (source, n) => {
      loaded[source] = n;
      bar.update((loaded.cases ?? 0) + (loaded.forms ?? 0), mode === 'full' ? total * 2 : undefined);
    },
  });
  bar.done();
  const seconds = (performance.now() - started) / 1000;
  const rows = (loaded.cases ?? 0) + (loaded.forms ?? 0);
  return { seconds, rows, outcome };
}

async function fetchOnly(commcare: CommCareClient) {
  const started = performance.now();
  let rows = 0;
  await Promise.all([
    (async () => {
      for await (const page of commcare.cases(DOMAIN)) rows += page.records.length;
    })(),
    (async () => {
      for await (const page of commcare.forms(DOMAIN)) rows += page.records.length;
    })(),
  ]);
  return { seconds: (performance.now() - started) / 1000, rows };
}

/** The directory's own cost on a loaded schema: its fetch, and (rolled back) its write with the relationships' rebuild. */
async function directoryCost(commcare: CommCareClient, schema: string) {
  let started = performance.now();
  const directory = await fetchDirectory(commcare, DOMAIN);
  const fetchSeconds = (performance.now() - started) / 1000;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    started = performance.now();
    await writeDirectory(client, schema, directory);
    await rebuildRelationships(client, schema, 'cases');
    const writeSeconds = (performance.now() - started) / 1000;
    const relationships = await client.query(`SELECT count(*)::int AS n FROM "${schema}".case_relationships`);
    await client.query('ROLLBACK');
    return { fetchSeconds, writeSeconds, users: directory.users.length, locations: directory.locations.length, relationships: relationships.rows[0].n as number };
  } finally {
    client.release();
  }
}

/** The reference design: everything in memory first, then one upsert per case. */
async function baseline(commcare: CommCareClient, cap: number) {
  const started = performance.now();
  const cases = [];
  for await (const page of commcare.cases(DOMAIN, { pageSize: 1000 })) {
    cases.push(...page.records);
    if (cases.length >= cap) break;
  }
  await pool.query('DROP SCHEMA IF EXISTS bench_baseline CASCADE');
  await pool.query('CREATE SCHEMA bench_baseline');
  await pool.query(`CREATE TABLE bench_baseline.cases (case_id text PRIMARY KEY, case_type text, case_name text, owner_id text, date_opened timestamptz,
    last_modified timestamptz, indexed_on timestamptz, closed boolean, properties jsonb, indices jsonb)`);
  for (const c of cases.slice(0, cap)) {
    await pool.query(
      `INSERT INTO bench_baseline.cases VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (case_id) DO UPDATE SET case_type = EXCLUDED.case_type, case_name = EXCLUDED.case_name, owner_id = EXCLUDED.owner_id,
       date_opened = EXCLUDED.date_opened, last_modified = EXCLUDED.last_modified, indexed_on = EXCLUDED.indexed_on, closed = EXCLUDED.closed,
       properties = EXCLUDED.properties, indices = EXCLUDED.indices`,
      [c.case_id, c.case_type, c.case_name, c.owner_id, c.date_opened, c.last_modified, c.indexed_on, c.closed, JSON.stringify(c.properties), JSON.stringify(c.indices)],
    );
  }
  await pool.query('DROP SCHEMA bench_baseline CASCADE');
  return { seconds: (performance.now() - started) / 1000, rows: Math.min(cap, cases.length) };
}

const rows: string[] = [];
const summary = { directoryFraction: [] as number[], speedup: [] as number[], fraction: [] as number[], incremental: [] as number[], peaks: [] as number[], perCaseMs: [] as number[] };
try {
  for (const size of SIZES) {
    const sim = await startSimulatorProcess(size);
    try {
      const commcare = new CommCareClient({ baseUrl: sim.url, credentials: { kind: 'api_key', username: 'demo@example.com', apiKey: 'demo-key' } });
      const schema = `bench_${size}`;
      await new SchemaManager(pool).teardown(schema);
      const fetched = await fetchOnly(commcare);
      const full = await peakRssDuring(() => scoutRun(commcare, schema, 'full', size));
      const directory = await directoryCost(commcare, schema);
      const base = await baseline(commcare, Math.min(size, BASELINE_CAP));
      const mutate = await fetch(`${sim.url}/_sim/domains/${DOMAIN}/mutate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ modify: Math.round(size / 100) }) });
      if (!mutate.ok) throw new Error(`mutate failed: ${mutate.status}`);
      const incremental = await peakRssDuring(() => scoutRun(commcare, schema, 'incremental', size));
      await new SchemaManager(pool).teardown(schema);

      const scoutRate = full.value.rows / full.value.seconds;
      const baseRate = base.rows / base.seconds;
      const fetchRate = fetched.rows / fetched.seconds;
      summary.speedup.push(scoutRate / baseRate);
      summary.fraction.push(scoutRate / fetchRate);
      summary.incremental.push(incremental.value.seconds / full.value.seconds);
      summary.peaks.push(Math.max(full.peakMb, incremental.peakMb));
      summary.perCaseMs.push((full.value.seconds * 1000) / size);
      summary.directoryFraction.push(directory.writeSeconds / full.value.seconds);
      rows.push(
        `${String(size).padStart(9)} cases | full ${full.value.seconds.toFixed(1)} s, ${Math.round(scoutRate)} rows/s | baseline ${Math.round(baseRate)} rows/s (${base.rows} cases) -> ${(scoutRate / baseRate).toFixed(1)}x | fetch-only ${Math.round(fetchRate)} rows/s -> ${((100 * scoutRate) / fetchRate).toFixed(0)}% | incremental (1% changed) ${incremental.value.seconds.toFixed(2)} s = ${((100 * incremental.value.seconds) / full.value.seconds).toFixed(1)}% of full | peak RSS ${full.peakMb.toFixed(0)} MB`,
      );
      rows.push(
        `${' '.repeat(9)}       | directory ${directory.users} users, ${directory.locations} locations: fetch ${directory.fetchSeconds.toFixed(2)} s (beside cases and forms) | write + ${directory.relationships} case_relationships ${directory.writeSeconds.toFixed(2)} s = ${((100 * directory.writeSeconds) / full.value.seconds).toFixed(1)}% of the full run (included in it)`,
      );
      console.log(rows.at(-2));
      console.log(rows.at(-1));
    } finally {
      sim.child.kill('SIGTERM');
    }
  }
  // The targets are about scale, so the RESULT line reports the largest size; every size is printed above.
  const atLargest = (values: number[]) => values.at(-1)!;
  console.log('');
  for (const row of rows) console.log(row);
  console.log(`time per case: ${summary.perCaseMs.map((ms) => ms.toFixed(3)).join(' / ')} ms at ${SIZES.join(' / ')} cases (linear when these are close)`);
  console.log(
    `RESULT speedup_vs_baseline=${atLargest(summary.speedup).toFixed(1)} fraction_of_fetch=${atLargest(summary.fraction).toFixed(2)} incremental_fraction=${atLargest(summary.incremental).toFixed(3)} peak_rss_mb=${atLargest(summary.peaks).toFixed(0)} directory_fraction=${atLargest(summary.directoryFraction).toFixed(3)} fetch_over_baseline=${(atLargest(summary.speedup) / atLargest(summary.fraction)).toFixed(1)} size=${SIZES.at(-1)}`,
  );
} finally {
  await pool.end();
  await database.stop();
}
