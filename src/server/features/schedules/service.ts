import type { Kysely, Selectable } from 'kysely';
import type PgBoss from 'pg-boss';
import { ERROR_CODES } from '../../../shared/errors';
import type { DashboardData, ParameterValue, QuestionRun, Schedule, ScheduledRun, ScheduleTarget } from '../../../shared/questions';
import type { Database, ScheduledRunStatus, ScheduleTable } from '../../platform/db/schema';
import { AppError, notFound } from '../../platform/http/errors';
import type { Logger } from '../../platform/logger';
import { authorize } from '../../platform/permissions';
import type { DashboardService } from '../dashboards/service';
import { canEdit } from '../questions/policy';
import type { QuestionService } from '../questions/service';
import type { MembershipRow } from '../tenants/repo';
import type { TenantService } from '../tenants/service';
import { tenantContext } from '../tools/context';
import type { ToolService } from '../tools/service';
import type { WarehouseService } from '../warehouse/service';
import { nextRun } from './clock';
import type { ScheduleBody } from './input';
import { presentRun, presentSchedule } from './presenter';

export const SCHEDULE_TICK_QUEUE = 'schedules-tick';
export const SCHEDULE_RUN_QUEUE = 'schedules-run';
/** Stored runs kept per question or dashboard (the newest). */
const RUNS_KEPT = 20;
/** Due schedules one tick takes, and of them at most this many of one tenant: the rest wait for the next minute. */
const TICK_BATCH = 100;
const PER_TENANT_PER_TICK = 5;

type ScheduleRow = Selectable<ScheduleTable>;

/** The most a stored run keeps: a dashboard of many wide tiles is cut down, its biggest results first. */
export const MAX_STORED_BYTES = 8 * 1024 * 1024;

/** The run's result as JSON of at most MAX_STORED_BYTES: the tiles with the most rows give up half of them (marked truncated) until it fits. */
export function storable(result: NonNullable<RunEvent['result']>): string {
  let text = JSON.stringify(result);
  const runs = 'tiles' in result ? result.tiles.flatMap((tile) => (tile.run ? [tile.run] : [])) : 'rows' in result ? [result] : [];
  while (Buffer.byteLength(text) > MAX_STORED_BYTES) {
    const biggest = runs.reduce<(typeof runs)[number] | undefined>((a, b) => (!a || b.rows.length > a.rows.length ? b : a), undefined);
    if (!biggest || biggest.rows.length === 0) break;
    biggest.rows = biggest.rows.slice(0, Math.floor(biggest.rows.length / 2));
    biggest.row_count = biggest.rows.length;
    biggest.truncated = true;
    // The spec repeats the rows: the stored tile shows its (shortened) table instead.
    biggest.spec = null;
    text = JSON.stringify(result);
  }
  return text;
}

/** How a run went, or that there was no data to read (the schedule pauses instead of failing). */
type Outcome = { status: ScheduledRunStatus; error: string | null; result: RunEvent['result']; restricted: boolean } | { pause: 'teardown' };

/** What happened in one run, for whoever attaches work to runs (delivering results to publish targets). */
export interface RunEvent {
  schedule: Schedule;
  run: ScheduledRun;
  tenantId: string;
  result: QuestionRun | DashboardData | { sync_run_id: string } | null;
}

export interface ScheduleServiceDeps {
  db: Kysely<Database>;
  tenants: TenantService;
  tools: ToolService;
  questions: QuestionService;
  dashboards: DashboardService;
  warehouse: WarehouseService;
  logger: Logger;
}

/**
 * Schedules of questions, dashboards and syncs: when they run next (cron in
 * the schedule's time zone), a minutely pg-boss tick that claims the due ones
 * (FOR UPDATE SKIP LOCKED, so any number of workers share them), and runs
 * stored with their results.
 */
export class ScheduleService {
  private boss: PgBoss | undefined;
  private readonly listeners: Array<(event: RunEvent) => Promise<void> | void> = [];

  constructor(private readonly deps: ScheduleServiceDeps) {
    deps.warehouse.onTeardown((tenantId) => this.pauseForTeardown(tenantId));
    deps.warehouse.jobs.onSynced((tenantId) => this.afterSync(tenantId));
  }

  /** Work to do after each run (the next issue's delivery step attaches here). */
  onRun(listener: (event: RunEvent) => Promise<void> | void): void {
    this.listeners.push(listener);
  }

