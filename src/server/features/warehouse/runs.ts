import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema';
import type { RunMode, RunState, SourceProgress } from '../../../shared/warehouse';
import { WORKER_LOCK_NAMESPACE } from './workers';

/** A run row with the name of the member who asked for it. */
export interface RunRow {
  id: string;
  tenant_schema_id: string;
  state: RunState;
  mode: RunMode;
  sources: Record<string, SourceProgress>;
  error: string | null;
  requested_by: string | null;
  requested_by_name: string | null;
  cancel_requested: boolean;
  heartbeat_at: Date;
  started_at: Date;
  completed_at: Date | null;
  result: unknown;
  /** The worker that claimed the run (warehouse_worker.id); null while it waits in the queue. */
  worker_id: number | null;
  /** Its pg-boss job; null for `scout sync`. */
  job_id: string | null;
}

export const ACTIVE_STATES: RunState[] = ['started', 'loading', 'transforming'];
/**
 * Only for runs without a recorded worker or job (made before workers
 * registered): one whose worker has not written for this long died with it.
 */
export const HEARTBEAT_TIMEOUT_SECONDS = 60;

export const WORKER_GONE_ERROR =
  'The sync stopped unexpectedly: the worker running it ended (the process was killed, crashed or lost its database connection). Start it again: it resumes where it left off.';
export const STALE_ERROR = 'The sync stopped unexpectedly (its worker was stopped or restarted). Start it again: it resumes where it left off.';

/**
 * Ids of the workers alive now: those whose session advisory lock is held
 * in this database (see WorkerPresence). pg_locks is readable by any role.
 */
