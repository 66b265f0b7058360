import { type Context, type Hono } from 'hono';
import { caseFilterKey, selectCases, type CaseFilter, type DateBounds } from './case-query';
import { type SimContext, type SimEnv } from './env';
import { CASE_FIELDS } from './es-fields';
import { EsQueryError, exactTerm, filterParams, take, takeRange, termOn, type Term } from './es-terms';
import { type GuardFor } from './guard';
import { UserError, badRequest, errorPage, jsonResponse, lastParam, queryParams } from './http';
import { caseV05 } from './presenters';
import { orderedWithin, reversed, type Selection } from './selection';
import { checkOrdering, listMeta, parsePage } from './tastypie';
import { type CaseProbe, type DomainData } from '../generator/domain-data';

/**
 * GET /a/<domain>/api/v0.5/case/ (alias /api/case/v1/): tastypie offset
 * paging over the case index, filtered as HQ's es_query_from_get_params
 * does for cases: a few consumed parameters (case_name, case_type, *.exact,
 * date ranges) and a lowercased Elasticsearch term for every other one
 * (`type`, `owner_id`, `user_id`, `closed`, ...; unknown ones match nothing).
 */

const FLAVOURS = ['v0.5/case', 'case/v1'] as const;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 5000;

/** CommCareCaseResource's fields (v0.3 + v0.4): ordering on one outside ORDERINGS has its own message. */
const FIELDS = [
  'case_id', 'child_cases', 'closed', 'closed_by', 'date_closed', 'date_modified', 'domain', 'id', 'indexed_on', 'indices', 'opened_by',
  'parent_cases', 'properties', 'resource_uri', 'server_date_modified', 'server_date_opened', 'user_id', 'xform_ids', 'xforms_by_name', 'xforms_by_xmlns',
];

/** order_by values the case resource accepts, and the timestamp each sorts on (null: indexed_on, the native order). */
const ORDERINGS: Record<string, 'serverModifiedUs' | 'modifiedUs' | null> = {
  indexed_on: null,
  server_date_modified: 'serverModifiedUs',
  date_modified: 'modifiedUs',
};

/** case_param_consumers: TermParam(case_name → name, analysed), (case_type → type, analysed) and the exact ones. */
const CONSUMED_TERMS: readonly [param: string, field: string, analysed: boolean][] = [
  ['case_name', 'name', true],
  ['case_type', 'type', true],
  ['type.exact', 'type.exact', false],
  ['name.exact', 'name.exact', false],
  ['external_id.exact', 'external_id.exact', false],
  ['contact_phone_number', 'contact_phone_number', false],
];

function filterFrom(params: URLSearchParams): CaseFilter {
  const rest = filterParams(params);
  const terms: Term<CaseProbe>[] = [];
  for (const [param, field, analysed] of CONSUMED_TERMS) {
    const value = take(rest, param);
    if (!value) continue;
    const fieldDef = CASE_FIELDS[field]!;
    terms.push(analysed ? termOn(field, fieldDef, value.toLowerCase()) : exactTerm(field, (p) => fieldDef.get(p) as string | null, value));
  }
  // DateRangeParams: server_modified_on, date_modified → modified_on, server_date_modified → server_modified_on, indexed_on → inserted_at.
  const serverModified: DateBounds = {};
  const modified: DateBounds = {};
  const indexedOn: DateBounds = {};
  takeRange(rest, 'server_modified_on', serverModified);
  takeRange(rest, 'date_modified', modified);
  takeRange(rest, 'server_date_modified', serverModified);
  takeRange(rest, 'indexed_on', indexedOn);
  // Everything left is term(param, value.lower()) on the case index.
  for (const [param, value] of rest) terms.push(termOn(param, CASE_FIELDS[param], value.toLowerCase()));
  return { terms, indexedOn, serverModified, modified };
}

function ordered(data: DomainData, filter: CaseFilter, orderBy: string): Selection {
  const descending = orderBy.startsWith('-');
  const field = descending ? orderBy.slice(1) : orderBy;
  if (field !== '') checkOrdering(field, FIELDS, Object.keys(ORDERINGS));
  const { selection, scanned, range } = selectCases(data, filter);
  const sortField = ORDERINGS[field];
  if (!sortField) return descending ? reversed(selection) : selection;
  const positions = () => scanned ?? Int32Array.from({ length: data.caseCount() }, (_, p) => p);
  const order = data.sortedCases(caseFilterKey({ ...filter, indexedOn: undefined }), positions, sortField);
  const within = orderedWithin(order, range[0], range[1], data.caseCount());
  return descending ? reversed(within) : within;
}

function listCases(c: Context<SimEnv>, ctx: SimContext, flavour: string): Response {
  const data = c.get('data');
  const params = queryParams(c);
  const listPath = `${ctx.basePath}/a/${data.domain}/api/${flavour}/`;
  try {
    const page = parsePage(params, DEFAULT_LIMIT, MAX_LIMIT);
    const filter = { ...filterFrom(params), restriction: c.get('scope') };
    const selection = ordered(data, filter, lastParam(params, 'order_by') ?? '');
    const objects = [];
    const end = Math.min(selection.count, page.offset + page.limit);
    for (let k = page.offset; k < end; k++) {
      const record = data.caseAt(selection.at(k));
      objects.push(caseV05(data.domain, record, `${listPath}${record.caseId}/`));
    }
    return jsonResponse(c, { meta: listMeta(listPath, params, page, selection.count), objects });
  } catch (error) {
    if (error instanceof UserError) return badRequest(c, error.message);
    // Elasticsearch refused the query; HQ lets the ESError through as a 500 page.
    if (error instanceof EsQueryError) return errorPage(c, 500);
    throw error;
  }
}

export function registerCasesV05(app: Hono<SimEnv>, ctx: SimContext, guardFor: GuardFor): void {
  // CommCareCaseResource: RequirePermissionAuthentication(edit_data); not @location_safe.
  const guard = guardFor({ permission: 'edit_data', locationSafe: false });
  for (const flavour of FLAVOURS) app.get(`/a/:domain/api/${flavour}`, guard, (c) => listCases(c, ctx, flavour));
}
