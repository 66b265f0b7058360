import type pg from 'pg';
import type PgBoss from 'pg-boss';
import type { SourceProgress } from '../../../shared/warehouse';
import type { Logger } from '../../platform/logger';
import { CommCareAuthError, CommCareError, CommCareNotFoundError, CommCarePermissionError, type RetryPolicy } from '../commcare';
import type { MembershipRow } from '../tenants/repo';
import type { MemberAccess } from '../tenants/access';
import type { TenantService } from '../tenants/service';
import { Materializer, type Source } from './materializer';
import { dropScope, ensureScope } from './row-security';
import { type RunRepo, WORKER_GONE_ERROR, type RunRow } from './runs';
import type { SchemaManager } from './schema-manager';
import type { TenantSchemaRepo } from './tenant-schemas';
import { WorkerPresence } from './workers';

export const MATERIALIZE_QUEUE = 'warehouse-materialize';
export const EXPIRE_QUEUE = 'warehouse-expire';
/** Progress is written at most this often (it is also the heartbeat). */
const PROGRESS_INTERVAL_MS = 250;
/** How often a worker process looks for runs whose worker is gone. */
export const RECOVERY_INTERVAL_MS = 3_000;
/**
 * A queued run whose job a worker took this long ago without claiming it
 * lost that worker in between (claiming takes milliseconds); so did one
 * whose job is nowhere to be found this long after the run was created.
 */
const UNCLAIMED_GRACE_SECONDS = 30;
/**
 * The materialize job's expiry. pg-boss also gives up on a handler after
 * this long (and would hand the job to another worker), so it is set to the
 * longest pg-boss allows: a sync's liveness is its worker's presence lock,
 * not a timeout.
 */
const JOB_EXPIRE_SECONDS = 23 * 60 * 60;
/** How long stopping a worker waits for its interrupted syncs to record their outcome. */
const STOP_WAIT_MS = 10_000;
/** Members whose access is asked of HQ at once after a sync. */
const ACCESS_CHECKS_AT_ONCE = 4;

export interface SyncJobsDeps {
  /** Asked after every sync what each member may see. */
  access: MemberAccess;
  /** The managed database, where tenant schemas live. */
  warehouse: pg.Pool;
  schemas: SchemaManager;
  tenantSchemas: TenantSchemaRepo;
  runs: RunRepo;
  tenants: TenantService;
  logger: Logger;
  schemaTtlSeconds: number;
  /** Overrides CommCare retry timing (tests that inject outages). */
  commcareRetry?: Partial<RetryPolicy>;
}

/**
 * Executes syncs: the pg-boss queue and its worker (any process running
 * `scout worker` or `scout start`), progress, cancellation, crash recovery
 * and the expiry of unused warehouses.
 */
export class SyncJobs {
  private readonly runs: RunRepo;
  private readonly materializer: Materializer;
  private jobs: PgBoss | undefined;
  private presence: WorkerPresence | undefined;
  private recoveryTimer: NodeJS.Timeout | undefined;
  private recovering: Promise<void> | undefined;
  /** The syncs this process is executing, to interrupt when it stops or loses its presence. */
  private readonly executing = new Map<string, { controller: AbortController; done: Promise<unknown> }>();

  private readonly syncedListeners: Array<(tenantId: string) => unknown> = [];

  /** Called after each completed sync with the tenant's id (scheduled refreshes that follow syncs). */
  onSynced(listener: (tenantId: string) => unknown): void {
    this.syncedListeners.push(listener);
  }

  constructor(private readonly deps: SyncJobsDeps) {
    this.runs = deps.runs;
    this.materializer = new Materializer(deps.warehouse, deps.schemas);
  }

  /** Queues a created run for a worker; one job runs one run, once. */
  async enqueue(runId: string, jobId: string): Promise<void> {
    if (!this.jobs) throw new Error('no job queue: start Scout with its worker');
    try {
      // pg-boss must not retry it (a retry of a sync is a new run) nor time it out.
      await this.jobs.send(MATERIALIZE_QUEUE, { runId }, { id: jobId, retryLimit: 0, expireInSeconds: JOB_EXPIRE_SECONDS });
    } catch (error) {
      await this.runs.failUnclaimed(runId, 'The sync could not be queued. Try again.');
      throw error;
    }
  }

