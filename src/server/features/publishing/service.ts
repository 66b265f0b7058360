import type { Kysely } from 'kysely';
import type PgBoss from 'pg-boss';
import { ERROR_CODES } from '../../../shared/errors';
import type { Publication, PublicationPreview, PublicationSourceKind, TableExcerpt } from '../../../shared/publications';
import type { ChartSpec } from '../../../shared/charts/spec';
import type { Database } from '../../platform/db/schema';
import type { Egress } from '../../platform/http/egress';
import { AppError, notFound } from '../../platform/http/errors';
import type { Logger } from '../../platform/logger';
import { authorize, can } from '../../platform/permissions';
import type { ConnectorService } from '../connectors/service';
import type { MembershipRow } from '../tenants/repo';
import { adapterFor, type ConnectionTarget, type ConnectorAdapter, type PublishAttempts } from './adapters';
import { chartImage, checkedChart } from './chart';
import type { PublicationBody, PublicationPatchBody } from './input';
import { EDITABLE_STATES, presentPublication, type PublicationRow } from './presenter';
import { findPublication, findTarget, publications, type TargetRow } from './repo';

export const PUBLISH_QUEUE = 'publications-publish';
export const RECOVER_QUEUE = 'publications-recover';
/** An approved publication untouched this long lost its worker: it is taken up again (checking the target first). */
const STALE_MINUTES = 10;
const LIST_MAX = 200;

export interface PublishRetry {
  /** Attempts of one approval, the first included. */
  attempts: number;
  /** Wait before the second attempt; doubled for each one after. */
  delayMs: number;
  /** How long one call to the target may take. */
  timeoutMs: number;
}
export const DEFAULT_PUBLISH_RETRY: PublishRetry = { attempts: 3, delayMs: 2_000, timeoutMs: 30_000 };

export interface PublicationServiceDeps {
  db: Kysely<Database>;
  connectors: ConnectorService;
  egress: Egress;
  logger: Logger;
  retry: PublishRetry;
}

/** Who wrote a publication: a member, or their agent on their behalf. */
export interface Drafter {
  membership: MembershipRow;
  viaAgent?: boolean;
}

/**
 * Publications: content for a connector that goes draft → pending approval
 * → (approved by an owner or admin) → published or failed. Nothing is posted
 * without an approval; the agent drafts, never approves. Publishing runs in
 * the background (pg-boss) with retries, and a retry after a timeout first
 * asks the target whether the earlier attempt already posted.
 */
export class PublicationService {
  private boss: PgBoss | undefined;

  constructor(private readonly deps: PublicationServiceDeps) {}