const liveWorkers = sql`
  SELECT l.objid::bigint AS id FROM pg_locks l
  WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
    AND l.classid = ${WORKER_LOCK_NAMESPACE}::oid
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

export class RunRepo {
  constructor(private readonly db: Kysely<Database>) {}

  private select() {
    return this.db
      .selectFrom('materialization_run as r')
      .leftJoin('tenant_membership as m', 'm.id', 'r.requested_by')
      .leftJoin('user as u', 'u.id', 'm.user_id')
      .select([
        'r.id',
        'r.tenant_schema_id',
        'r.state',
        'r.mode',
        'r.sources',
        'r.error',
        'r.requested_by',
        'u.name as requested_by_name',
        'r.cancel_requested',
        'r.heartbeat_at',
        'r.started_at',
        'r.completed_at',
        'r.result',
        'r.worker_id',
        'r.job_id',
      ]);
  }

  get(id: string): Promise<RunRow | undefined> {
    return this.select().where('r.id', '=', id).executeTakeFirst() as Promise<RunRow | undefined>;
  }

  history(tenantSchemaId: string, limit = 20): Promise<RunRow[]> {
    return this.select().where('r.tenant_schema_id', '=', tenantSchemaId).orderBy('r.started_at', 'desc').limit(limit).execute() as Promise<RunRow[]>;
  }

  active(tenantSchemaId: string): Promise<RunRow | undefined> {
    return this.select().where('r.tenant_schema_id', '=', tenantSchemaId).where('r.state', 'in', ACTIVE_STATES).executeTakeFirst() as Promise<RunRow | undefined>;
  }

  /** Inserts a run unless one is active for the tenant (the partial unique index decides, race-free). */
  async create(tenantSchemaId: string, mode: RunMode, requestedBy: string | null, jobId: string | null): Promise<{ created: boolean; run: RunRow }> {
    const inserted = await sql<{ id: string }>`
      INSERT INTO materialization_run (tenant_schema_id, state, mode, requested_by, job_id)
      VALUES (${tenantSchemaId}, 'started', ${mode}, ${requestedBy}, ${jobId})
      ON CONFLICT (tenant_schema_id) WHERE state IN ('started', 'loading', 'transforming') DO NOTHING
      RETURNING id`.execute(this.db);
    const id = inserted.rows[0]?.id;
    if (id) return { created: true, run: (await this.get(id))! };
    const running = await this.active(tenantSchemaId);
    if (!running) return this.create(tenantSchemaId, mode, requestedBy, jobId);
    return { created: false, run: running };
  }

  /**
   * Makes `workerId` the run's one executor: only a run still waiting
   * (started, unclaimed) can be claimed, so a job delivered twice, or to two
   * workers, runs once.
   */
  async claim(id: string, workerId: number): Promise<boolean> {
    const result = await this.db
      .updateTable('materialization_run')
      .set({ worker_id: workerId, heartbeat_at: new Date() })
      .where('id', '=', id)
      .where('state', '=', 'started')
      .where('worker_id', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async setState(id: string, workerId: number, state: RunState): Promise<void> {
    await this.db
      .updateTable('materialization_run')
      .set({ state, heartbeat_at: new Date() })
      .where('id', '=', id)
      .where('worker_id', '=', workerId)
      .where('state', 'in', ACTIVE_STATES)
      .execute();
  }

  /**
   * Progress doubles as the heartbeat; answers whether a cancel was
   * requested, and whether the run is no longer this worker's to run (it
   * was failed meanwhile, as orphaned): then the worker stops.
   */
  async progress(id: string, workerId: number, sources: Record<string, SourceProgress>): Promise<{ cancelRequested: boolean; lost: boolean }> {
    const row = await this.db
      .updateTable('materialization_run')
      .set({ sources: JSON.stringify(sources), heartbeat_at: new Date() })
      .where('id', '=', id)
      .where('worker_id', '=', workerId)
      .where('state', 'in', ACTIVE_STATES)
      .returning('cancel_requested')
      .executeTakeFirst();
    return { cancelRequested: row?.cancel_requested ?? false, lost: !row };
  }

  /**
   * Records the outcome, if the run is still this worker's; answers whether
   * it was. `alongside` runs in the same transaction, only when it was (the
   * warehouse record's state and sync time), so nobody reads a completed run
   * beside a warehouse that was "never synced".
   */
  async finish(
    id: string,
    workerId: number,
    outcome: { state: 'completed' | 'failed' | 'cancelled'; mode?: RunMode; error?: string; result?: unknown; checkpoint?: unknown; sources?: Record<string, SourceProgress> },
    alongside?: (trx: Kysely<Database>) => Promise<void>,
  ): Promise<boolean> {
    if (!alongside) return this.recordOutcome(this.db, id, workerId, outcome);
    return this.db.transaction().execute(async (trx) => {
      const recorded = await this.recordOutcome(trx, id, workerId, outcome);
      if (recorded) await alongside(trx);
      return recorded;
    });
  }

  private async recordOutcome(
    db: Kysely<Database>,
    id: string,
    workerId: number,
    outcome: { state: 'completed' | 'failed' | 'cancelled'; mode?: RunMode; error?: string; result?: unknown; checkpoint?: unknown; sources?: Record<string, SourceProgress> },
  ): Promise<boolean> {
    const result = await db
      .updateTable('materialization_run')
      .set({
        state: outcome.state,
        error: outcome.error ?? null,
        result: outcome.result === undefined ? null : JSON.stringify(outcome.result),
        checkpoint: outcome.checkpoint === undefined ? null : JSON.stringify(outcome.checkpoint),
        completed_at: new Date(),
        ...(outcome.sources ? { sources: JSON.stringify(outcome.sources) } : {}),
        // An incremental request without earlier data runs as a full load; record what actually ran.
        ...(outcome.mode ? { mode: outcome.mode } : {}),
      })
      .where('id', '=', id)
      .where('worker_id', '=', workerId)
      .where('state', 'in', ACTIVE_STATES)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Fails a run that no worker has claimed (its job could not be queued, or ended without running it). */
  async failUnclaimed(id: string, error: string): Promise<boolean> {
    const result = await this.db
      .updateTable('materialization_run')
      .set({ state: 'failed', error, completed_at: new Date() })
      .where('id', '=', id)
      .where('state', '=', 'started')
      .where('worker_id', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async requestCancel(id: string): Promise<boolean> {
    const result = await this.db.updateTable('materialization_run').set({ cancel_requested: true }).where('id', '=', id).where('state', 'in', ACTIVE_STATES).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Fails the runs whose worker is gone (its presence lock is not held: the
   * process ended or lost its connection), whatever their heartbeat says.
   * A run a live worker holds is never touched. Answers the failed runs.
   */
  async failOrphaned(): Promise<Array<{ id: string; job_id: string | null; worker_id: number | null }>> {
    const result = await sql<{ id: string; job_id: string | null; worker_id: number | null }>`
      WITH live AS MATERIALIZED (${liveWorkers})
      UPDATE materialization_run r
      SET state = 'failed', error = ${WORKER_GONE_ERROR}, completed_at = now()
      WHERE r.state IN ('started', 'loading', 'transforming')
        AND r.worker_id IS NOT NULL
        AND r.worker_id NOT IN (SELECT id FROM live)
      RETURNING r.id, r.job_id, r.worker_id`.execute(this.db);
    return result.rows;
  }

  /** Runs queued for a worker (started, unclaimed, with a job), oldest first. */
  unclaimed(): Promise<Array<{ id: string; job_id: string; started_at: Date }>> {
    return this.db
      .selectFrom('materialization_run')
      .select(['id', 'job_id', 'started_at'])
      .where('state', '=', 'started')
      .where('worker_id', 'is', null)
      .where('job_id', 'is not', null)
      .orderBy('started_at')
      .limit(100)
      .execute() as Promise<Array<{ id: string; job_id: string; started_at: Date }>>;
  }

  /** Removes the registrations of workers that are gone (their runs keep the id). */
  async pruneWorkers(): Promise<number> {
    const result = await sql`
      WITH live AS MATERIALIZED (${liveWorkers})
      DELETE FROM warehouse_worker WHERE id NOT IN (SELECT id FROM live)`.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }

  /**
   * Runs recorded before workers registered (no worker, no job) can only be
   * judged by their heartbeat: one that stopped writing died with its worker.
   */
  async failStale(): Promise<number> {
    const result = await this.db
      .updateTable('materialization_run')
      .set({ state: 'failed', error: STALE_ERROR, completed_at: new Date() })
      .where('state', 'in', ACTIVE_STATES)
      .where('worker_id', 'is', null)
      .where('job_id', 'is', null)
      .where('heartbeat_at', '<', sql<Date>`now() - make_interval(secs => ${HEARTBEAT_TIMEOUT_SECONDS})`)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
