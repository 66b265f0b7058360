import { type CaseRecord } from '../generator/cases';
import { type FormRecord, type JsonObject } from '../generator/forms';
import { formatNaive, formatUtc } from '../time';

/**
 * Records to HQ's JSON. v0.5 objects have sorted keys (tastypie serialises
 * with sort_keys) and naive timestamps; case API v2 objects keep
 * serialize_es_case's key order and `Z` timestamps.
 */

const SPECIAL_PROPERTIES = ['case_name', 'case_type', 'date_opened', 'external_id', 'owner_id'] as const;

/** v0.5 property keys in sorted order, per case type: every case of a type has the same keys, so sort once. */
const propertyOrder = new Map<string, string[]>();

function sortedProperties(record: CaseRecord): Record<string, string | null> {
  const special: Record<(typeof SPECIAL_PROPERTIES)[number], string | null> = {
    case_name: record.name,
    case_type: record.type,
    date_opened: formatNaive(record.openedUs),
    external_id: record.externalId,
    owner_id: record.ownerId,
  };
  let order = propertyOrder.get(record.type);
  if (!order) {
    order = [...new Set([...Object.keys(record.properties), ...SPECIAL_PROPERTIES])].sort();
    propertyOrder.set(record.type, order);
  }
  const out: Record<string, string | null> = {};
  for (const key of order) out[key] = key in special ? special[key as keyof typeof special] : (record.properties[key] ?? null);
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
    properties: sortedProperties(record),
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
  // Overriding an existing key keeps its (sorted) position.
  return { ...record.body, resource_uri: resourceUri };
}
