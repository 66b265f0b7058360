import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../../../simulator';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';
import { runScout, waitForHealthy, type ScoutProcess } from '../../../../test/support/process';
import { ACTIVE_RUN_STATES, getRun, poll, startRun } from '../../../../test/support/runs';
import { HttpClient, startTestScout, type TestScout } from '../../../../test/support/scout';
import { findFreePort } from '../../platform/net';
import { RunRepo, WORKER_GONE_ERROR } from './runs';
import { MATERIALIZE_QUEUE } from './sync-jobs';
import { WorkerPresence } from './workers';

/**
 * A sync whose worker process dies (kill -9) must not block the next one:
 * the dead run is failed within seconds, by the restarted process or by any
 * other live one, and a retry starts a new run. A run that a live worker is
 * executing is never failed.
 */

type Sim = Awaited<ReturnType<typeof startSimulator>>;
const KEYS = `k1:${Buffer.alloc(32, 7).toString('base64')}`;




async function kill9(scout: ScoutProcess): Promise<void> {
  scout.child.kill('SIGKILL');
  expect(await scout.exit).toEqual({ code: null, signal: 'SIGKILL' });
}

async function stop(scout: ScoutProcess): Promise<void> {
  if (scout.child.exitCode !== null || scout.child.signalCode !== null) return;
  scout.child.kill('SIGTERM');
  await scout.exit;
}

