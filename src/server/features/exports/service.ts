import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { ERROR_CODES } from '../../../shared/errors';
import type { ExportFormat, ExportStatus } from '../../../shared/exports';
import type { Database } from '../../platform/db/schema';
import { AppError, notFound } from '../../platform/http/errors';
import type { Logger } from '../../platform/logger';
import { isUuid, type MembershipRow } from '../tenants/repo';
import type { TenantContext } from '../tools/context';
import { ensureReady } from '../tools/definitions';
import { queryLabel } from '../tools/query';
import { csvOut, rowBatches, type StreamOutcome } from '../tools/query/stream-out';
import type { ToolService } from '../tools/service';
import type { WarehouseService } from '../warehouse/service';
import { ensureScope } from '../warehouse/row-security';
import { EXPORTS_PER_DOMAIN, EXPORTS_PER_USER, XLSX_MAX_ROWS, type ExportLimits } from './limits';
import { presentExport } from './presenter';
import { xlsxStream } from './xlsx';

export interface ExportRequest {
  sql: string;
  format: ExportFormat;
  request_id?: string | undefined;
}

/** An export's bytes as they are written, how it ends, and how many rows it has written so far. */
interface Source {
  stream: Readable;
  outcome: Promise<StreamOutcome>;
  rows(): number;
  abort(): void;
}

export interface StartedExport {
  id: string;
  stream: Readable;
  /** Stops the export (the client went away). */
  abort(): void;
}

/** How often a running export writes its row count for those following it. */
const PROGRESS_EVERY_MS = 2_000;
/** A run still marked running this long after its time cap was interrupted (the process stopped). */
const STALE_AFTER_MS = 60_000;

/**
 * Exports of a query's whole result, streamed: through the same checks, role,
 * row security and audit as the query tool, with their own caps and slots.
 */