  // ---- what people set --------------------------------------------------

  async get(membership: MembershipRow, target: ScheduleTarget, targetId: string | null): Promise<Schedule | null> {
    const ref = await this.resolveTarget(membership, target, targetId, 'read');
    const row = await this.find(membership.tenant_id, target, ref);
    return row ? presentSchedule(row) : null;
  }

  /** Sets (or replaces) the target's schedule, as the member who sets it; a paused or failing one starts afresh. */
  async put(membership: MembershipRow, target: ScheduleTarget, targetId: string | null, body: ScheduleBody, now = new Date()): Promise<Schedule> {
    const ref = await this.resolveTarget(membership, target, targetId, 'write');
    if (target === 'warehouse' && body.after_sync) throw new AppError(400, ERROR_CODES.validation, 'A sync schedule cannot follow syncs', { after_sync: ['only questions and dashboards can run after each sync'] });
    const when = { every: body.every ?? null, at: body.every ? (body.at ?? '00:00') : null, day: body.day ?? null, cron: body.cron?.trim() ?? null, timezone: body.timezone };
    const values = {
      ...when,
      after_sync: body.after_sync ?? false,
      membership_id: membership.membership_id,
      state: 'active' as const,
      reason: null,
      paused_for: null,
      next_run_at: nextRun(when, now),
      updated_at: now,
    };
    const existing = await this.find(membership.tenant_id, target, ref);
    const row = existing
      ? await this.deps.db.updateTable('schedule').set(values).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow()
      : await this.deps.db
          .insertInto('schedule')
          .values({ ...values, tenant_id: membership.tenant_id, target, question_id: ref.questionId, dashboard_id: ref.dashboardId })
          .returningAll()
          .executeTakeFirstOrThrow();
    return presentSchedule(row);
  }

  async remove(membership: MembershipRow, target: ScheduleTarget, targetId: string | null): Promise<void> {
    const ref = await this.resolveTarget(membership, target, targetId, 'write');
    const row = await this.find(membership.tenant_id, target, ref);
    if (!row) throw notFound('A schedule');
    await this.deps.db.deleteFrom('schedule').where('id', '=', row.id).execute();
  }

  /** The target's stored runs, newest first. */
  async runs(membership: MembershipRow, target: ScheduleTarget, targetId: string | null): Promise<ScheduledRun[]> {
    const ref = await this.resolveTarget(membership, target, targetId, 'read');
    const row = await this.find(membership.tenant_id, target, ref);
    if (!row) return [];
    const runs = await this.deps.db.selectFrom('scheduled_run').selectAll().where('schedule_id', '=', row.id).orderBy('finished_at', 'desc').limit(RUNS_KEPT).execute();
    return runs.map(presentRun);
  }

  /** Runs the target's schedule now (its "Run now" button), as if it were due. */
  async runNow(membership: MembershipRow, target: ScheduleTarget, targetId: string | null): Promise<ScheduledRun> {
    const ref = await this.resolveTarget(membership, target, targetId, 'write');
    const row = await this.find(membership.tenant_id, target, ref);
    if (!row) throw notFound('A schedule');
    const run = await this.execute(row.id);
    if (!run) throw new AppError(409, ERROR_CODES.conflict, 'This schedule is paused; set it again to resume it.');
    return run;
  }

  private async resolveTarget(membership: MembershipRow, target: ScheduleTarget, targetId: string | null, mode: 'read' | 'write') {
    if (target === 'warehouse') {
      if (mode === 'write') authorize(membership, 'warehouse.schedule');
      return { questionId: null, dashboardId: null };
    }
    const row = target === 'question' ? await this.deps.questions.row(membership, targetId ?? '') : await this.deps.dashboards.row(membership, targetId ?? '');
    if (mode === 'write' && !canEdit(membership, row.author_user_id)) {
      throw new AppError(403, ERROR_CODES.forbidden, `Only the ${target}'s author, and the domain's owners and admins, can schedule it.`);
    }
    return target === 'question' ? { questionId: row.id, dashboardId: null } : { questionId: null, dashboardId: row.id };
  }

  private find(tenantId: string, target: ScheduleTarget, ref: { questionId: string | null; dashboardId: string | null }): Promise<ScheduleRow | undefined> {
    let query = this.deps.db.selectFrom('schedule').selectAll().where('tenant_id', '=', tenantId).where('target', '=', target);
    if (ref.questionId) query = query.where('question_id', '=', ref.questionId);
    if (ref.dashboardId) query = query.where('dashboard_id', '=', ref.dashboardId);
    return query.executeTakeFirst();
  }