describe('a sync whose worker process ends mid-sync', () => {
  let sim: Sim;
  let database: TestDatabase;
  let dataDir: string;
  let db: pg.Pool;
  const processes: ScoutProcess[] = [];

  const start = async (port: number): Promise<ScoutProcess> => {
    const scout = runScout(['start'], { DATABASE_URL: database.url, SCOUT_DATA_DIR: dataDir, PORT: String(port), SCOUT_ENCRYPTION_KEYS: KEYS, COMMCARE_BASE_URL: sim.url, LOG_LEVEL: 'warn' });
    processes.push(scout);
    await waitForHealthy(`http://localhost:${port}`, scout);
    return scout;
  };

  const signUp = async (baseUrl: string): Promise<{ client: HttpClient; membershipId: string; email: string }> => {
    const client = new HttpClient(baseUrl);
    const email = `crash-${Math.random().toString(36).slice(2)}@example.org`;
    expect((await client.post('/api/auth/sign-up/email', { name: 'Crash Tester', email, password: 'crash-pass-1' })).ok).toBe(true);
    const connected = await client.post('/api/auth/tenant-credentials/', { provider: 'commcare', tenant_id: 'demo-clinic', credential: 'demo@example.com:demo-key' });
    expect(connected.status).toBe(201);
    return { client, membershipId: ((await connected.json()) as { membership_id: string }).membership_id, email };
  };

  /** Starts a sync that stays in progress (every HQ data request is slow) and waits until a worker is loading it. */
  const startSlowSync = async (client: HttpClient, membershipId: string): Promise<string> => {
    sim.simulator.setFaults({ latencyMs: 10_000 });
    const started = await startRun(client, membershipId, 'full');
    expect(started.status).toBe('started');
    await poll('the run being loaded', () => getRun(client, membershipId, started.run.id), (run) => run.state === 'loading');
    return started.run.id;
  };

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 5, domains: ['demo-clinic'], cases: 200, formsPerCase: 2, rateLimit: false });
  });
  afterEach(async () => {
    sim.simulator.resetFaults();
    await Promise.all(processes.splice(0).map(stop));
    await db?.end();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await sim?.close();
  });

  const fresh = async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(tmpdir(), 'scout-crash-'));
    db = new pg.Pool({ connectionString: database.url, max: 2 });
  };

  it('is failed with a plain error as soon as Scout restarts, and a retry starts a new run that completes', { timeout: 120_000 }, async () => {
    await fresh();
    const port = await findFreePort();
    const first = await start(port);
    const { client, membershipId } = await signUp(`http://localhost:${port}`);
    const deadRunId = await startSlowSync(client, membershipId);

    await kill9(first);
    sim.simulator.resetFaults();
    await start(port);

    // The session survives the restart (it is in the database); the dead run does not stay "loading".
    const dead = await poll('the killed run', () => getRun(client, membershipId, deadRunId), (run) => !ACTIVE_RUN_STATES.includes(run.state));
    expect(dead.state).toBe('failed');
    expect(dead.error).toBe(WORKER_GONE_ERROR);
    expect(dead.error).not.toMatch(/^ +at |Error:/m);
    // pg-boss agrees: the job of the dead run failed, and is not retried.
    const job = await db.query(`SELECT j.state, j.retry_limit FROM pgboss.job j JOIN materialization_run r ON r.job_id = j.id WHERE r.id = $1`, [deadRunId]);
    expect(job.rows).toEqual([{ state: 'failed', retry_limit: 0 }]);

    const retry = await startRun(client, membershipId);
    expect(retry.status).toBe('started');
    expect(retry.run.id).not.toBe(deadRunId);
    const done = await poll('the retry', () => getRun(client, membershipId, retry.run.id), (run) => !ACTIVE_RUN_STATES.includes(run.state), 60_000);
    expect(done).toMatchObject({ state: 'completed', error: null });
    expect(done.result!.tables).toEqual([
      { name: 'cases', rows: 200 },
      { name: 'forms', rows: 400 },
      { name: 'case_relationships', rows: expect.any(Number) },
    ]);
    // Still failed: the restarted worker never resurrected the dead run or its job.
    expect((await getRun(client, membershipId, deadRunId)).state).toBe('failed');
  });

  it('is failed by the worker itself, saying so, when it is stopped with SIGTERM mid-sync', { timeout: 120_000 }, async () => {
    await fresh();
    const port = await findFreePort();
    const scout = await start(port);
    const { client, membershipId } = await signUp(`http://localhost:${port}`);
    const runId = await startSlowSync(client, membershipId);
    scout.child.kill('SIGTERM');
    expect(await scout.exit).toEqual({ code: 0, signal: null });
    // Nobody else is running: the record was written by the stopping process.
    const run = await db.query(`SELECT r.state, r.error, j.state AS job_state FROM materialization_run r JOIN pgboss.job j ON j.id = r.job_id WHERE r.id = $1`, [runId]);
    expect(run.rows[0]).toMatchObject({ state: 'failed', error: expect.stringMatching(/^The sync stopped because the worker running it was shut down\./), job_state: 'failed' });
    expect((await db.query(`SELECT count(*)::int AS n FROM warehouse_worker`)).rows[0].n).toBe(0);
  });

  it('with two Scouts on one database, killing the one running the sync lets the other fail it and run the retry, never failing a live worker\'s run', { timeout: 120_000 }, async () => {
    await fresh();
    const ports = [await findFreePort(), await findFreePort()];
    // One after the other: a start may build the web bundle, which two must not do at once.
    const scouts = [await start(ports[0]!), await start(ports[1]!)];
    const { client, membershipId, email } = await signUp(`http://localhost:${ports[0]}`);
    const runId = await startSlowSync(client, membershipId);

    const executor = await db.query<{ pid: number }>(`SELECT w.pid FROM materialization_run r JOIN warehouse_worker w ON w.id = r.worker_id WHERE r.id = $1`, [runId]);
    const index = scouts.findIndex((s) => s.child.pid === executor.rows[0]?.pid);
    expect(index).toBeGreaterThanOrEqual(0);
    const [victim, survivor] = [scouts[index]!, scouts[1 - index]!];
    const survivorClient = new HttpClient(`http://localhost:${ports[1 - index]}`);
    expect((await survivorClient.post('/api/auth/sign-in/email', { email, password: 'crash-pass-1' })).ok).toBe(true);

    // Both processes look for orphans every few seconds: the run a live worker holds stays as it is.
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    expect((await getRun(survivorClient, membershipId, runId)).state).toBe('loading');
    expect((await startRun(survivorClient, membershipId)).status).toBe('already_in_progress');

    await kill9(victim);
    sim.simulator.resetFaults();
    // No restart: the survivor notices on its own.
    const dead = await poll('the killed run', () => getRun(survivorClient, membershipId, runId), (run) => !ACTIVE_RUN_STATES.includes(run.state));
    expect(dead).toMatchObject({ state: 'failed', error: WORKER_GONE_ERROR });

    const retry = await startRun(survivorClient, membershipId);
    expect(retry.status).toBe('started');
    expect(retry.run.id).not.toBe(runId);
    const done = await poll('the retry', () => getRun(survivorClient, membershipId, retry.run.id), (run) => !ACTIVE_RUN_STATES.includes(run.state), 60_000);
    expect(done.state).toBe('completed');
    const ranBy = await db.query<{ pid: number }>(`SELECT w.pid FROM materialization_run r JOIN warehouse_worker w ON w.id = r.worker_id WHERE r.id = $1`, [retry.run.id]);
    expect(ranBy.rows[0]?.pid).toBe(survivor.child.pid);
  });
});