  async attachWorker(boss: PgBoss): Promise<void> {
    this.boss = boss;
    await boss.createQueue(PUBLISH_QUEUE);
    await boss.work<{ publicationId: string }>(PUBLISH_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
      if (job) await this.publish(job.data.publicationId);
    });
    await boss.createQueue(RECOVER_QUEUE);
    await boss.work(RECOVER_QUEUE, async () => {
      await this.recover();
    });
    await boss.schedule(RECOVER_QUEUE, '*/5 * * * *');
  }

  /** Takes up approved publications whose worker stopped mid-way; the attempt first asks the target for the post. */
  async recover(now = new Date()): Promise<string[]> {
    const stale = await this.deps.db
      .selectFrom('publication')
      .select('id')
      .where('state', 'in', ['approved', 'publishing'])
      .where('updated_at', '<', new Date(now.getTime() - STALE_MINUTES * 60_000))
      .limit(50)
      .execute();
    for (const { id } of stale) await this.publish(id);
    return stale.map((row) => row.id);
  }

  async list(membership: MembershipRow, filters: { state?: string; connectorId?: string; limit?: number } = {}): Promise<Publication[]> {
    let query = publications(this.deps.db).where('p.tenant_id', '=', membership.tenant_id);
    if (filters.state) query = filters.state === 'approved' ? query.where('p.state', 'in', ['approved', 'publishing']) : query.where('p.state', '=', filters.state as PublicationRow['state']);
    if (filters.connectorId) query = query.where('p.connector_id', '=', filters.connectorId);
    const rows = await query.orderBy('p.created_at', 'desc').orderBy('p.id').limit(Math.min(Math.max(filters.limit ?? 100, 1), LIST_MAX)).execute();
    return rows.map((row) => presentPublication(row, membership));
  }

  async get(membership: MembershipRow, id: string): Promise<Publication> {
    return presentPublication(await this.row(membership, id), membership);
  }

  private async row(membership: Pick<MembershipRow, 'tenant_id'>, id: string): Promise<PublicationRow> {
    const row = await findPublication(this.deps.db, membership.tenant_id, id);
    if (!row) throw notFound('This publication');
    return row;
  }

  /** A connector of the domain that can publish now, and its adapter; a 400 on connector_id saying why not. */
  private async target(membership: MembershipRow, connectorId: string): Promise<{ target: TargetRow; adapter: ConnectorAdapter }> {
    const target = await findTarget(this.deps.db, membership.tenant_id, connectorId);
    const refuse = (message: string) => new AppError(400, ERROR_CODES.validation, message, { connector_id: [message] });
    if (!target) throw refuse('is not a connector of this domain');
    if (target.deprecated) throw refuse(`${target.type_name} can't publish: ${target.deprecation_reason ?? 'it is deprecated'}`);
    const adapter = adapterFor(target.catalog_key);
    if (!adapter?.publish || target.capabilities.publish !== true) throw refuse(`Scout can't publish to ${target.type_name} yet`);
    // A connector in error may publish: its next success is what clears the error.
    if (target.status === 'inactive') throw refuse(`${target.name} is not active: activate it on the Connectors page first`);
    return { target, adapter };
  }

  /** The domain's connectors that can publish now (the agent's choice of target). */
  async targets(membership: MembershipRow): Promise<Array<{ id: string; name: string; catalog_key: string }>> {
    const rows = await this.deps.db
      .selectFrom('connector as c')
      .innerJoin('connector_catalog as k', 'k.id', 'c.catalog_id')
      .select(['c.id', 'c.name', 'k.key as catalog_key'])
      .where('c.tenant_id', '=', membership.tenant_id)
      .where('c.status', '=', 'active')
      .where('k.deprecated', '=', false)
      .orderBy('c.name')
      .execute();
    return rows.filter((row) => adapterFor(row.catalog_key)?.publish);
  }

  /** Throws a 400 on connector_id unless it is the domain's connector that can publish now. */
  async publishable(membership: MembershipRow, connectorId: string): Promise<void> {
    await this.target(membership, connectorId);
  }

  async create(drafter: Drafter, body: PublicationBody & { sourceKind?: PublicationSourceKind }): Promise<Publication> {
    const { membership } = drafter;
    authorize(membership, 'publications.draft');
    await this.target(membership, body.connector_id);
    const chart = body.chart ? checkedChart(body.chart) : null;
    const inserted = await this.deps.db
      .insertInto('publication')
      .values({
        tenant_id: membership.tenant_id,
        connector_id: body.connector_id,
        title: body.title,
        text: body.text,
        chart: chart ? JSON.stringify(chart) : null,
        table_excerpt: body.table ? JSON.stringify(body.table) : null,
        state: body.submit === false ? 'draft' : 'pending_approval',
        source_kind: body.source?.kind ?? 'manual',
        source_id: body.source?.id ?? null,
        drafted_by: membership.user_id,
        via_agent: drafter.viaAgent ?? false,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return this.get(membership, inserted.id);
  }

  async update(membership: MembershipRow, id: string, patch: PublicationPatchBody): Promise<Publication> {
    const row = await this.row(membership, id);
    if (!EDITABLE_STATES.has(row.state)) throw new AppError(409, ERROR_CODES.conflict, row.state === 'published' ? 'It is published already: it can no longer be changed.' : 'It is being published right now.');
    if (row.drafted_by !== membership.user_id && !can(membership, 'publications.approve')) {
      throw new AppError(403, ERROR_CODES.forbidden, 'Only whoever drafted it, and the domain’s owners and admins, can change it.');
    }
    if (patch.connector_id) await this.target(membership, patch.connector_id);
    const chart = patch.chart ? checkedChart(patch.chart) : patch.chart;
    // A change after a rejection or a failure is a new draft: it goes for approval again when submitted.
    const state = patch.submit === true ? 'pending_approval' : patch.submit === false || row.state === 'rejected' || row.state === 'failed' ? 'draft' : row.state;
    const updated = await this.deps.db
      .updateTable('publication')
      .set({
        ...(patch.connector_id ? { connector_id: patch.connector_id } : {}),
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.text !== undefined ? { text: patch.text } : {}),
        ...(chart !== undefined ? { chart: chart ? JSON.stringify(chart) : null } : {}),
        ...(patch.table !== undefined ? { table_excerpt: patch.table ? JSON.stringify(patch.table) : null } : {}),
        state,
        ...(state === 'draft' || state === 'pending_approval' ? { error: null } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', row.id)
      .where('state', '=', row.state)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n) throw new AppError(409, ERROR_CODES.conflict, 'It changed meanwhile; reload it and try again.');
    return this.get(membership, row.id);
  }

  /** An owner's or admin's yes: it is published in the background (or here, without a job queue). */
  async approve(membership: MembershipRow, id: string, options: { automatic?: boolean } = {}): Promise<Publication> {
    if (!options.automatic) authorize(membership, 'publications.approve');
    const row = await this.row(membership, id);
    if (row.connector_id) await this.target(membership, row.connector_id);
    else throw new AppError(409, ERROR_CODES.conflict, 'Its connector was deleted: choose another one first.');
    const approved = await this.deps.db
      .updateTable('publication')
      .set({ state: 'approved', approved_by: membership.user_id, approved_at: new Date(), error: null, updated_at: new Date() })
      .where('id', '=', row.id)
      .where('state', 'in', ['pending_approval', 'failed'])
      .executeTakeFirst();
    if (approved.numUpdatedRows === 0n) throw new AppError(409, ERROR_CODES.conflict, row.state === 'draft' ? 'It is a draft: send it for approval first.' : `It is ${row.state.replace('_', ' ')} already.`);
    if (this.boss) await this.boss.send(PUBLISH_QUEUE, { publicationId: row.id }, { singletonKey: row.id, retryLimit: 0, expireInSeconds: 15 * 60 });
    else await this.publish(row.id);
    return this.get(membership, row.id);
  }

  async reject(membership: MembershipRow, id: string, reason?: string): Promise<Publication> {
    authorize(membership, 'publications.approve');
    const row = await this.row(membership, id);
    const rejected = await this.deps.db
      .updateTable('publication')
      .set({ state: 'rejected', error: reason?.trim() || 'Rejected.', approved_by: membership.user_id, approved_at: new Date(), updated_at: new Date() })
      .where('id', '=', row.id)
      .where('state', 'in', ['draft', 'pending_approval', 'failed'])
      .executeTakeFirst();
    if (rejected.numUpdatedRows === 0n) throw new AppError(409, ERROR_CODES.conflict, `It is ${row.state} already: it can't be rejected.`);
    return this.get(membership, row.id);
  }

  async preview(membership: MembershipRow, body: { connector_id: string; title: string; text: string; table?: TableExcerpt | null | undefined; has_chart?: boolean | undefined }): Promise<PublicationPreview> {
    authorize(membership, 'publications.draft');
    const { target, adapter } = await this.target(membership, body.connector_id);
    const content = { title: body.title, text: body.text, table: body.table ?? null, hasImage: body.has_chart ?? false };
    const shown = adapter.preview ? adapter.preview(target.config, content) : { body: `${body.title}\n\n${body.text}`, format: 'text' as const, limit: null, warnings: [] };
    return { catalog_key: target.catalog_key, ...shown, length: [...shown.body].length };
  }

  /**
   * One approved publication to its target. Claims it (approved → publishing,
   * or a cut-off publishing attempt), asks the target first whether an earlier
   * attempt posted it, then posts, retrying transient failures.
   */
  async publish(id: string): Promise<void> {
    const claimed = await this.deps.db
      .updateTable('publication')
      .set((eb) => ({ state: 'publishing', attempts: eb('attempts', '+', 1), updated_at: new Date() }))
      .where('id', '=', id)
      .where('state', 'in', ['approved', 'publishing'])
      .returningAll()
      .executeTakeFirst();
    if (!claimed?.connector_id) return;
    const resumed = claimed.attempts > 1;
    const target = await findTarget(this.deps.db, claimed.tenant_id, claimed.connector_id);
    const adapter = target ? adapterFor(target.catalog_key) : undefined;
    if (!target || !adapter?.publish) return this.settle(claimed, { ok: false, message: 'Its connector can no longer publish.' });
    // The connector's own target: its provider's endpoints and a place to keep renewed tokens.
    const connection: ConnectionTarget = { ...(await this.deps.connectors.connectionTarget(claimed.tenant_id, target.id)), timeoutMs: this.deps.retry.timeoutMs, attempts: this.attemptLog() };
    const png = claimed.chart ? await chartImage(claimed.chart) : undefined;
    const content = {
      publicationId: claimed.id,
      title: claimed.title,
      text: claimed.text,
      table: claimed.table_excerpt,
      image: png ? { png, alt: chartAlt(claimed.chart!, claimed.title) } : null,
    };
    let last = 'It could not be published.';
    for (let attempt = 1; attempt <= this.deps.retry.attempts; attempt++) {
      try {
        // After a timeout (or a process that died mid-call) the post may exist: take it rather than post twice.
        if ((attempt > 1 || resumed) && adapter.findPublished) {
          let found;
          try {
            found = await adapter.findPublished(connection, claimed.id, this.deps.egress);
          } catch (error) {
            // The target can't say whether the earlier attempt posted: trying again could post twice, so a person decides.
            const message = error instanceof Error ? error.message : 'Scout could not tell whether an earlier attempt was posted.';
            return this.settle(claimed, { ok: false, message: `${message} Check the account, then approve again to retry.` });
          }
          if (found) return this.settle(claimed, { ok: true, ...found }, target.id);
        }
        const outcome = await adapter.publish(connection, content, this.deps.egress);
        if (outcome.ok) return this.settle(claimed, { ok: true, externalId: outcome.externalId, url: outcome.url }, target.id);
        last = outcome.message;
        if (!outcome.transient) return this.settle(claimed, { ok: false, message: outcome.message }, target.id);
      } catch (error) {
        this.deps.logger.warn({ err: { type: (error as Error).name, message: (error as Error).message }, publicationId: claimed.id }, 'publish attempt failed');
        last = 'Scout could not reach the target; it will try again.';
      }
      if (attempt < this.deps.retry.attempts) await new Promise((resolve) => setTimeout(resolve, this.deps.retry.delayMs * 2 ** (attempt - 1)));
    }
    return this.settle(claimed, { ok: false, message: `${last} (gave up after ${this.deps.retry.attempts} attempts)` }, target.id);
  }

  /** Where adapters without an idempotency key record what an attempt sends (the first attempt's time is kept). */
  private attemptLog(): PublishAttempts {
    const db = this.deps.db;
    return {
      async record(publicationId, attempt) {
        await db
          .updateTable('publication')
          .set((eb) => ({ attempt_text_sha256: attempt.textSha256, attempt_started_at: eb.fn.coalesce('attempt_started_at', eb.val(attempt.startedAt)) }))
          .where('id', '=', publicationId)
          .execute();
      },
      async find(publicationId) {
        const row = await db.selectFrom('publication').select(['attempt_text_sha256', 'attempt_started_at']).where('id', '=', publicationId).executeTakeFirst();
        return row?.attempt_text_sha256 && row.attempt_started_at ? { textSha256: row.attempt_text_sha256, startedAt: row.attempt_started_at } : undefined;
      },
    };
  }

  private async settle(row: PublicationRow | { id: string; tenant_id: string }, outcome: { ok: true; externalId: string; url: string | null } | { ok: false; message: string }, connectorId?: string): Promise<void> {
    if (outcome.ok) {
      await this.deps.db
        .updateTable('publication')
        .set({ state: 'published', external_id: outcome.externalId, external_url: outcome.url, published_at: new Date(), error: null, updated_at: new Date() })
        .where('id', '=', row.id)
        .execute();
      // A connector that failed before and just published works again.
      if (connectorId) await this.deps.db.updateTable('connector').set({ status: 'active', last_error: null, updated_at: new Date() }).where('id', '=', connectorId).where('status', '=', 'error').execute();
      return;
    }
    await this.deps.db.updateTable('publication').set({ state: 'failed', error: outcome.message.slice(0, 2_000), updated_at: new Date() }).where('id', '=', row.id).execute();
    if (connectorId) await this.deps.connectors.markError(row.tenant_id, connectorId, `Publishing failed: ${outcome.message}`);
  }
}

/** Words for the chart image: its title, or the post's. */
function chartAlt(spec: ChartSpec, fallback: string): string {
  const title = (spec as { title?: unknown }).title;
  const text = typeof title === 'string' ? title : typeof (title as { text?: unknown } | undefined)?.text === 'string' ? (title as { text: string }).text : fallback;
  return `Chart: ${text}`.slice(0, 300);
}
