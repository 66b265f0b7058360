import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator';
import type { RunProgressEvent } from '../shared/warehouse';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { runScout, waitForHealthy, type ScoutProcess } from '../../test/support/process';
import { ACTIVE_RUN_STATES, getRun, poll, startRun } from '../../test/support/runs';
import { HttpClient } from '../../test/support/scout';
import { findFreePort } from './platform/net';
import { WORKER_GONE_ERROR } from './features/warehouse/runs';
import { WORKER_LOCK_NAMESPACE } from './features/warehouse/workers';

/**
 * The scale-out layout on one database: two web processes (`scout start
 * --no-worker`) and two workers (`scout worker`), each a real process. Nothing
 * that matters lives in one process's memory: sessions, syncs, their progress
 * and rate limits are all in PostgreSQL.
 */
type Sim = Awaited<ReturnType<typeof startSimulator>>;
const KEYS = `k1:${Buffer.alloc(32, 9).toString('base64')}`;
const TOOL_CALLS_PER_MINUTE = 6;

let sim: Sim;
let database: TestDatabase;
let dataDir: string;
let db: pg.Pool;
const webs: Array<{ process: ScoutProcess; url: string }> = [];
const workers: ScoutProcess[] = [];


function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: database.url,
    SCOUT_DATA_DIR: dataDir,
    SCOUT_ENCRYPTION_KEYS: KEYS,
    BETTER_AUTH_SECRET: 'scale-out-test-secret-'.padEnd(40, 'x'),
    COMMCARE_BASE_URL: sim.url,
    SCOUT_QUERY_REQUESTS_PER_MINUTE: String(TOOL_CALLS_PER_MINUTE),
    LOG_LEVEL: 'warn',
    ...extra,
  };
}



/** Reads a run's server-sent progress events until the stream ends. */
async function progressEvents(client: HttpClient, membershipId: string, runId: string): Promise<RunProgressEvent[]> {
  const response = await client.get(`/api/tenants/${membershipId}/materializations/${runId}/events`);
  expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
  const text = await response.text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => JSON.parse(line.slice(5)) as RunProgressEvent);
}

async function executorPid(runId: string): Promise<number | undefined> {
  const { rows } = await db.query<{ pid: number }>(`SELECT w.pid FROM materialization_run r JOIN warehouse_worker w ON w.id = r.worker_id WHERE r.id = $1`, [runId]);
  return rows[0]?.pid;
}

/** What a failure needs to be understood: the survivor's state and last output, the registered workers and their locks. */
async function workersReport(survivor: ScoutProcess): Promise<string> {
  const registered = await db.query('SELECT id, pid, instance_id FROM warehouse_worker ORDER BY id');
  const locks = await db.query(`SELECT objid::int AS worker_id, granted FROM pg_locks WHERE locktype = 'advisory' AND classid = $1::oid`, [WORKER_LOCK_NAMESPACE]);
  const alive = survivor.child.exitCode === null && survivor.child.signalCode === null;
  return [
    `survivor pid ${survivor.child.pid} ${alive ? 'alive' : `exited (${survivor.child.exitCode ?? survivor.child.signalCode})`}`,
    `registered workers: ${JSON.stringify(registered.rows)}`,
    `worker locks: ${JSON.stringify(locks.rows)}`,
    `survivor output:\n${survivor.stdout().slice(-4000)}\n${survivor.stderr().slice(-4000)}`,
  ].join('\n');
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 3, domains: ['demo-clinic'], cases: 150, formsPerCase: 2, rateLimit: false });
  database = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'scout-scale-'));
  db = new pg.Pool({ connectionString: database.url, max: 2 });
  // One after another: the first applies the migrations, the others find them done.
  for (let i = 0; i < 2; i++) {
    const port = await findFreePort();
    const process = runScout(['start', '--no-worker'], env({ PORT: String(port) }));
    webs.push({ process, url: `http://localhost:${port}` });
    await waitForHealthy(`http://localhost:${port}`, process);
  }
  for (let i = 0; i < 2; i++) workers.push(runScout(['worker'], env()));
  await poll('two workers registered', async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM warehouse_worker')).rows[0]!.n, (n) => n === 2, 60_000);
}, 120_000);

afterAll(async () => {
  sim?.simulator.resetFaults();
  await Promise.all(
    [...webs.map((w) => w.process), ...workers].map(async (p) => {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
      await p.exit;
    }),
  );
  await db?.end();
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
  await sim?.close();
});