describe('worker presence', () => {
  let scout: TestScout;
  let runs: RunRepo;
  const others: WorkerPresence[] = [];

  beforeAll(async () => {
    scout = await startTestScout({ worker: true });
    runs = new RunRepo(scout.database.db);
  });
  afterEach(async () => {
    await Promise.all(others.splice(0).map((p) => p.stop()));
  });
  afterAll(async () => {
    await scout?.stop();
  });

  const url = () => scout.database.pool.options.connectionString!;

  const presence = (onLost: (reason: string) => void = () => undefined) => {
    const p = new WorkerPresence(url(), pino({ level: 'silent' }), onLost);
    others.push(p);
    return p;
  };

  /** A tenant with a warehouse record, and a run of it claimed by `workerId`, as if that worker were loading it. */
  const runClaimedBy = async (workerId: number): Promise<string> => {
    const domain = `d-${Math.random().toString(36).slice(2, 10)}`;
    const tenant = await scout.database.pool.query(`INSERT INTO tenant (provider, external_id, hq_base_url, schema_name) VALUES ('commcare', $1, 'https://hq.example.org', $2) RETURNING id`, [domain, `t_${domain.replace('-', '_')}`]);
    const schema = await scout.database.pool.query(`INSERT INTO tenant_schema (tenant_id, schema_name, state) VALUES ($1, $2, 'materializing') RETURNING id`, [tenant.rows[0].id, `t_${domain.replace('-', '_')}`]);
    const { run } = await runs.create(schema.rows[0].id, 'full', null, null);
    expect(await runs.claim(run.id, workerId)).toBe(true);
    await runs.setState(run.id, workerId, 'loading');
    return run.id;
  };

  const state = async (runId: string) => (await runs.get(runId))!;

  it('fails only the runs whose worker is gone, never one that a live worker holds, whatever the heartbeat', async () => {
    let lost = '';
    const a = presence((reason) => (lost = reason));
    const b = presence();
    const [idA, idB] = [await a.ensure(), await b.ensure()];
    expect(idA).not.toBe(idB);
    const [runA, runB] = [await runClaimedBy(idA), await runClaimedBy(idB)];
    // An old heartbeat does not make a live worker's run stale.
    await scout.database.pool.query(`UPDATE materialization_run SET heartbeat_at = now() - interval '1 hour' WHERE id = ANY($1)`, [[runA, runB]]);

    await scout.services.warehouse.jobs.recover();
    expect((await state(runA)).state).toBe('loading');
    expect((await state(runB)).state).toBe('loading');

    // Worker A's process dies: its connection (and with it the lock) is gone at once.
    const killed = await scout.database.pool.query(`SELECT pg_terminate_backend(pid, 5000) AS gone FROM pg_stat_activity WHERE application_name = $1`, [`scout-worker ${a.instanceId}`]);
    expect(killed.rows).toEqual([{ gone: true }]);
    await scout.services.warehouse.jobs.recover();
    expect(await state(runA)).toMatchObject({ state: 'failed', error: WORKER_GONE_ERROR });
    expect((await state(runB)).state).toBe('loading');

    // Had A lived on, it learns it lost its presence, and comes back as a new worker: its old runs stay failed.
    await poll('A noticing', async () => lost, (reason) => reason !== '');
    const again = await a.ensure();
    expect(again).not.toBe(idA);
    await scout.services.warehouse.jobs.recover();
    expect((await state(runA)).state).toBe('failed');
    expect(await runs.progress(runA, idA, {})).toEqual({ cancelRequested: false, lost: true });
    expect(await runs.finish(runA, idA, { state: 'completed' })).toBe(false);
    expect((await state(runA)).state).toBe('failed');
    expect(await runs.progress(runB, idB, {})).toEqual({ cancelRequested: false, lost: false });
  });

  it('lets exactly one worker claim a run', async () => {
    const [a, b] = [presence(), presence()];
    const [idA, idB] = [await a.ensure(), await b.ensure()];
    const runId = await runClaimedBy(idA);
    expect(await runs.claim(runId, idB)).toBe(false);
    expect((await state(runId)).worker_id).toBe(idA);
  });

  it('fails a queued run whose pg-boss job ended without running it, and fails the job of a dead worker\'s run', async () => {
    const queuedRun = async (jobId: string) => {
      const domain = `q-${Math.random().toString(36).slice(2, 10)}`;
      const tenant = await scout.database.pool.query(`INSERT INTO tenant (provider, external_id, hq_base_url, schema_name) VALUES ('commcare', $1, 'https://hq.example.org', $2) RETURNING id`, [domain, `t_${domain.replace('-', '_')}`]);
      const schema = await scout.database.pool.query(`INSERT INTO tenant_schema (tenant_id, schema_name, state) VALUES ($1, $2, 'provisioning') RETURNING id`, [tenant.rows[0].id, `t_${domain.replace('-', '_')}`]);
      return (await runs.create(schema.rows[0].id, 'full', null, jobId)).run.id;
    };
    // Jobs due in an hour: the test's own worker leaves them alone.
    const later = { retryLimit: 0, startAfter: 3600 };

    // Waiting for a worker is fine...
    const waitingJob = (await scout.jobs.send(MATERIALIZE_QUEUE, { runId: 'none' }, later))!;
    const waiting = await queuedRun(waitingJob);
    await scout.services.warehouse.jobs.recover();
    expect((await state(waiting)).state).toBe('started');
    // ...but once its job has ended without running it, nothing will.
    await scout.jobs.cancel(MATERIALIZE_QUEUE, waitingJob);
    await scout.services.warehouse.jobs.recover();
    expect(await state(waiting)).toMatchObject({ state: 'failed', error: expect.stringMatching(/no worker ran it/) });

    // A dead worker's run: its job is failed with it (and, with no retries, stays failed).
    const dying = presence();
    const runId = await runClaimedBy(await dying.ensure());
    const job = (await scout.jobs.send(MATERIALIZE_QUEUE, { runId: 'none' }, later))!;
    await scout.database.pool.query(`UPDATE materialization_run SET job_id = $2 WHERE id = $1`, [runId, job]);
    await dying.stop();
    await scout.services.warehouse.jobs.recover();
    expect((await state(runId)).state).toBe('failed');
    expect((await scout.jobs.getJobById(MATERIALIZE_QUEUE, job))?.state).toBe('failed');
  });
});
