import { type Context, type Hono, type MiddlewareHandler } from 'hono';
import { type SimContext, type SimEnv } from './env';
import { UserError, badRequest, jsonResponse, lastParam, queryParams } from './http';
import { formV05 } from './presenters';
import { positionsWithin, rangeSelection, reversed, type Selection } from './selection';
import { dateRange, listMeta, parsePage } from './tastypie';
import { type DomainData } from '../generator/domain-data';

/**
 * GET /a/<domain>/api/v0.5/form/ (alias /api/form/v1/): tastypie offset
 * paging, newest received first unless order_by says otherwise. received_on,
 * indexed_on and server_modified_on all rise with the form sequence, so every
 * ordering and date filter is a range of it.
 */

const FLAVOURS = ['v0.5/form', 'form/v1'] as const;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;
const ORDER_FIELDS = new Set(['received_on', 'indexed_on', 'server_modified_on']);

function select(data: DomainData, params: URLSearchParams): Selection {
  const orderBy = lastParam(params, 'order_by') || '-received_on';
  const descending = orderBy.startsWith('-');
  const field = descending ? orderBy.slice(1) : orderBy;
  if (!ORDER_FIELDS.has(field)) throw new UserError(`No matching '${field}' field for ordering on.`);

  let lo = 0;
  let hi = data.formCount();
  for (const [name, field] of [
    ['received_on', 'received_on'],
    ['indexed_on', 'indexed_on'],
  ] as const) {
    const range = dateRange(params, name);
    if (range.gte !== undefined) lo = Math.max(lo, data.formBound(field, range.gte, false));
    if (range.lte !== undefined) hi = Math.min(hi, data.formBound(field, range.lte, true));
  }
  hi = Math.max(lo, hi);

  const xmlns = lastParam(params, 'xmlns');
  const appId = lastParam(params, 'app_id');
  let selection: Selection = rangeSelection(lo, hi);
  if (xmlns || appId) {
    const formMeta = (key: string) => data.gen.program.formMeta(key);
    const scanned = data.scanForms(JSON.stringify({ xmlns, appId }), (def) => {
      const meta = formMeta(def.key);
      return (!xmlns || meta.xmlns === xmlns) && (!appId || meta.appId === appId);
    });
    selection = positionsWithin(scanned, lo, hi);
  }
  return descending ? reversed(selection) : selection;
}

function listForms(c: Context<SimEnv>, ctx: SimContext, flavour: string): Response {
  const data = c.get('data');
  const params = queryParams(c);
  const listPath = `${ctx.basePath}/a/${data.domain}/api/${flavour}/`;
  try {
    const page = parsePage(params, DEFAULT_LIMIT, MAX_LIMIT);
    const selection = select(data, params);
    const objects = [];
    const end = Math.min(selection.count, page.offset + page.limit);
    for (let k = page.offset; k < end; k++) {
      const record = data.formAt(selection.at(k));
      objects.push(formV05(record, `${listPath}${record.id}/`));
    }
    return jsonResponse(c, { meta: listMeta(listPath, params, page, selection.count), objects });
  } catch (error) {
    if (error instanceof UserError) return badRequest(c, error.message);
    throw error;
  }
}

export function registerForms(app: Hono<SimEnv>, ctx: SimContext, guard: MiddlewareHandler<SimEnv>): void {
  for (const flavour of FLAVOURS) app.get(`/a/:domain/api/${flavour}`, guard, (c) => listForms(c, ctx, flavour));
}
