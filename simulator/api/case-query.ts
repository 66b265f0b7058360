import { type AccessScope } from './access';
import { type Term } from './es-terms';
import { positionsWithin, rangeSelection, type Selection } from './selection';
import { type CaseProbe, type DomainData } from '../generator/domain-data';

/**
 * Case filters common to both case APIs, resolved to a Selection in
 * (indexed_on, case_id) order. indexed_on bounds and the v2 cursor are binary
 * searches (the order *is* indexed_on); every other filter is one scan of the
 * domain, cached until the next mutation.
 */

export interface DateBounds {
  gte?: number;
  gt?: number;
  lte?: number;
  lt?: number;
}

export interface CaseFilter {
  /** Each list is an OR of values; absent or empty means no filter. */
  types?: string[];
  owners?: string[];
  users?: string[];
  externalIds?: string[];
  names?: string[];
  closed?: boolean;
  properties?: Record<string, string[]>;
  indexedOn?: DateBounds;
  serverModified?: DateBounds;
  modified?: DateBounds;
  opened?: DateBounds;
  closedOn?: DateBounds;
  /** v0.5's Elasticsearch terms (see es-terms.ts), all of which must match. */
  terms?: Term<CaseProbe>[];
  /** A location-restricted caller sees only cases owned by their accessible locations and workers. */
  restriction?: AccessScope;
  /** Resume strictly after this (indexed_on, case_id): the v2 cursor. */
  after?: { us: number; caseId: string };
}

/** Identifies a filter's cached scan: terms by their keys, a restriction by its key. */
export function caseFilterKey(filter: CaseFilter): string {
  const { terms, restriction, ...rest } = filter;
  return JSON.stringify({ ...rest, terms: terms?.map((t) => t.key), restriction: restriction?.restricted ? restriction.key : undefined });
}

function within(us: number | null, bounds: DateBounds): boolean {
  if (us === null) return false;
  return (
    (bounds.gte === undefined || us >= bounds.gte) &&
    (bounds.gt === undefined || us > bounds.gt) &&
    (bounds.lte === undefined || us <= bounds.lte) &&
    (bounds.lt === undefined || us < bounds.lt)
  );
}

const hasBounds = (bounds: DateBounds | undefined): bounds is DateBounds => bounds !== undefined && Object.keys(bounds).length > 0;
const hasValues = (values: string[] | undefined): values is string[] => values !== undefined && values.length > 0;

function predicates(filter: CaseFilter): ((probe: CaseProbe) => boolean)[] {
  const tests: ((probe: CaseProbe) => boolean)[] = [];
  const { types, owners, users, externalIds, names, closed, properties, serverModified, modified, opened, closedOn } = filter;
  if (hasValues(types)) tests.push((p) => types.includes(p.type));
  if (hasValues(owners)) tests.push((p) => owners.includes(p.ownerId));
  if (closed !== undefined) tests.push((p) => p.closed === closed);
  if (hasValues(users)) tests.push((p) => users.includes(p.record.userId));
  if (hasValues(externalIds)) tests.push((p) => p.record.externalId !== null && externalIds.includes(p.record.externalId));
  if (hasValues(names)) tests.push((p) => names.includes(p.record.name));
  for (const [name, values] of Object.entries(properties ?? {})) {
    tests.push((p) => values.includes(p.record.properties[name] ?? ''));
  }
  if (hasBounds(serverModified)) tests.push((p) => within(p.record.serverModifiedUs, serverModified));
  if (hasBounds(modified)) tests.push((p) => within(p.record.modifiedUs, modified));
  if (hasBounds(opened)) tests.push((p) => within(p.record.openedUs, opened));
  if (hasBounds(closedOn)) tests.push((p) => within(p.record.closedUs, closedOn));
  const restriction = filter.restriction;
  if (restriction?.restricted) tests.push((p) => restriction.owners.has(p.ownerId));
  for (const term of filter.terms ?? []) tests.push(term.test);
  return tests;
}

/** The [lo, hi) range of sequence positions allowed by indexed_on bounds and the cursor. */
function indexedOnRange(data: DomainData, filter: CaseFilter): [number, number] {
  let lo = 0;
  let hi = data.caseCount();
  const bounds = filter.indexedOn ?? {};
  if (bounds.gte !== undefined) lo = Math.max(lo, data.caseBoundIndexedOn(bounds.gte, false));
  if (bounds.gt !== undefined) lo = Math.max(lo, data.caseBoundIndexedOn(bounds.gt, true));
  if (bounds.lte !== undefined) hi = Math.min(hi, data.caseBoundIndexedOn(bounds.lte, true));
  if (bounds.lt !== undefined) hi = Math.min(hi, data.caseBoundIndexedOn(bounds.lt, false));
  if (filter.after) lo = Math.max(lo, data.caseSeekAfter(filter.after.us, filter.after.caseId));
  return [lo, Math.max(lo, hi)];
}

export interface CaseSelection {
  selection: Selection;
  /** The filtered positions before the indexed_on range is applied, when a scan was needed. */
  scanned: Int32Array | null;
  range: [number, number];
}

export function selectCases(data: DomainData, filter: CaseFilter): CaseSelection {
  const range = indexedOnRange(data, filter);
  const tests = predicates(filter);
  if (tests.length === 0) return { selection: rangeSelection(range[0], range[1]), scanned: null, range };
  const { indexedOn: _indexedOn, after: _after, ...scanFilter } = filter;
  const scanned = data.scanCases(caseFilterKey(scanFilter), (probe) => tests.every((test) => test(probe)));
  return { selection: positionsWithin(scanned, range[0], range[1]), scanned, range };
}
