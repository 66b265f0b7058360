import { CommCarePermissionError, type CommCareClient } from '../commcare';
import type { LocationTypeV05, LocationV2, LookupTableItemV05, LookupTableV05 } from '../commcare/types';
import type { Directory, DirectoryLocationType, LookupTable } from './directory';

/**
 * Fetches a domain's directory with one member's credential. What HQ refuses
 * that credential (a role without user or location permissions; a
 * location-restricted one may list none of web users, groups or location
 * types) is left out rather than failing the sync: the warehouse then holds
 * what HQ shows that member.
 */
export async function fetchDirectory(commcare: CommCareClient, domain: string, signal?: AbortSignal): Promise<Directory> {
  const [workers, webUsers, groups, locations, locationTypes, lookupTables, lookupItems] = await Promise.all([
    allowed(commcare.mobileWorkers(domain, signal)),
    allowed(commcare.webUsers(domain, signal)),
    allowed(commcare.groups(domain, signal)),
    allowed(commcare.locations(domain, signal)),
    allowed(commcare.locationTypes(domain, signal)),
    allowed(commcare.lookupTables(domain, signal)),
    allowed(commcare.lookupTableItems(domain, signal)),
  ]);
  return {
    users: [
      ...workers.map((w) => ({
        ...person(w),
        user_type: 'mobile' as const,
        primary_location_id: w.primary_location || null,
        location_ids: w.locations ?? [],
        group_ids: w.groups ?? [],
        active: w.is_active ?? true,
        role: null,
        user_data: w.user_data ?? {},
      })),
      ...webUsers.map((u) => ({ ...person(u), user_type: 'web' as const, primary_location_id: null, location_ids: [], group_ids: [], active: true, role: u.role ?? null, user_data: {} })),
    ],
    groups: groups.map((g) => ({ group_id: g.id, name: g.name, case_sharing: g.case_sharing ?? false, reporting: g.reporting ?? false, user_ids: g.users ?? [] })),
    locationTypes: typesOf(locationTypes, locations),
    locations: locations.map((l) => ({
      location_id: l.location_id,
      name: l.name,
      site_code: l.site_code,
      location_type: l.location_type_code,
      parent_location_id: l.parent_location_id || null,
      latitude: l.latitude,
      longitude: l.longitude,
      last_modified: l.last_modified,
      location_data: l.location_data ?? {},
    })),
    lookupTables: lookupsOf(lookupTables, lookupItems),
  };
}

/** What mobile workers and web users have alike; HQ sends '' for an unset name or email. */
function person(user: { id: string; username: string; first_name?: string; last_name?: string; email?: string }) {
  return { user_id: user.id, username: user.username, first_name: user.first_name || null, last_name: user.last_name || null, email: user.email || null };
}

/** A listing HQ refuses this credential is an empty one. */
async function allowed<T>(listing: Promise<T[]>): Promise<T[]> {
  try {
    return await listing;
  } catch (error) {
    if (error instanceof CommCarePermissionError) return [];
    throw error;
  }
}

/** The location types, from their API or (when HQ refuses it) from the locations themselves. */
function typesOf(types: LocationTypeV05[], locations: LocationV2[]): DirectoryLocationType[] {
  if (types.length > 0) {
    const codeByUri = new Map(types.map((t) => [t.resource_uri, t.code]));
    return types.map((t) => ({ code: t.code, name: t.name, parent_code: t.parent ? (codeByUri.get(t.parent) ?? null) : null }));
  }
  const byId = new Map(locations.map((l) => [l.location_id, l]));
  const found = new Map<string, DirectoryLocationType>();
  for (const l of locations) {
    const parent = l.parent_location_id ? byId.get(l.parent_location_id) : undefined;
    if (!found.has(l.location_type_code) || (parent && !found.get(l.location_type_code)!.parent_code)) {
      found.set(l.location_type_code, { code: l.location_type_code, name: l.location_type_name, parent_code: parent?.location_type_code ?? null });
    }
  }
  return [...found.values()];
}

/** Each lookup table with its rows in sort order; a field's value is its first value. */
function lookupsOf(tables: LookupTableV05[], items: LookupTableItemV05[]): LookupTable[] {
  return tables.map((table) => {
    const fields = table.fields.map((f) => f.field_name);
    const rows = items
      .filter((item) => item.data_type_id === table.id)
      .sort((a, b) => (a.sort_key ?? 0) - (b.sort_key ?? 0))
      .map((item) => Object.fromEntries(fields.map((field) => [field, item.fields[field]?.field_list[0]?.field_value ?? null])));
    return { tag: table.tag, fields, rows };
  });
}