describe('two web processes and two workers on one database', () => {
  let onA: HttpClient;
  let onB: HttpClient;
  let membershipId: string;

  it('accepts a session made on one web process on the other', async () => {
    onA = new HttpClient(webs[0]!.url);
    const email = `scale-${Math.random().toString(36).slice(2)}@example.org`;
    expect((await onA.post('/api/auth/sign-up/email', { name: 'Scale Tester', email, password: 'scale-pass-1' })).ok).toBe(true);
    const connected = await onA.post('/api/auth/tenant-credentials/', { provider: 'commcare', tenant_id: 'demo-clinic', credential: 'demo@example.com:demo-key' });
    expect(connected.status).toBe(201);
    membershipId = ((await connected.json()) as { membership_id: string }).membership_id;

    // The same browser, its requests landing on the other process.
    onB = onA.at(webs[1]!.url);
    const domains = await onB.get('/api/auth/tenants/');
    expect(domains.status).toBe(200);
    expect(((await domains.json()) as Array<{ id: string }>).map((d) => d.id)).toEqual([membershipId]);
  });

  it('runs a sync started through one web process exactly once, on a worker, and streams its progress through the other', { timeout: 60_000 }, async () => {
    sim.simulator.setFaults({ latencyMs: 700 });
    const started = await startRun(onA, membershipId);
    expect(started.status).toBe('started');
    const events = await progressEvents(onB, membershipId, started.run.id);
    sim.simulator.resetFaults();

    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events[0]!.state).not.toBe('completed');
    expect(events.at(-1)).toMatchObject({ state: 'completed' });
    const run = await getRun(onB, membershipId, started.run.id);
    expect(run.result!.tables).toEqual([
      { name: 'cases', rows: 150 },
      { name: 'forms', rows: 300 },
      { name: 'case_relationships', rows: expect.any(Number) },
    ]);
    // Exactly once: one run, one pg-boss job that completed, executed by one of the two workers (never a web process).
    const runs = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM materialization_run');
    expect(runs.rows[0]!.n).toBe(1);
    // The job outlives its run's record by the members' access checks that end every sync.
    const jobs = await poll(
      'the job to complete',
      async () => (await db.query<{ state: string }>(`SELECT j.state FROM pgboss.job j JOIN materialization_run r ON r.job_id = j.id`)).rows,
      (rows) => rows.length !== 1 || rows[0]!.state !== 'active',
    );
    expect(jobs).toEqual([{ state: 'completed' }]);
    expect(workers.map((w) => w.child.pid)).toContain(await executorPid(started.run.id));
  });

  it('counts a rate limit across both web processes', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < TOOL_CALLS_PER_MINUTE + 2; i++) {
      const client = i % 2 === 0 ? onA : onB;
      statuses.push((await client.post(`/api/tenants/${membershipId}/tools/list_tables`, {})).status);
    }
    expect(statuses).toEqual([...Array<number>(TOOL_CALLS_PER_MINUTE).fill(200), 429, 429]);
  });

  it('lets the other worker run the retry when the worker running a sync is killed', { timeout: 90_000 }, async () => {
    sim.simulator.setFaults({ latencyMs: 10_000 });
    const started = await startRun(onB, membershipId, 'full');
    expect(started.status).toBe('started');
    await poll('the run being loaded', () => getRun(onA, membershipId, started.run.id), (run) => run.state === 'loading');
    const pid = await executorPid(started.run.id);
    const victim = workers.find((w) => w.child.pid === pid)!;
    const survivor = workers.find((w) => w !== victim)!;
    expect(victim).toBeDefined();
    victim.child.kill('SIGKILL');
    await victim.exit;
    sim.simulator.resetFaults();

    // A wait limit, not a timing: a loaded machine (the whole suite, two cores) takes the survivor longer to notice.
    const dead = await poll('the killed run', () => getRun(onA, membershipId, started.run.id), (run) => !ACTIVE_RUN_STATES.includes(run.state), 45_000).catch(
      async (error: Error) => {
        throw new Error(`${error.message}\n${await workersReport(survivor)}`);
      },
    );
    expect(dead).toMatchObject({ state: 'failed', error: WORKER_GONE_ERROR });
    const retry = await startRun(onA, membershipId);
    expect(retry.status).toBe('started');
    const done = await poll('the retry', () => getRun(onB, membershipId, retry.run.id), (run) => !ACTIVE_RUN_STATES.includes(run.state), 60_000);
    expect(done.state).toBe('completed');
    expect(await executorPid(retry.run.id)).toBe(survivor.child.pid);
  });
});
