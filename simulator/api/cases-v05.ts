import { type Context, type Hono, type MiddlewareHandler } from 'hono';
import { selectCases, type CaseFilter } from './case-query';
import { type SimContext, type SimEnv } from './env';
import { UserError, badRequest, jsonResponse, lastParam, queryParams } from './http';
import { caseV05 } from './presenters';
import { orderedWithin, reversed, type Selection } from './selection';
import { dateRange, listMeta, parsePage } from './tastypie';
import { type DomainData } from '../generator/domain-data';

/** GET /a/<domain>/api/v0.5/case/ (alias /api/case/v1/): tastypie offset paging over the case index. */

const FLAVOURS = ['v0.5/case', 'case/v1'] as const;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 5000;

/** order_by values the case resource accepts, and the timestamp each sorts on (null: indexed_on, the native order). */
const ORDERINGS: Record<string, 'serverModifiedUs' | 'modifiedUs' | null> = {
  indexed_on: null,
  server_date_modified: 'serverModifiedUs',
  date_modified: 'modifiedUs',
};

function filterFrom(params: URLSearchParams): CaseFilter {
  const one = (name: string) => {
    const value = lastParam(params, name);
    return value ? [value] : undefined;
  };
  const closed = lastParam(params, 'closed')?.toLowerCase();
  return {
    types: one('type'),
    owners: one('owner_id'),
    users: one('user_id'),
    externalIds: one('external_id'),
    ...(closed === 'true' || closed === 'false' ? { closed: closed === 'true' } : {}),
    indexedOn: dateRange(params, 'indexed_on'),
    serverModified: dateRange(params, 'server_date_modified'),
    modified: dateRange(params, 'date_modified'),
  };
}

function ordered(data: DomainData, filter: CaseFilter, orderBy: string): Selection {
  const descending = orderBy.startsWith('-');
  const field = descending ? orderBy.slice(1) : orderBy;
  if (field !== '' && !(field in ORDERINGS)) throw new UserError(`No matching '${field}' field for ordering on.`);
  const { selection, scanned, range } = selectCases(data, filter);
  const sortField = ORDERINGS[field];
  if (!sortField) return descending ? reversed(selection) : selection;
  const positions = () => scanned ?? Int32Array.from({ length: data.caseCount() }, (_, p) => p);
  const order = data.sortedCases(JSON.stringify({ ...filter, indexedOn: undefined }), positions, sortField);
  const within = orderedWithin(order, range[0], range[1], data.caseCount());
  return descending ? reversed(within) : within;
}

function listCases(c: Context<SimEnv>, ctx: SimContext, flavour: string): Response {
  const data = c.get('data');
  const params = queryParams(c);
  const listPath = `${ctx.basePath}/a/${data.domain}/api/${flavour}/`;
  try {
    const page = parsePage(params, DEFAULT_LIMIT, MAX_LIMIT);
    const selection = ordered(data, filterFrom(params), lastParam(params, 'order_by') ?? '');
    const objects = [];
    const end = Math.min(selection.count, page.offset + page.limit);
    for (let k = page.offset; k < end; k++) {
      const record = data.caseAt(selection.at(k));
      objects.push(caseV05(data.domain, record, `${listPath}${record.caseId}/`));
    }
    return jsonResponse(c, { meta: listMeta(listPath, params, page, selection.count), objects });
  } catch (error) {
    if (error instanceof UserError) return badRequest(c, error.message);
    throw error;
  }
}

export function registerCasesV05(app: Hono<SimEnv>, ctx: SimContext, guard: MiddlewareHandler<SimEnv>): void {
  for (const flavour of FLAVOURS) app.get(`/a/:domain/api/${flavour}`, guard, (c) => listCases(c, ctx, flavour));
}