  // ---- running -----------------------------------------------------------

  /** Takes due runs from pg-boss (any worker process); without it, `tick` runs them itself (tests, `scout sync`). */
  async attachWorker(boss: PgBoss): Promise<void> {
    this.boss = boss;
    await boss.createQueue(SCHEDULE_TICK_QUEUE);
    await boss.createQueue(SCHEDULE_RUN_QUEUE);
    await boss.work(SCHEDULE_TICK_QUEUE, async () => {
      await this.tick();
    });
    await boss.work<{ scheduleId: string }>(SCHEDULE_RUN_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
      if (job) await this.execute(job.data.scheduleId);
    });
    await boss.schedule(SCHEDULE_TICK_QUEUE, '* * * * *');
  }

  /**
   * Claims the schedules due at `now` and moves each to its next time in the
   * same transaction (a schedule is claimed once however many workers tick),
   * then runs them: queued for the workers, or here and awaited.
   */
  async tick(now = new Date()): Promise<string[]> {
    const claimed = await this.deps.db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('schedule')
        .selectAll()
        .where('state', '<>', 'paused')
        .where('next_run_at', '<=', now)
        .orderBy('next_run_at')
        .limit(TICK_BATCH)
        .forUpdate()
        .skipLocked()
        .execute();
      const perTenant = new Map<string, number>();
      const taken = due.filter((row) => {
        const count = perTenant.get(row.tenant_id) ?? 0;
        perTenant.set(row.tenant_id, count + 1);
        return count < PER_TENANT_PER_TICK;
      });
      for (const row of taken) await trx.updateTable('schedule').set({ next_run_at: nextRun(row, now) }).where('id', '=', row.id).execute();
      return taken.map((row) => row.id);
    });
    await this.dispatch(claimed);
    return claimed;
  }

  private async dispatch(ids: string[]): Promise<void> {
    const boss = this.boss;
    if (boss) {
      for (const id of ids) await boss.send(SCHEDULE_RUN_QUEUE, { scheduleId: id }, { singletonKey: id, retryLimit: 0, expireInSeconds: 15 * 60 });
      return;
    }
    for (const id of ids) await this.execute(id);
  }

  /** After a domain's sync: its schedules that follow syncs run, and those a cleared warehouse paused resume. */
  async afterSync(tenantId: string): Promise<void> {
    await this.deps.db
      .updateTable('schedule')
      .set({ state: 'active', reason: null, paused_for: null, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('paused_for', '=', 'teardown')
      .execute();
    const following = await this.deps.db.selectFrom('schedule').select('id').where('tenant_id', '=', tenantId).where('after_sync', '=', true).where('state', '<>', 'paused').execute();
    await this.dispatch(following.map((row) => row.id));
  }

  private async pauseForTeardown(tenantId: string): Promise<void> {
    await this.deps.db
      .updateTable('schedule')
      .set({ state: 'paused', paused_for: 'teardown', reason: "This domain's data was cleared. The schedule resumes after the next sync.", updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('target', '<>', 'warehouse')
      .where('state', '<>', 'paused')
      .execute();
  }

  /** Runs one schedule now and stores what it produced; undefined when it is paused or gone. */
  async execute(scheduleId: string): Promise<ScheduledRun | undefined> {
    const schedule = await this.deps.db.selectFrom('schedule').selectAll().where('id', '=', scheduleId).executeTakeFirst();
    if (!schedule || schedule.state === 'paused') return undefined;
    const startedAt = new Date();
    const membership = await this.deps.tenants.byId(schedule.membership_id);
    if (!membership) {
      await this.pause(schedule, 'member_gone', 'The member who set this schedule is no longer in the domain; set it again to resume it.');
      return undefined;
    }
    let outcome: Outcome;
    try {
      outcome = await this.perform(schedule, membership);
    } catch (error) {
      this.deps.logger.warn({ err: { message: (error as Error).message }, scheduleId }, 'scheduled run failed');
      const message = error instanceof AppError && error.status < 500 ? error.message : 'The run failed because of an internal error; it will be tried again at the next scheduled time.';
      outcome = { status: 'failed', error: message, result: null, restricted: false };
    }
    if ('pause' in outcome) {
      await this.pause(schedule, 'teardown', "This domain's data was cleared, or was never synced. The schedule resumes after the next sync.");
      return undefined;
    }
    const stored = await this.deps.db.transaction().execute(async (trx) => {
      const run = await trx
        .insertInto('scheduled_run')
        .values({
          tenant_id: schedule.tenant_id,
          schedule_id: schedule.id,
          question_id: schedule.question_id,
          dashboard_id: schedule.dashboard_id,
          status: outcome.status,
          restricted_to: outcome.restricted ? membership.membership_id : null,
          result: outcome.result === null ? null : storable(outcome.result),
          error: outcome.error,
          started_at: startedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const failing = outcome.status === 'failed';
      const updated = await trx
        .updateTable('schedule')
        .set({ last_run_at: run.finished_at, last_status: outcome.status, state: failing ? 'failing' : 'active', reason: failing ? outcome.error : null })
        .where('id', '=', schedule.id)
        .where('state', '<>', 'paused')
        .returningAll()
        .executeTakeFirst();
      await this.prune(trx, schedule);
      return { run, schedule: updated ?? schedule };
    });
    const event: RunEvent = { schedule: presentSchedule(stored.schedule), run: presentRun(stored.run), tenantId: schedule.tenant_id, result: outcome.result };
    for (const listener of this.listeners) {
      await Promise.resolve()
        .then(() => listener(event))
        .catch((error: Error) => this.deps.logger.warn({ err: { message: error.message }, scheduleId }, 'after-run work failed'));
    }
    return event.run;
  }

  private async perform(schedule: ScheduleRow, membership: MembershipRow): Promise<Outcome> {
    if (schedule.target === 'warehouse') {
      const { run } = await this.deps.warehouse.start(membership, 'incremental');
      return { status: 'completed', error: null, result: { sync_run_id: run.id }, restricted: false };
    }
    const tenantSchema = await this.deps.warehouse.tenantSchema(schedule.tenant_id);
    if (!tenantSchema || tenantSchema.state === 'expired' || tenantSchema.state === 'teardown' || !tenantSchema.last_sync_at) {
      return { pause: 'teardown' };
    }
    const ctx = tenantContext(membership, 'schedule');
    const reader = await this.deps.tools.reader(ctx);
    if ('error' in reader) return { status: 'failed', error: reader.error, result: null, restricted: false };
    const restricted = reader.scope !== undefined;
    if (schedule.target === 'question') {
      const envelope = await this.deps.tools.call(ctx, 'run_question', { id: schedule.question_id });
      if (!envelope.success) return { status: 'failed', error: envelope.error.message, result: null, restricted };
      return { status: 'completed', error: null, result: envelope.data as QuestionRun, restricted };
    }
    const dashboard = await this.deps.dashboards.row(membership, schedule.dashboard_id ?? '');
    const defaults: Record<string, ParameterValue> = {};
    for (const filter of dashboard.filters) if (filter.default !== undefined) defaults[filter.name] = filter.default;
    const data = await this.deps.dashboards.runAll(ctx, dashboard, defaults);
    const failed = data.tiles.filter((tile) => tile.status === 'error');
    const ran = data.tiles.filter((tile) => tile.run || tile.status === 'error');
    const status: ScheduledRunStatus = failed.length === 0 ? 'completed' : failed.length === ran.length ? 'failed' : 'partial';
    const error = failed.length ? `${failed.length} of ${ran.length} tiles failed: ${failed[0]!.error?.message ?? ''}` : null;
    return { status, error, result: { ...data, source: 'stored' }, restricted };
  }

  private async pause(schedule: ScheduleRow, why: 'teardown' | 'member_gone', reason: string): Promise<void> {
    await this.deps.db.updateTable('schedule').set({ state: 'paused', paused_for: why, reason, updated_at: new Date() }).where('id', '=', schedule.id).execute();
  }

  /** Keeps the newest RUNS_KEPT runs of the schedule's target. */
  private async prune(trx: Kysely<Database>, schedule: ScheduleRow): Promise<void> {
    const keep = trx.selectFrom('scheduled_run').select('id').where('schedule_id', '=', schedule.id).orderBy('finished_at', 'desc').limit(RUNS_KEPT);
    await trx.deleteFrom('scheduled_run').where('schedule_id', '=', schedule.id).where('id', 'not in', keep).execute();
  }
}
