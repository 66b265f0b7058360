import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema';
import type { RunMode, RunState, SourceProgress } from '../../../shared/warehouse';

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
}

export const ACTIVE_STATES: RunState[] = ['started', 'loading', 'transforming'];
/** A run whose worker has not written for this long died with it (killed, crashed, restarted). */
export const HEARTBEAT_TIMEOUT_SECONDS = 60;

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
  async create(tenantSchemaId: string, mode: RunMode, requestedBy: string | null): Promise<{ created: boolean; run: RunRow }> {
    const inserted = await sql<{ id: string }>`
      INSERT INTO materialization_run (tenant_schema_id, state, mode, requested_by)
      VALUES (${tenantSchemaId}, 'started', ${mode}, ${requestedBy})
      ON CONFLICT (tenant_schema_id) WHERE state IN ('started', 'loading', 'transforming') DO NOTHING
      RETURNING id`.execute(this.db);
    const id = inserted.rows[0]?.id;
    if (id) return { created: true, run: (await this.get(id))! };
    const running = await this.active(tenantSchemaId);
    if (!running) return this.create(tenantSchemaId, mode, requestedBy);
    return { created: false, run: running };
  }

  async setState(id: string, state: RunState): Promise<void> {
    await this.db.updateTable('materialization_run').set({ state, heartbeat_at: new Date() }).where('id', '=', id).where('state', 'in', ACTIVE_STATES).execute();
  }

  /** Progress doubles as the heartbeat; answers whether a cancel was requested. */
  async progress(id: string, sources: Record<string, SourceProgress>): Promise<{ cancelRequested: boolean }> {
    const row = await this.db
      .updateTable('materialization_run')
      .set({ sources: JSON.stringify(sources), heartbeat_at: new Date() })
      .where('id', '=', id)
      .returning('cancel_requested')
      .executeTakeFirst();
    return { cancelRequested: row?.cancel_requested ?? false };
  }

  async finish(
    id: string,
    outcome: { state: 'completed' | 'failed' | 'cancelled'; mode?: RunMode; error?: string; result?: unknown; checkpoint?: unknown; sources?: Record<string, SourceProgress> },
  ): Promise<void> {
    await this.db
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
      .execute();
  }

  async requestCancel(id: string): Promise<boolean> {
    const result = await this.db.updateTable('materialization_run').set({ cancel_requested: true }).where('id', '=', id).where('state', 'in', ACTIVE_STATES).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Marks runs whose worker stopped writing as failed; their next run resumes from the checkpoint. */
  async failStale(): Promise<number> {
    const result = await this.db
      .updateTable('materialization_run')
      .set({
        state: 'failed',
        error: 'The sync stopped unexpectedly (its worker was stopped or restarted). Start it again: it resumes where it left off.',
        completed_at: new Date(),
      })
      .where('state', 'in', ACTIVE_STATES)
      .where('heartbeat_at', '<', sql<Date>`now() - make_interval(secs => ${HEARTBEAT_TIMEOUT_SECONDS})`)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
