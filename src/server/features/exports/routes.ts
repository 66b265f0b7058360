import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { z } from 'zod';
import { EXPORT_FORMATS, EXPORT_ID_HEADER, EXPORT_ROW_CAP_HEADER } from '../../../shared/exports';
import { parseBody } from '../../platform/http/body';
import { AppError } from '../../platform/http/errors';
import { ERROR_CODES } from '../../../shared/errors';
import type { RateLimit } from '../../platform/rate-limit';
import type { TenantEnv } from '../tenants/scope';
import { tenantContext } from '../tools/context';
import { XLSX_MAX_ROWS } from './limits';
import type { ExportService } from './service';

const exportRequest = z
  .object({
    sql: z.string({ error: 'Write a SELECT query' }).min(1, 'Write a SELECT query').max(100_000, 'The query is too long'),
    format: z.enum(EXPORT_FORMATS, { error: 'format must be csv or xlsx' }).default('csv'),
    request_id: z.uuid('request_id must be a UUID the client chose').optional(),
  })
  .strict();

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;

/** Mounted at /api/tenants/<membership id>: the whole result of a query as a file, and how an export went. */
export function exportsRouter(deps: { exports: ExportService; rateLimit: RateLimit }) {
  const router = new Hono<TenantEnv>();

  router.post('/exports', async (c) => {
    const request = await parseBody(c, exportRequest, { text: 'strict' });
    const ctx = tenantContext(c.get('membership'), 'api');
    const waitSeconds = await deps.rateLimit.take(ctx.userId);
    if (waitSeconds) throw new AppError(429, ERROR_CODES.rateLimited, `Too many requests; try again in ${waitSeconds} s.`, undefined, { 'Retry-After': String(waitSeconds) });
    const started = await deps.exports.start(ctx, request);
    // The client leaving stops the statement; a download that ended is not "left".
    const signal = c.req.raw.signal;
    const onAbort = () => {
      if (started.stream.readableEnded) return;
      started.abort();
      void deps.exports.abandon(started.id);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    started.stream.once('close', () => signal.removeEventListener('abort', onAbort));
    const cap = request.format === 'xlsx' ? Math.min(deps.exports.limits.maxRows, XLSX_MAX_ROWS) : deps.exports.limits.maxRows;
    return new Response(Readable.toWeb(started.stream) as ReadableStream<Uint8Array>, {
      status: 200,
      headers: {
        'Content-Type': CONTENT_TYPES[request.format],
        'Content-Disposition': `attachment; filename="${fileName(ctx.membership.domain, request.format)}"`,
        'Cache-Control': 'no-store',
        [EXPORT_ID_HEADER]: started.id,
        [EXPORT_ROW_CAP_HEADER]: String(cap),
        'Access-Control-Expose-Headers': `${EXPORT_ID_HEADER}, ${EXPORT_ROW_CAP_HEADER}, Content-Disposition`,
      },
    });
  });

  router.get('/exports/:exportId', async (c) => c.json(await deps.exports.status(c.get('membership'), c.req.param('exportId'))));

  return router;
}

/** `demo-clinic-2026-12-02-0514.csv`: the domain and when, in UTC (domain names are letters, digits and dashes). */
export function fileName(domain: string, format: string, now = new Date()): string {
  const stamp = now.toISOString().slice(0, 16).replace('T', '-').replace(':', '');
  return `${domain.replace(/[^A-Za-z0-9-]/g, '-')}-${stamp}.${format}`;
}