export class ExportService {
  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      tools: ToolService;
      warehouse: WarehouseService;
      warehousePool: pg.Pool;
      logger: Logger;
      limits: ExportLimits;
    },
  ) {}

  get limits(): ExportLimits {
    return this.deps.limits;
  }

  /** Starts an export; throws (before any byte) for what the query tool would refuse. */
  async start(context: TenantContext, request: ExportRequest): Promise<StartedExport> {
    const ctx = await this.deps.tools.reader(context);
    if ('error' in ctx) throw new AppError(403, ERROR_CODES.forbidden, ctx.error);
    const started = performance.now();
    const maxRows = request.format === 'xlsx' ? Math.min(this.limits.maxRows, XLSX_MAX_ROWS) : this.limits.maxRows;
    const audit = (outcome: { rows: number | null; error_code: string | null }) =>
      this.deps.tools.recordCall({
        user_id: ctx.userId,
        tenant_id: ctx.membership.tenant_id,
        membership_id: ctx.membership.membership_id,
        channel: 'api',
        tool: 'export',
        arguments: JSON.stringify({ sql: request.sql, format: request.format }),
        status: outcome.error_code ? 'error' : 'success',
        error_code: outcome.error_code,
        rows: outcome.rows,
        timing_ms: Math.round(performance.now() - started),
      });

    let source: Source;
    try {
      await ensureReady(ctx, this.deps);
      if (ctx.scope) await ensureScope(this.deps.warehousePool, ctx.schemaName, ctx.scope.id, ctx.scope.locationIds);
      const options = {
        reader: {
          schema: ctx.schemaName,
          ...(ctx.scope ? { scope: ctx.scope.id } : {}),
          ...(request.request_id ? { label: queryLabel(ctx.membership.membership_id, request.request_id) } : {}),
        },
        slots: {
          waitMs: 0,
          scopes: [
            { key: `export-user:${ctx.userId}`, limit: EXPORTS_PER_USER, busy: 'You already have an export running; wait for it to finish or cancel it.' },
            { key: `export-tenant:${ctx.membership.tenant_id}`, limit: EXPORTS_PER_DOMAIN, busy: `This domain already has ${EXPORTS_PER_DOMAIN} exports running; try again when one finishes.` },
          ],
        },
        maxRows,
        maxBytes: this.limits.maxBytes,
        timeoutMs: this.limits.timeoutMs,
      };
      if (request.format === 'csv') {
        source = await csvOut(this.deps.warehousePool, request.sql, options);
      } else {
        const batches = await rowBatches(this.deps.warehousePool, request.sql, options);
        const xlsx = xlsxStream(batches, { sql: request.sql, domain: ctx.membership.domain, cap: maxRows });
        source = { ...xlsx, abort: batches.abort };
      }
    } catch (error) {
      const refused = asRefusal(error);
      audit({ rows: null, error_code: refused.code });
      throw refused;
    }

    const run = await this.deps.db
      .insertInto('export_run')
      .values({ request_id: request.request_id ?? null, membership_id: ctx.membership.membership_id, format: request.format, state: 'running', message: null, finished_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const recorded = this.follow(run.id, source, audit, maxRows);
    // The response ends only once the outcome is recorded: a client asking the status right after the last byte reads the truth.
    const stream = new Transform({
      transform: (chunk, _encoding, done) => done(null, chunk),
      flush: (done) => void recorded.then(() => done()),
    });
    pipeline(source.stream, stream).catch(() => undefined);
    return { id: run.id, stream, abort: source.abort };
  }

  /** Records progress while it runs and the outcome when it ends: the audit record and the run's state. */
  private follow(id: string, source: Source, audit: (o: { rows: number | null; error_code: string | null }) => void, cap: number): Promise<void> {
    let reported = 0;
    const progress = setInterval(() => {
      const rows = source.rows();
      if (rows === reported) return;
      reported = rows;
      void this.deps.db.updateTable('export_run').set({ rows }).where('id', '=', id).where('state', '=', 'running').execute().catch(() => undefined);
    }, PROGRESS_EVERY_MS);
    progress.unref();
    void source.outcome.finally(() => clearInterval(progress)).catch(() => undefined);
    return source.outcome.then(
      async (outcome) => {
        const message = outcome.truncated
          ? outcome.truncated === 'rows'
            ? `Stopped at the export cap of ${cap.toLocaleString('en')} rows; filter or split the query to export the rest.`
            : `Stopped at the export size cap (${Math.round(this.limits.maxBytes / 1024 / 1024).toLocaleString('en')} MB); select fewer columns or filter to export the rest.`
          : null;
        audit({ rows: outcome.rows, error_code: null });
        await this.finish(id, { state: outcome.truncated ? 'truncated' : 'completed', rows: outcome.rows, bytes: outcome.bytes, message });
      },
      async (error: unknown) => {
        const refused = asRefusal(error);
        if (refused.status >= 500) this.deps.logger.error({ err: { type: (error as Error)?.name, message: (error as Error)?.message } }, 'export failed');
        audit({ rows: null, error_code: refused.code });
        await this.finish(id, { state: refused.code === 'QUERY_CANCELLED' ? 'cancelled' : 'failed', message: refused.message });
      },
    );
  }

  /** The client left before the end: the export stops and says so. */
  async abandon(id: string): Promise<void> {
    await this.finish(id, { state: 'cancelled', message: 'The download was stopped before it finished.' });
  }

  private async finish(id: string, values: { state: ExportStatus['state']; rows?: number; bytes?: number; message: string | null }) {
    await this.deps.db
      .updateTable('export_run')
      .set({ ...values, finished_at: new Date() })
      .where('id', '=', id)
      .where('state', '=', 'running')
      .execute()
      .catch((error: Error) => this.deps.logger.error({ err: { message: error.message } }, 'could not record an export outcome'));
  }

  /** An export of this member's by its id or the request id it was started with. */
  async status(membership: MembershipRow, id: string): Promise<ExportStatus> {
    if (!isUuid(id)) throw notFound('This export');
    const row = await this.deps.db
      .selectFrom('export_run')
      .selectAll()
      .where('membership_id', '=', membership.membership_id)
      .where((eb) => eb.or([eb('id', '=', id), eb('request_id', '=', id)]))
      .orderBy('started_at', 'desc')
      .executeTakeFirst();
    if (!row) throw notFound('This export');
    const stale = row.state === 'running' && Date.now() - row.started_at.getTime() > this.limits.timeoutMs + STALE_AFTER_MS;
    return presentExport(stale ? { ...row, state: 'failed', message: 'The export was interrupted (Scout restarted); run it again.' } : row);
  }
}

/** The engine's refusals as HTTP answers with the field they concern; anything else stays an internal error. */
function asRefusal(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown })?.code;
  const message = (error as Error)?.message ?? 'The export failed';
  switch (code) {
    case 'QUERY_REJECTED':
    case 'VALIDATION_ERROR':
      return new AppError(400, String(code), `The query can't be exported: ${message}`, { sql: [message] });
    case 'QUERY_TIMEOUT':
      return new AppError(400, 'QUERY_TIMEOUT', message.replace('its time limit', 'the export time limit'), { sql: [message] });
    case 'QUERY_CANCELLED':
      return new AppError(409, 'QUERY_CANCELLED', 'The export was cancelled, as asked.');
    case 'RATE_LIMITED':
      return new AppError(429, ERROR_CODES.rateLimited, message);
    case 'SCHEMA_NOT_READY':
      return new AppError(409, 'SCHEMA_NOT_READY', message);
    default:
      return new AppError(500, ERROR_CODES.internal, 'The export failed because of an internal error; try again.');
  }
}
