import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ERROR_CODES } from '../../../shared/errors';
import {
  SHARE_DAYS_DEFAULT,
  type Dashboard,
  type DashboardData,
  type DashboardFilter,
  type DashboardTile,
  type ParameterValue,
  type QuestionRun,
  type ShareLink,
  type SharedDashboard,
  type TileResult,
} from '../../../shared/questions';
import type { Database } from '../../platform/db/schema';
import { AppError, notFound } from '../../platform/http/errors';
import { authorize } from '../../platform/permissions';
import { canEdit } from '../questions/policy';
import { schedulesOf } from '../questions/repo';
import type { MembershipRow } from '../tenants/repo';
import type { TenantContext } from '../tools/context';
import { tenantContext } from '../tools/context';
import type { QueryCapacity } from '../tools/definitions';
import type { ToolService } from '../tools/service';
import { compatible, filterValues, tileParameters } from './filters';
import type { DashboardInput, DashboardPatch } from './input';
import { presentDashboard } from './presenter';
import { findDashboard, latestStoredRun, listDashboards, liveShares, type DashboardRow } from './repo';

const LIST_MAX = 200;
const DAY_MS = 24 * 60 * 60 * 1000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Runs `work` over `items`, at most `limit` at a time, keeping the order of the answers. */
async function pooled<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(lanes);
  return results;
}

export interface DashboardServiceDeps {
  db: Kysely<Database>;
  tools: ToolService;
  capacity: QueryCapacity;
  /** Scout's public origin, for share links. */
  origin: string;
}

/**
 * A domain's dashboards: tiles of saved questions and notes, a filter bar
 * mapped to the questions' parameters, live and stored data, share links.
 */
export class DashboardService {
  constructor(private readonly deps: DashboardServiceDeps) {}

  async list(membership: MembershipRow): Promise<Dashboard[]> {
    const rows = await listDashboards(this.deps.db, membership.tenant_id, LIST_MAX);
    const ids = rows.map((row) => row.id);
    const [schedules, shares] = await Promise.all([schedulesOf(this.deps.db, 'dashboard_id', ids), liveShares(this.deps.db, ids)]);
    return rows.map((row) => presentDashboard(row, membership, { schedule: schedules.get(row.id), share: shares.get(row.id) }));
  }

  async get(membership: MembershipRow, id: string): Promise<Dashboard> {
    const row = await this.row(membership, id);
    const [schedules, shares] = await Promise.all([schedulesOf(this.deps.db, 'dashboard_id', [row.id]), liveShares(this.deps.db, [row.id])]);
    return presentDashboard(row, membership, { schedule: schedules.get(row.id), share: shares.get(row.id) });
  }

  async row(membership: Pick<MembershipRow, 'tenant_id'>, id: string): Promise<DashboardRow> {
    const row = await findDashboard(this.deps.db, membership.tenant_id, id);
    if (!row) throw notFound('This dashboard');
    return row;
  }

