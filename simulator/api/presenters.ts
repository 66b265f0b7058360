import { type CaseRecord } from '../generator/cases';
import { type FormRecord, type JsonObject } from '../generator/forms';
import { formatNaive, formatUtc } from '../time';

/**
 * Records to HQ's JSON. v0.5 objects have sorted keys (tastypie serialises
 * with sort_keys) and naive timestamps; case API v2 objects keep
 * serialize_es_case's key order and `Z` timestamps.
 */

/** Sorted key lists, cached by the unsorted key list: each case type has one, so sorting happens once per type. */
const sortedKeys = new Map<string, string[]>();

function sorted(object: Record<string, string | null>): Record<string, string | null> {
  const keys = Object.keys(object);
  const signature = keys.join('\u0000');
  let order = sortedKeys.get(signature);
  if (!order) {
    order = [...keys].sort();
    if (sortedKeys.size < 1000) sortedKeys.set(signature, order);
  }
  const out: Record<string, string | null> = {};
  for (const key of order) out[key] = object[key]!;
  return out;
}

function indices(record: CaseRecord): JsonObject {
  return record.parent ? { parent: { case_id: record.parent.caseId, case_type: record.parent.caseType, relationship: 'child' } } : {};
}

export function caseV05(domain: string, record: CaseRecord, resourceUri: string): JsonObject {
  return {
    case_id: record.caseId,
    closed: record.closed,
    closed_by: record.closedBy,
    date_closed: record.closedUs === null ? null : formatNaive(record.closedUs),
    date_modified: formatNaive(record.modifiedUs),
    domain,
    id: record.caseId,
    indexed_on: formatNaive(record.indexedOnUs),
    indices: indices(record),
    opened_by: record.openedBy,
    // v0.5 folds the case's own fields into properties.
    properties: sorted({
      ...record.properties,
      case_name: record.name,
      case_type: record.type,
      date_opened: formatNaive(record.openedUs),
      external_id: record.externalId,
      owner_id: record.ownerId,
    }),
    resource_uri: resourceUri,
    server_date_modified: formatNaive(record.serverModifiedUs),
    server_date_opened: formatNaive(record.serverOpenedUs),
    user_id: record.userId,
    xform_ids: record.xformIds,
  };
}

export function caseV2(domain: string, record: CaseRecord): JsonObject {
  return {
    domain,
    case_id: record.caseId,
    case_type: record.type,
    case_name: record.name,
    external_id: record.externalId,
    owner_id: record.ownerId,
    date_opened: formatUtc(record.openedUs),
    last_modified: formatUtc(record.modifiedUs),
    server_last_modified: formatUtc(record.serverModifiedUs),
    indexed_on: formatUtc(record.indexedOnUs),
    closed: record.closed,
    date_closed: record.closedUs === null ? null : formatUtc(record.closedUs),
    properties: record.properties,
    indices: indices(record),
  };
}

export function formV05(record: FormRecord, resourceUri: string): JsonObject {
  const out: JsonObject = {};
  const body: JsonObject = { ...record.body, resource_uri: resourceUri };
  for (const key of Object.keys(body).sort()) out[key] = body[key]!;
  return out;
}
