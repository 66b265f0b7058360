import type { Kysely } from 'kysely';
import type { DashboardData, QuestionRun } from '../../../shared/questions';
import { TABLE_EXCERPT_ROWS, type ScheduleDelivery, type TableExcerpt } from '../../../shared/publications';
import type { Database } from '../../platform/db/schema';
import { notFound } from '../../platform/http/errors';
import type { Logger } from '../../platform/logger';
import { authorize } from '../../platform/permissions';
import type { DashboardService } from '../dashboards/service';
import type { QuestionService } from '../questions/service';
import type { RunEvent, ScheduleService } from '../schedules/service';
import type { MembershipRow } from '../tenants/repo';
import type { TenantService } from '../tenants/service';
import type { PublicationService } from './service';

type Target = 'question' | 'dashboard';

/**
 * A scheduled question's or dashboard's delivery: each completed run becomes
 * a publication to one connector, waiting for approval, or published at once
 * when the domain's owner allowed that for this schedule and connector.
 */
export class DeliveryService {
  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      schedules: ScheduleService;
      questions: QuestionService;
      dashboards: DashboardService;
      publications: PublicationService;
      tenants: TenantService;
      logger: Logger;
    },
  ) {
    deps.schedules.onRun((event) => this.deliver(event));
  }

  private async scheduleOf(membership: MembershipRow, target: Target, id: string, mode: 'read' | 'write') {
    if (mode === 'write') await (target === 'question' ? this.deps.questions.editable(membership, id) : this.deps.dashboards.editable(membership, id));
    const schedule = await this.deps.schedules.get(membership, target, id);
    if (!schedule) throw notFound(`A schedule of this ${target} (schedule it first)`);
    return schedule;
  }

  async get(membership: MembershipRow, target: Target, id: string): Promise<ScheduleDelivery | null> {
    const schedule = await this.scheduleOf(membership, target, id, 'read');
    const row = await this.deps.db.selectFrom('schedule_delivery').selectAll().where('schedule_id', '=', schedule.id).executeTakeFirst();
    return row ? { connector_id: row.connector_id, auto_publish: row.auto_publish } : null;
  }

  async put(membership: MembershipRow, target: Target, id: string, body: { connector_id: string; auto_publish?: boolean | undefined }): Promise<ScheduleDelivery> {
    const schedule = await this.scheduleOf(membership, target, id, 'write');
    if (body.auto_publish) authorize(membership, 'publications.auto');
    await this.deps.publications.publishable(membership, body.connector_id);
    const values = { connector_id: body.connector_id, auto_publish: body.auto_publish ?? false, set_by: membership.user_id, updated_at: new Date() };
    await this.deps.db
      .insertInto('schedule_delivery')
      .values({ schedule_id: schedule.id, ...values })
      .onConflict((oc) => oc.column('schedule_id').doUpdateSet(values))
      .execute();
    return { connector_id: values.connector_id, auto_publish: values.auto_publish };
  }

  async remove(membership: MembershipRow, target: Target, id: string): Promise<void> {
    const schedule = await this.scheduleOf(membership, target, id, 'write');
    const deleted = await this.deps.db.deleteFrom('schedule_delivery').where('schedule_id', '=', schedule.id).executeTakeFirst();
    if (deleted.numDeletedRows === 0n) throw notFound('A delivery of this schedule');
  }

  /** After a run: a publication of its result, when the schedule delivers and the run produced something. */
  private async deliver(event: RunEvent): Promise<void> {
    if (event.run.status === 'failed' || !event.result || event.schedule.target === 'warehouse' || !event.schedule.target_id) return;
    const delivery = await this.deps.db.selectFrom('schedule_delivery').selectAll().where('schedule_id', '=', event.schedule.id).executeTakeFirst();
    if (!delivery) return;
    const schedule = await this.deps.db.selectFrom('schedule').select('membership_id').where('id', '=', event.schedule.id).executeTakeFirst();
    const member = schedule ? await this.deps.tenants.byId(schedule.membership_id) : undefined;
    if (!member) return;
    const content =
      event.schedule.target === 'question'
        ? questionContent((await this.deps.questions.row(member, event.schedule.target_id)).title, event.result as QuestionRun, event.run.finished_at)
        : dashboardContent((await this.deps.dashboards.row(member, event.schedule.target_id)).title, event.result as DashboardData, event.run.finished_at);
    const publication = await this.deps.publications.create(
      { membership: member },
      { connector_id: delivery.connector_id, ...content, source: { kind: 'schedule', id: event.schedule.id }, submit: true },
    );
    if (!delivery.auto_publish) return;
    // The owner allowed this schedule to publish to this connector without approval: their approval stands for it.
    const owner = await this.deps.db.selectFrom('tenant_membership').select('id').where('tenant_id', '=', event.tenantId).where('user_id', '=', delivery.set_by ?? '').where('role', '=', 'owner').where('archived_at', 'is', null).executeTakeFirst();
    const approver = owner ? await this.deps.tenants.byId(owner.id) : undefined;
    if (!approver) {
      this.deps.logger.warn({ scheduleId: event.schedule.id }, 'auto-publish set by someone no longer the owner: left for approval');
      return;
    }
    await this.deps.publications.approve(approver, publication.id, { automatic: true });
  }
}

const day = (iso: string) => iso.slice(0, 10);
const cell = (value: unknown) => (value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)).slice(0, 500);

/** The first rows of a run as text cells: what goes under a post. */
export function excerptOf(run: QuestionRun): TableExcerpt | null {
  if (run.columns.length === 0) return null;
  return { columns: run.columns.slice(0, 20).map((c) => c.name), rows: run.rows.slice(0, TABLE_EXCERPT_ROWS).map((row) => row.slice(0, 20).map(cell)) };
}

export function questionContent(title: string, run: QuestionRun, finishedAt: string) {
  const single = run.rows.length === 1 && run.columns.length === 1;
  const text = single ? `${run.columns[0]!.name}: ${cell(run.rows[0]![0])}` : `${run.row_count} rows${run.truncated ? ' (the first ones)' : ''}, as of ${day(finishedAt)}.`;
  return { title: `${title} (${day(finishedAt)})`.slice(0, 200), text, chart: run.spec ?? null, table: single ? null : excerptOf(run) };
}

export function dashboardContent(title: string, data: DashboardData, finishedAt: string) {
  const lines: string[] = [];
  let chart = null;
  let table: TableExcerpt | null = null;
  for (const tile of data.tiles) {
    const run = tile.run;
    if (!run) continue;
    if (run.rows.length === 1 && run.columns.length === 1) lines.push(`${run.columns[0]!.name}: ${cell(run.rows[0]![0])}`);
    chart ??= run.spec ?? null;
    if (!run.spec && !table && run.rows.length > 1) table = excerptOf(run);
  }
  return { title: `${title} (${day(finishedAt)})`.slice(0, 200), text: [`As of ${day(finishedAt)}.`, ...lines].join('\n'), chart, table };
}