  async create(membership: MembershipRow, input: DashboardInput): Promise<Dashboard> {
    authorize(membership, 'questions.create');
    const tiles = input.tiles ?? [];
    const filters = input.filters ?? [];
    await this.checkTiles(membership, tiles, filters);
    const inserted = await this.deps.db
      .insertInto('dashboard')
      .values({
        tenant_id: membership.tenant_id,
        author_user_id: membership.user_id,
        title: input.title,
        description: input.description ?? '',
        tiles: JSON.stringify(tiles),
        filters: JSON.stringify(filters),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return this.get(membership, inserted.id);
  }

  async update(membership: MembershipRow, id: string, patch: DashboardPatch): Promise<Dashboard> {
    const row = await this.editable(membership, id);
    const tiles = (patch.tiles ?? row.tiles) as DashboardTile[];
    const filters = (patch.filters ?? row.filters) as DashboardFilter[];
    if (patch.tiles !== undefined || patch.filters !== undefined) await this.checkTiles(membership, tiles, filters);
    await this.deps.db
      .updateTable('dashboard')
      .set({
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.tiles !== undefined ? { tiles: JSON.stringify(patch.tiles) } : {}),
        ...(patch.filters !== undefined ? { filters: JSON.stringify(patch.filters) } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', row.id)
      .execute();
    return this.get(membership, row.id);
  }

  async remove(membership: MembershipRow, id: string): Promise<void> {
    const row = await this.editable(membership, id);
    await this.deps.db.deleteFrom('dashboard').where('id', '=', row.id).execute();
  }

  async editable(membership: MembershipRow, id: string): Promise<DashboardRow> {
    const row = await this.row(membership, id);
    if (!canEdit(membership, row.author_user_id)) {
      throw new AppError(403, ERROR_CODES.forbidden, "Only the dashboard's author, and the domain's owners and admins, can change it.");
    }
    return row;
  }

  /** Every tile's answer now, as this member may see the data, with the filter bar's values from the URL. */
  async live(membership: MembershipRow, id: string, query: Record<string, string>): Promise<DashboardData> {
    const row = await this.row(membership, id);
    return this.runAll(tenantContext(membership, 'api'), row, filterValues(query, row.filters));
  }

  /** One tile's answer now (its refresh button). */
  async tile(membership: MembershipRow, id: string, tileId: string, query: Record<string, string>): Promise<TileResult> {
    const row = await this.row(membership, id);
    const tile = row.tiles.find((t) => t.id === tileId);
    if (!tile) throw notFound('This tile');
    return this.runTile(tenantContext(membership, 'api'), tile, filterValues(query, row.filters));
  }

  /**
   * The last scheduled run the member may see (it read no more than CommCare
   * shows them), or 404 when there is none: the page then runs it live.
   */
  async stored(membership: MembershipRow, id: string): Promise<DashboardData> {
    const row = await this.row(membership, id);
    const reader = await this.deps.tools.reader(tenantContext(membership, 'api'));
    if ('error' in reader) throw new AppError(403, ERROR_CODES.forbidden, reader.error);
    const stored = await latestStoredRun(this.deps.db, row.id, reader.scope ? { membershipId: membership.membership_id } : { unrestricted: true });
    if (!stored) throw notFound('A stored run of this dashboard');
    return { ...stored.result, source: 'stored' };
  }

  /** Runs every tile, at most as many at once as the member's query slots allow; one failing tile fails only itself. */
  async runAll(ctx: TenantContext, row: Pick<DashboardRow, 'id' | 'tiles'>, values: Record<string, ParameterValue>): Promise<DashboardData> {
    const ranAt = new Date();
    const lanes = Math.max(1, Math.min(this.deps.capacity.perUser, this.deps.capacity.perDomain));
    const tiles = await pooled(row.tiles, lanes, (tile) => this.runTile(ctx, tile, values));
    return { dashboard_id: row.id, source: 'live', ran_at: ranAt.toISOString(), filters: values, tiles };
  }

  private async runTile(ctx: TenantContext, tile: DashboardTile, values: Record<string, ParameterValue>): Promise<TileResult> {
    const started = performance.now();
    const timing = () => Math.round(performance.now() - started);
    if (tile.kind === 'text' || !tile.question_id) return { tile_id: tile.id, status: 'ok', timing_ms: 0 };
    const envelope = await this.deps.tools.call(ctx, 'run_question', { id: tile.question_id, parameters: tileParameters(tile, values) });
    if (!envelope.success) {
      const message = envelope.error.code === 'NOT_FOUND' ? 'The question this tile shows was deleted.' : envelope.error.message;
      return { tile_id: tile.id, status: 'error', error: { code: envelope.error.code, message }, timing_ms: timing() };
    }
    return { tile_id: tile.id, status: 'ok', run: envelope.data as QuestionRun, timing_ms: timing() };
  }

  /** Tiles name the domain's questions, and map filters to parameters those questions have, of a type that fits. */
  private async checkTiles(membership: MembershipRow, tiles: readonly DashboardTile[], filters: readonly DashboardFilter[]): Promise<void> {
    const ids = [...new Set(tiles.flatMap((tile) => (tile.question_id ? [tile.question_id] : [])))];
    const questions = ids.length
      ? await this.deps.db.selectFrom('question').select(['id', 'parameters']).where('tenant_id', '=', membership.tenant_id).where('id', 'in', ids).execute()
      : [];
    const byId = new Map(questions.map((q) => [q.id, q]));
    const filterByName = new Map(filters.map((f) => [f.name, f]));
    const fields: Record<string, string[]> = {};
    tiles.forEach((tile, index) => {
      if (!tile.question_id) return;
      const question = byId.get(tile.question_id);
      if (!question) {
        fields[`tiles.${index}.question_id`] = ['is not a saved question of this domain'];
        return;
      }
      for (const [filterName, parameterName] of Object.entries(tile.filters ?? {})) {
        const filter = filterByName.get(filterName);
        const parameter = question.parameters.find((p) => p.name === parameterName);
        const key = `tiles.${index}.filters.${filterName}`;
        if (!filter) fields[key] = [`there is no dashboard filter named ${filterName}`];
        else if (!parameter) fields[key] = [`the question has no parameter named ${parameterName}`];
        else if (!compatible(filter.type, parameter.type)) fields[key] = [`a ${filter.type} filter can't feed the ${parameter.type} parameter ${parameterName}`];
      }
    });
    if (Object.keys(fields).length > 0) throw new AppError(400, ERROR_CODES.validation, 'Some tiles need attention', fields);
  }

  /** Turns on a share link (replacing any live one): the token is in this answer only. */
  async share(membership: MembershipRow, id: string, days = SHARE_DAYS_DEFAULT): Promise<ShareLink> {
    authorize(membership, 'dashboards.share');
    const row = await this.row(membership, id);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + days * DAY_MS);
    const share = await this.deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('dashboard_share').set({ revoked_at: new Date() }).where('dashboard_id', '=', row.id).where('revoked_at', 'is', null).execute();
      return trx
        .insertInto('dashboard_share')
        .values({ dashboard_id: row.id, token_hash: hashToken(token), created_by: membership.user_id, expires_at: expiresAt })
        .returning(['id', 'created_at', 'expires_at'])
        .executeTakeFirstOrThrow();
    });
    return { id: share.id, created_at: share.created_at.toISOString(), expires_at: share.expires_at.toISOString(), url: `${this.deps.origin}/shared/${token}` };
  }

  async unshare(membership: MembershipRow, id: string): Promise<void> {
    authorize(membership, 'dashboards.share');
    const row = await this.row(membership, id);
    const revoked = await this.deps.db.updateTable('dashboard_share').set({ revoked_at: new Date() }).where('dashboard_id', '=', row.id).where('revoked_at', 'is', null).executeTakeFirst();
    if (revoked.numUpdatedRows === 0n) throw notFound('A share link of this dashboard');
  }

  /**
   * What a share link shows, signed out: the layout and the last scheduled
   * run that read the whole domain. No live query, no SQL. A wrong, revoked
   * or expired token is the same 404.
   */
  async shared(token: string): Promise<SharedDashboard> {
    const missing = () => notFound('This shared dashboard');
    if (token.length < 20 || token.length > 100) throw missing();
    const share = await this.deps.db
      .selectFrom('dashboard_share as s')
      .innerJoin('dashboard as d', 'd.id', 's.dashboard_id')
      .select(['d.id', 'd.title', 'd.description', 'd.tiles', 's.expires_at'])
      .where('s.token_hash', '=', hashToken(token))
      .where('s.revoked_at', 'is', null)
      .where('s.expires_at', '>', new Date())
      .executeTakeFirst();
    if (!share) throw missing();
    const stored = await latestStoredRun(this.deps.db, share.id, { unrestricted: true });
    const data = stored ? withoutSql(stored.result) : null;
    return { title: share.title, description: share.description, tiles: await this.titled(share.tiles), filters: data?.filters ?? {}, data, expires_at: share.expires_at.toISOString() };
  }

  /** Tiles with a title each: an untitled question tile is called what its question is (a visitor can't look it up). */
  private async titled(tiles: DashboardTile[]): Promise<DashboardTile[]> {
    const untitled = [...new Set(tiles.flatMap((tile) => (!tile.title && tile.question_id ? [tile.question_id] : [])))];
    if (untitled.length === 0) return tiles;
    const rows = await this.deps.db.selectFrom('question').select(['id', 'title']).where('id', 'in', untitled).execute();
    const titles = new Map(rows.map((row) => [row.id, row.title]));
    return tiles.map((tile) => (!tile.title && tile.question_id && titles.has(tile.question_id) ? { ...tile, title: titles.get(tile.question_id)! } : tile));
  }
}

/** A stored run as a share link shows it: results and charts, not the SQL behind them. */
function withoutSql(data: DashboardData): DashboardData {
  return {
    ...data,
    source: 'stored',
    tiles: data.tiles.map((tile) => (tile.run ? { ...tile, run: { ...tile.run, sql_executed: '' } } : tile)),
  };
}
