import { type AccessScope } from './access';
import { FORM_FIELDS } from './es-fields';
import { EsQueryError, exactTerm, filterParams, take, takeRange, termOn, type RangeBounds, type Term } from './es-terms';
import { UserError, lastParam } from './http';
import { checkOrdering } from './tastypie';
import { positionsWithin, rangeSelection, reversed, type Selection } from './selection';
import { type DomainData, type FormProbe } from '../generator/domain-data';
import { parseTimestamp } from '../time';

/**
 * The form list's query, as HQ's es_query_from_get_params builds it for
 * forms: `xmlns` and `xmlns.exact` are the same exact term on xmlns.exact,
 * `case_id` matches the forms that touched the case, `received_on`,
 * `server_modified_on`, `server_date_modified` and `indexed_on` are date
 * ranges, `include_archived` widens to archived forms (there are none), and
 * every other parameter is a lowercased term on the form index: `app_id`
 * works, `form.meta.userID` works, an unknown name matches no form.
 *
 * received_on, server_modified_on and indexed_on all rise with the form
 * sequence, so ranges are binary searches; terms are one cached scan.
 */

const ORDERING = ['received_on', 'server_modified_on', 'indexed_on'];
/** XFormInstanceResource's fields: ordering on one of these that is not in Meta.ordering has its own message. */
const FIELDS = [
  'app_id', 'archived', 'attachments', 'build_id', 'cases', 'domain', 'edited_by_user_id', 'edited_on', 'form', 'id', 'indexed_on',
  'initial_processing_complete', 'is_phone_submission', 'metadata', 'problem', 'received_on', 'resource_uri', 'server_modified_on',
  'submit_ip', 'type', 'uiversion', 'version',
];

interface FormQuery {
  received: RangeBounds;
  indexed: RangeBounds;
  terms: Term<FormProbe>[];
}

/** `_search` (an undocumented escape hatch of HQ's export tool): only its two known shapes, else 400 with an empty error. */
function searchRange(raw: string, query: FormQuery): void {
  let search: unknown;
  try {
    search = JSON.parse(raw);
  } catch {
    // json.loads raises inside the view: a 500 on HQ.
    throw new EsQueryError('_search is not JSON');
  }
  const filter = (search as { filter?: Record<string, unknown> } | null)?.filter;
  const dig = (node: unknown, ...path: (string | number)[]): unknown =>
    path.reduce<unknown>((at, step) => (at !== null && typeof at === 'object' ? (at as Record<string | number, unknown>)[step] : undefined), node);
  const inserted = dig(filter, 'range', 'inserted_at');
  const modified = dig(filter, 'or', 0, 'and', 0, 'range', 'server_modified_on') ?? dig(filter, 'or', 0, 'and', 1, 'range', 'server_modified_on');
  const [bounds, target] = inserted !== undefined ? [inserted, query.indexed] : modified !== undefined ? [modified, query.received] : [undefined, undefined];
  if (!bounds || typeof bounds !== 'object' || !target) throw new UserError('');
  for (const [op, value] of Object.entries(bounds as Record<string, unknown>)) {
    if (op !== 'gt' && op !== 'gte' && op !== 'lt' && op !== 'lte') throw new UserError('');
    const parsed = typeof value === 'string' ? parseTimestamp(value) : null;
    if (!parsed) throw new EsQueryError(`failed to parse date field [${String(value)}]`);
    target[op] = parsed.us;
  }
}

function queryFrom(params: URLSearchParams): FormQuery {
  const rest = filterParams(params);
  const query: FormQuery = { received: {}, indexed: {}, terms: [] };
  take(rest, 'include_archived');
  const search = take(rest, '_search');
  if (search !== undefined) searchRange(search, query);
  // xform_param_consumers, in HQ's order.
  for (const param of ['xmlns', 'xmlns.exact']) {
    const value = take(rest, param);
    if (value) query.terms.push(exactTerm('xmlns.exact', (p) => p.meta.xmlns, value));
  }
  const caseId = take(rest, 'case_id');
  if (caseId) query.terms.push(exactTerm('__retrieved_case_ids', (p) => FORM_FIELDS.__retrieved_case_ids!.get(p) as string[], caseId));
  takeRange(rest, 'received_on', query.received);
  takeRange(rest, 'server_modified_on', query.received);
  takeRange(rest, 'server_date_modified', query.received);
  takeRange(rest, 'indexed_on', query.indexed);
  for (const [param, value] of rest) query.terms.push(termOn(param, FORM_FIELDS[param], value.toLowerCase()));
  return query;
}

/** [lo, hi) of form positions within the bounds of one monotonic timestamp. */
function bounded(data: DomainData, field: 'received_on' | 'indexed_on', bounds: RangeBounds, range: [number, number]): [number, number] {
  let [lo, hi] = range;
  if (bounds.gte !== undefined) lo = Math.max(lo, data.formBound(field, bounds.gte, false));
  if (bounds.gt !== undefined) lo = Math.max(lo, data.formBound(field, bounds.gt, true));
  if (bounds.lte !== undefined) hi = Math.min(hi, data.formBound(field, bounds.lte, true));
  if (bounds.lt !== undefined) hi = Math.min(hi, data.formBound(field, bounds.lt, false));
  return [lo, Math.max(lo, hi)];
}

/** The forms a list request asks for, in its order; throws UserError (400) or EsQueryError (500). */
export function selectForms(data: DomainData, params: URLSearchParams, scope: AccessScope): Selection {
  // obj_get_list (the query) runs before apply_sorting (order_by), so a bad date wins over a bad ordering.
  const query = queryFrom(params);
  const orderBy = lastParam(params, 'order_by') || '-received_on';
  const descending = orderBy.startsWith('-');
  checkOrdering(descending ? orderBy.slice(1) : orderBy, FIELDS, ORDERING);

  const [lo, hi] = bounded(data, 'indexed_on', query.indexed, bounded(data, 'received_on', query.received, [0, data.formCount()]));
  const tests = query.terms.map((t) => t.test);
  // query_location_restricted_forms: a restricted caller sees the forms of the workers at their locations.
  if (scope.restricted) tests.unshift((p) => scope.workerIndexes.has(p.userIndex));
  let selection: Selection = rangeSelection(lo, hi);
  if (tests.length > 0) {
    const key = JSON.stringify({ terms: query.terms.map((t) => t.key), restriction: scope.restricted ? scope.key : undefined });
    selection = positionsWithin(data.scanForms(key, (probe) => tests.every((test) => test(probe))), lo, hi);
  }
  return descending ? reversed(selection) : selection;
}