  get hasQueue(): boolean {
    return this.jobs !== undefined;
  }

  /**
   * Registers the job handlers; the process then executes runs queued by any
   * process. `databaseUrl` (the app database) is for the worker's presence
   * connection. At once and every few seconds after, runs whose worker is
   * gone are failed (see `recover`).
   */
  async attachWorker(boss: PgBoss, databaseUrl: string): Promise<void> {
    this.jobs = boss;
    this.usePresence(databaseUrl);
    await boss.createQueue(MATERIALIZE_QUEUE);
    await boss.createQueue(EXPIRE_QUEUE);
    await this.presence!.ensure();
    await this.recover();
    await boss.work<{ runId: string }>(MATERIALIZE_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
      if (!job) return;
      const run = await this.execute(job.data.runId);
      // The job's state follows its run's: a failed sync is a failed job (never retried: a retry is a new run).
      if (run?.state === 'failed' && run.job_id === job.id) throw new RunFailure(run.error ?? 'The sync failed.');
      return { state: run?.state ?? null };
    });
    await boss.work(EXPIRE_QUEUE, async () => {
      await this.recover();
      await this.expireSchemas();
    });
    await boss.schedule(EXPIRE_QUEUE, '*/10 * * * *');
    this.recoveryTimer = setInterval(() => {
      // A slow pass (a struggling database) is not piled up on.
      if (!this.recovering) void this.recover().catch((error: Error) => this.deps.logger.warn({ err: { message: error.message } }, 'sync recovery failed'));
    }, RECOVERY_INTERVAL_MS);
    this.recoveryTimer.unref();
  }

  /** Lets a web-only process enqueue for the workers (and `scout sync` run a sync itself). */
  async useQueue(boss: PgBoss, databaseUrl: string): Promise<void> {
    this.jobs = boss;
    this.usePresence(databaseUrl);
    await boss.createQueue(MATERIALIZE_QUEUE);
  }

  /**
   * On shutdown: stops looking for orphans, interrupts the syncs this
   * process runs (each records why it stopped), then gives up the presence.
   */
  async stopWorker(): Promise<void> {
    clearInterval(this.recoveryTimer);
    this.recoveryTimer = undefined;
    this.interruptAll('The sync stopped because the worker running it was shut down. Start it again: it resumes where it left off.');
    const running = Promise.allSettled([...this.executing.values()].map((e) => e.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([running, new Promise((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)))]);
    clearTimeout(timer);
    await this.recovering?.catch(() => undefined);
    await this.presence?.stop();
  }

  private usePresence(databaseUrl: string): void {
    this.presence ??= new WorkerPresence(databaseUrl, this.deps.logger, (reason) =>
      this.interruptAll(`The sync stopped because the worker running it lost its connection to the database (${reason}). Start it again: it resumes where it left off.`),
    );
  }

  private interruptAll(message: string): void {
    for (const { controller } of this.executing.values()) controller.abort(new RunInterrupted(message));
  }

  /**
   * Fails the runs whose worker is gone, so that a new sync can start: any
   * process may call it at any time, as often as it likes (each step only
   * changes a run in the state it checked, so two callers agree).
   * - a claimed run whose worker's presence lock is not held (killed,
   *   crashed, disconnected): failed, and its pg-boss job failed too;
   * - a queued run whose job ended, vanished, or was taken by a worker that
   *   died before claiming it: failed;
   * - a run from before workers registered: failed once its heartbeat is old.
   * A run that a live worker executes is never touched.
   */
  recover(): Promise<void> {
    // Passes run one after another; each call gets a pass that starts after it (so it sees what happened before).
    const pass: Promise<void> = (this.recovering ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.recoverNow())
      .finally(() => {
        if (this.recovering === pass) this.recovering = undefined;
      });
    this.recovering = pass;
    return pass;
  }

  /** One recovery pass now (before a new run, so a run whose worker is gone does not block it). */
  async recoverNow(): Promise<void> {
    const orphaned = await this.runs.failOrphaned();
    for (const run of orphaned) {
      this.deps.logger.warn({ runId: run.id, workerId: run.worker_id }, 'sync failed: its worker is gone');
      if (run.job_id && this.jobs) await this.jobs.fail(MATERIALIZE_QUEUE, run.job_id, { message: WORKER_GONE_ERROR });
      await this.settleTenantSchema(run.id);
    }
    if (this.jobs) {
      for (const run of await this.runs.unclaimed()) {
        const reason = await this.unclaimedProblem(run);
        if (!reason) continue;
        if (await this.runs.failUnclaimed(run.id, reason)) {
          this.deps.logger.warn({ runId: run.id, jobId: run.job_id }, 'sync failed: no worker ran its job');
          await this.jobs.fail(MATERIALIZE_QUEUE, run.job_id, { message: reason });
        }
      }
    }
    await this.runs.failStale();
    await this.runs.pruneWorkers();
  }

  /** Why a queued run will never run, or undefined while it may. */
  private async unclaimedProblem(run: { job_id: string; started_at: Date }): Promise<string | undefined> {
    const job = await this.jobs!.getJobById(MATERIALIZE_QUEUE, run.job_id, { includeArchive: true });
    const graceOver = (since: Date | null | undefined) => !!since && Date.now() - new Date(since).getTime() > UNCLAIMED_GRACE_SECONDS * 1000;
    const stopped = 'The sync stopped unexpectedly: no worker ran it (its worker ended before it began). Start it again.';
    if (!job) return graceOver(run.started_at) ? stopped : undefined;
    if (job.state === 'completed' || job.state === 'failed' || job.state === 'cancelled') return stopped;
    if (job.state === 'active' && graceOver(job.startedOn)) return stopped;
    return undefined;
  }

  /** After a run ended without its worker: the schema is active again if it has data. */
  private async settleTenantSchema(runId: string): Promise<void> {
    const run = await this.runs.get(runId);
    if (!run) return;
    const tenantSchema = await this.deps.tenantSchemas.byId(run.tenant_schema_id);
    if (!tenantSchema || tenantSchema.state !== 'materializing' || (await this.runs.active(tenantSchema.id))) return;
    const hasData = await this.deps.schemas.exists(tenantSchema.schema_name);
    await this.deps.tenantSchemas.setState(tenantSchema.id, hasData ? 'active' : 'provisioning', 'materializing');
  }

  /**
   * The job: claims the run for this worker (so it runs once, here), then
   * runs the sync with the requesting member's credentials, recording
   * progress and the outcome. Every write is conditional on the run still
   * being this worker's: if it was failed as orphaned meanwhile, the sync
   * stops and leaves the record alone.
   */
  async execute(runId: string, onProgress?: (sources: Record<string, SourceProgress>) => void): Promise<RunRow> {
    if (!this.presence) throw new Error('no worker presence: attach the worker (or the queue) first');
    const run = await this.runs.get(runId);
    if (!run || run.state !== 'started') return run!;
    const workerId = await this.presence.ensure();
    if (!(await this.runs.claim(run.id, workerId))) return (await this.runs.get(runId))!;
    const controller = new AbortController();
    let finished!: () => void;
    this.executing.set(run.id, { controller, done: new Promise<void>((resolve) => (finished = resolve)) });
    try {
      // Lost between ensure() and the claim: the run is already seen as orphaned, so stop at once.
      if (this.presence.current !== workerId) controller.abort(new RunInterrupted(WORKER_GONE_ERROR));
      await this.materialize(run, workerId, controller, onProgress);
    } finally {
      this.executing.delete(run.id);
      finished();
    }
    return (await this.runs.get(runId))!;
  }

  private async materialize(run: RunRow, workerId: number, controller: AbortController, onProgress?: (sources: Record<string, SourceProgress>) => void): Promise<void> {
    const runId = run.id;
    const tenantSchema = await this.deps.tenantSchemas.byId(run.tenant_schema_id);
    if (!tenantSchema) throw new Error(`run ${run.id} has no warehouse record`);
    const membership = run.requested_by ? await this.deps.tenants.byId(run.requested_by) : undefined;
    // Every source is listed from the start, so progress never looks done while forms haven't begun.
    const sources: Record<string, SourceProgress> = {
      cases: { rows_loaded: 0, rows_total: null },
      forms: { rows_loaded: 0, rows_total: null },
      applications: { rows_loaded: 0, rows_total: null },
    };
    let lastWrite = 0;
    let writing: Promise<unknown> = Promise.resolve();
    // A page that lands within the interval of the last write is written when the interval ends (never dropped):
    // otherwise a quick load shows no rows at all until it has finished.
    let trailing: NodeJS.Timeout | undefined;
    const write = () => {
      clearTimeout(trailing);
      trailing = undefined;
      lastWrite = Date.now();
      // A copy: the write is queued, and later pages must not change what it says it wrote.
      const snapshot = structuredClone(sources);
      writing = writing.then(async () => {
        const { cancelRequested, lost } = await this.runs.progress(run.id, workerId, snapshot);
        if (lost) controller.abort(new RunLost());
        else if (cancelRequested) controller.abort(new RunCancelled());
      });
    };
    const report = (force = false) => {
      onProgress?.(sources);
      const wait = PROGRESS_INTERVAL_MS - (Date.now() - lastWrite);
      if (force || wait <= 0) write();
      else trailing ??= setTimeout(write, wait);
    };
    const heartbeat = setInterval(() => report(true), 5_000);
    let syncer: MembershipRow | undefined;
    try {
      controller.signal.throwIfAborted();
      if (!membership) throw new RunFailure('The member who asked for this sync no longer has access to the domain.');
      const members = await this.deps.tenants.membersOf(tenantSchema.tenant_id);
      syncer = syncCredentialOf(membership, members);
      const credentials = await this.deps.tenants.credentialsFor(syncer);
      const commcare = this.deps.tenants.clientFor(syncer.hq_base_url, credentials, this.deps.commcareRetry);
      await this.deps.tenantSchemas.markMaterializing(tenantSchema.id);
      const outcome = await this.materializer.run({
        schema: tenantSchema.schema_name,
        domain: syncer.domain,
        scopes: members.filter((m) => m.hq_access === 'restricted').map((m) => ({ scope: m.membership_id, locationIds: m.hq_location_ids })),
        commcare,
        mode: run.mode,
        signal: controller.signal,
        onPhase: (phase) => void this.runs.setState(run.id, workerId, phase),
        onProgress: (source: Source, loaded, total) => {
          sources[source] = { rows_loaded: loaded, rows_total: total ?? null };
          report();
        },
      });
      clearTimeout(trailing);
      await writing;
      const recorded = await this.runs.finish(
        run.id,
        workerId,
        {
          state: 'completed',
          mode: outcome.mode,
          result: { tables: outcome.tables, views: outcome.views, duration_ms: outcome.duration_ms },
          checkpoint: outcome.checkpoint,
          sources,
        },
        (trx) => this.deps.tenantSchemas.settleAfterRun(trx, tenantSchema.id, { state: 'active', synced: true }),
      );
      if (!recorded) {
        this.deps.logger.warn({ runId }, 'sync finished after its run was failed as orphaned; its outcome is not recorded');
        return;
      }
      // CommCare just accepted this credential for a whole sync: clear an older "needs attention".
      await this.deps.tenants.recordCredentialOutcome(syncer.membership_id, null);
      this.deps.logger.info({ runId, schema: tenantSchema.schema_name, mode: outcome.mode, durationMs: outcome.duration_ms }, 'sync completed');
      await this.settleAccess(tenantSchema.schema_name, members, controller.signal);
      for (const listener of this.syncedListeners) {
        // What follows a sync (scheduled refreshes) never fails the sync that already succeeded.
        await Promise.resolve()
          .then(() => listener(tenantSchema.tenant_id))
          .catch((error: Error) => this.deps.logger.warn({ err: { message: error.message }, runId }, 'after-sync work failed'));
      }
    } catch (error) {
      clearTimeout(trailing);
      await writing.catch(() => undefined);
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : undefined;
      // Failed elsewhere as orphaned: that record stands, and another run may own the schema by now.
      if (reason instanceof RunLost) return;
      const cancelled = reason instanceof RunCancelled;
      const message = cancelled ? null : reason instanceof RunInterrupted ? reason.message : await this.describeFailure(error, syncer ?? membership);
      const hasData = await this.deps.schemas.exists(tenantSchema.schema_name);
      const recorded = await this.runs.finish(
        run.id,
        workerId,
        { state: cancelled ? 'cancelled' : 'failed', ...(message ? { error: message } : {}), sources },
        (trx) => this.deps.tenantSchemas.settleAfterRun(trx, tenantSchema.id, { state: hasData ? 'active' : 'provisioning', synced: false }),
      );
      if (!recorded) return;
      if (!cancelled) this.deps.logger.warn({ runId, reason: message }, 'sync failed');
    } finally {
      clearInterval(heartbeat);
      clearTimeout(trailing);
    }
  }

  /**
   * After a sync: asks HQ again what each member may see (every sync is a
   * check) and brings their scopes up to date, so a member HQ narrowed is
   * narrowed now. A member HQ can't be asked about keeps the last answer.
   */
  private async settleAccess(schema: string, members: MembershipRow[], signal: AbortSignal): Promise<void> {
    for (let i = 0; i < members.length; i += ACCESS_CHECKS_AT_ONCE) {
      await Promise.all(
        members.slice(i, i + ACCESS_CHECKS_AT_ONCE).map(async (member) => {
          try {
            const now = await this.deps.access.refresh(member, signal);
            if (now.hq_access === 'restricted') await ensureScope(this.deps.warehouse, schema, now.membership_id, now.hq_location_ids);
            else if (member.hq_access === 'restricted') await this.dropScope(schema, now.membership_id);
          } catch (error) {
            this.deps.logger.warn({ membershipId: member.membership_id, err: { message: (error as Error).message } }, 'could not bring a member scope up to date');
          }
        }),
      );
    }
  }

  private async dropScope(schema: string, scope: string): Promise<void> {
    const client = await this.deps.warehouse.connect();
    try {
      await dropScope(client, schema, scope);
    } finally {
      client.release();
    }
  }

  /** Drops warehouses nobody has touched for the TTL; the next query asks for a fresh sync. */
  async expireSchemas(): Promise<number> {
    const stale = await this.deps.tenantSchemas.unusedFor(this.deps.schemaTtlSeconds);
    for (const tenantSchema of stale) {
      if (await this.runs.active(tenantSchema.id)) continue;
      await this.deps.schemas.teardown(tenantSchema.schema_name);
      await this.deps.tenantSchemas.setState(tenantSchema.id, 'expired');
      this.deps.logger.info({ schema: tenantSchema.schema_name }, 'warehouse expired');
    }
    return stale.length;
  }

  private async describeFailure(error: unknown, membership: MembershipRow | undefined): Promise<string> {
    if (error instanceof RunFailure) return error.message;
    if (error instanceof CommCareAuthError) {
      const message = 'CommCare no longer accepts the credential used for this domain. Update it on the Connections page, then sync again.';
      if (membership) await this.deps.tenants.recordCredentialOutcome(membership.membership_id, message);
      return message;
    }
    if (error instanceof CommCarePermissionError && membership?.hq_access === 'restricted') {
      // HQ lets a location-restricted role read its cases but not export forms: only a member who sees every location can fill the warehouse.
      return 'CommCare shows your account only some locations of this domain and does not let it export the whole domain. A member whose CommCare role can access all locations needs to connect the domain in Scout; their syncs fill it, and you will see your locations there.';
    }
    if (error instanceof CommCarePermissionError || error instanceof CommCareNotFoundError) return `CommCare refused access to this domain: ${error.message}`;
    if (error instanceof CommCareError) return error.message;
    this.deps.logger.error({ err: { type: (error as Error)?.name, message: (error as Error)?.message, stack: (error as Error)?.stack } }, 'sync failed unexpectedly');
    return 'The sync failed because of an internal error. Try again; if it keeps failing, contact support.';
  }
}

class RunCancelled extends Error {
  override name = 'RunCancelled';
}

/**
 * Whose credential fills the warehouse: the requester's when HQ shows them the
 * whole domain, else a member's whom it does (a restricted credential would
 * leave everyone with only that member's share). Owners come first.
 */
function syncCredentialOf(requester: MembershipRow, members: MembershipRow[]): MembershipRow {
  if (requester.hq_access === 'full') return requester;
  return members.find((m) => m.hq_access === 'full') ?? requester;
}

/** This process is stopping, or lost its presence: the run fails with this message. */
class RunInterrupted extends Error {
  override name = 'RunInterrupted';
}

/** The run was failed elsewhere (as orphaned) while this worker still ran it. */
class RunLost extends Error {
  override name = 'RunLost';
}

export class RunFailure extends Error {
  override name = 'RunFailure';
}
