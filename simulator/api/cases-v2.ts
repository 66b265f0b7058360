import { type Context, type Hono } from 'hono';
import { selectCases, type CaseFilter, type DateBounds } from './case-query';
import { type SimContext, type SimEnv } from './env';
import { type GuardFor } from './guard';
import { UserError, badRequest, jsonResponse, lastParam, queryParams } from './http';
import { caseV2 } from './presenters';
import { parseBoolean } from './tastypie';
import { type JsonObject } from '../generator/forms';
import { formatUtc, parseTimestamp } from '../time';
import { trimEnd } from '../../src/shared/text';

/**
 * GET /a/<domain>/api/case/v2/ (alias /api/v0.6/case/), after HQ's
 * hqcase/api/get_list.py: strict parameter validation, order (indexed_on,
 * case_id), and a cursor that is base64 of the query string plus
 * `indexed_on.gte` (the last case's indexed_on) and `last_case_id`. With a
 * cursor, every other parameter of the request is ignored. Location-safe: a
 * restricted caller gets only the cases their locations own
 * (query_location_restricted_cases), matching_records included.
 */

const FLAVOURS = ['case/v2', 'v0.6/case'] as const;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 5000;
const INDEXED_AFTER = 'indexed_on.gte';
const LAST_CASE_ID = 'last_case_id';

const SIMPLE: Record<string, keyof Pick<CaseFilter, 'types' | 'owners' | 'externalIds' | 'names'>> = {
  case_type: 'types',
  owner_id: 'owners',
  external_id: 'externalIds',
  case_name: 'names',
};

const DATE_FILTERS: Record<string, keyof Pick<CaseFilter, 'indexedOn' | 'modified' | 'serverModified' | 'opened' | 'closedOn'>> = {
  indexed_on: 'indexedOn',
  last_modified: 'modified',
  server_last_modified: 'serverModified',
  date_opened: 'opened',
  date_closed: 'closedOn',
};

function parseLimit(params: URLSearchParams): number {
  const raw = lastParam(params, 'limit') ?? String(DEFAULT_LIMIT);
  if (!/^\s*[+-]?\d+\s*$/.test(raw) || Number(raw) < 0) throw new UserError(`'${raw}' is not a valid value for 'limit'`);
  const limit = Number(raw);
  if (limit > MAX_LIMIT) throw new UserError(`You cannot request more than ${MAX_LIMIT} cases per request.`);
  return limit;
}

/** Several values for one date key are OR-ed, as HQ does: the loosest bound wins. */
function addBound(bounds: DateBounds, qualifier: string, value: string): void {
  if (qualifier !== 'gt' && qualifier !== 'gte' && qualifier !== 'lt' && qualifier !== 'lte') {
    throw new UserError(`'${qualifier}' is not a valid type of date range.`);
  }
  const parsed = parseTimestamp(value);
  if (!parsed) throw new UserError(`Cannot parse datetime '${value}'`);
  const current = bounds[qualifier];
  const loosest = qualifier.startsWith('g') ? Math.min(current ?? Infinity, parsed.us) : Math.max(current ?? -Infinity, parsed.us);
  bounds[qualifier] = loosest;
}

function filterFrom(params: URLSearchParams): CaseFilter {
  const filter: CaseFilter = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    if (key === 'limit' || key === 'include_deprecated') continue;
    const simple = SIMPLE[key];
    if (simple) {
      filter[simple] = values;
      continue;
    }
    if (key === 'closed') {
      const wanted = new Set(values.map(parseBoolean));
      if (wanted.size === 1) filter.closed = [...wanted][0];
      continue;
    }
    const dot = key.indexOf('.');
    const prefix = dot > 0 ? key.slice(0, dot) : '';
    const qualifier = key.slice(dot + 1);
    if (prefix === 'properties') {
      filter.properties = { ...filter.properties, [qualifier]: values };
      continue;
    }
    const dateField = DATE_FILTERS[prefix];
    if (dateField) {
      const bounds: DateBounds = filter[dateField] ?? {};
      for (const value of values) addBound(bounds, qualifier, value);
      filter[dateField] = bounds;
      continue;
    }
    if (prefix === 'indices' || key === 'query') throw new UserError(`'${key}' is valid on CommCare HQ but not supported by the simulator.`);
    throw new UserError(`'${key}' is not a valid parameter.`);
  }
  return filter;
}

/** Decodes a cursor into the query it carries; null when it isn't one of ours. */
function decodeCursor(cursor: string): URLSearchParams | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  if (trimEnd(Buffer.from(text, 'utf8').toString('base64'), '=') !== trimEnd(cursor, '=')) return null;
  return new URLSearchParams(text);
}

function listCases(c: Context<SimEnv>, ctx: SimContext, flavour: string): Response {
  const data = c.get('data');
  let params = queryParams(c);
  try {
    let after: CaseFilter['after'];
    if (params.has('cursor')) {
      const decoded = decodeCursor(lastParam(params, 'cursor') ?? '');
      if (!decoded) throw new UserError('Invalid cursor.');
      const lastDate = decoded.get(INDEXED_AFTER);
      const lastId = decoded.get(LAST_CASE_ID);
      decoded.delete(INDEXED_AFTER);
      decoded.delete(LAST_CASE_ID);
      const parsed = lastDate ? parseTimestamp(lastDate) : null;
      if (lastDate && !parsed) throw new UserError(`Cannot parse datetime '${lastDate}'`);
      if (parsed) after = { us: parsed.us, caseId: lastId ?? '' };
      params = decoded;
    }
    const limit = parseLimit(params);
    const filter = filterFrom(params);
    if (after) filter.after = after;
    filter.restriction = c.get('scope');
    const { selection } = selectCases(data, filter);

    const cases: JsonObject[] = [];
    let last: { indexedOnUs: number; caseId: string } | undefined;
    for (let k = 0; k < Math.min(limit, selection.count); k++) {
      const record = data.caseAt(selection.at(k));
      cases.push(caseV2(data.domain, record));
      last = record;
    }
    const body: JsonObject = { matching_records: selection.count, cases };
    if (last && selection.count > cases.length) {
      const next = new URLSearchParams(params);
      next.set(INDEXED_AFTER, formatUtc(last.indexedOnUs));
      next.set(LAST_CASE_ID, last.caseId);
      const cursor = Buffer.from(next.toString(), 'utf8').toString('base64');
      body.next = `${new URL(c.req.url).origin}${ctx.basePath}/a/${data.domain}/api/${flavour}/?cursor=${encodeURIComponent(cursor)}`;
    }
    return jsonResponse(c, body);
  } catch (error) {
    if (error instanceof UserError) return badRequest(c, error.message);
    throw error;
  }
}

export function registerCasesV2(app: Hono<SimEnv>, ctx: SimContext, guardFor: GuardFor): void {
  // case_api: @location_safe, require_permission(edit_data).
  const guard = guardFor({ permission: 'edit_data', locationSafe: true });
  for (const flavour of FLAVOURS) app.get(`/a/:domain/api/${flavour}`, guard, (c) => listCases(c, ctx, flavour));
}
