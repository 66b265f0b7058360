import { type Program } from '../generator/program';
import { isLocationRestricted, type DomainRole } from '../roles';

/**
 * What a location-restricted user may see, after HQ's rules
 * (corehq/apps/locations/permissions.py):
 * - locations: their assigned locations and every descendant;
 * - users: mobile workers assigned to any accessible location;
 * - cases: owned by an accessible location or user (query_location_restricted_cases:
 *   owner_id in accessible location ids + user ids at those locations);
 *   case-sharing groups are never accessible, so group-owned cases are not;
 * - forms: submitted by an accessible user (query_location_restricted_forms).
 */
export interface AccessScope {
  restricted: boolean;
  /** Distinguishes cached scans of different restrictions ('' when unrestricted). */
  key: string;
  locationIds: ReadonlySet<string>;
  workerIds: ReadonlySet<string>;
  /** Indexes into program.workers of the accessible workers (forms carry the index). */
  workerIndexes: ReadonlySet<number>;
  /** Case owners the user may see: accessible locations and workers. */
  owners: ReadonlySet<string>;
}

export const FULL_ACCESS: AccessScope = { restricted: false, key: '', locationIds: new Set(), workerIds: new Set(), workerIndexes: new Set(), owners: new Set() };

const cache = new WeakMap<Program, Map<string, AccessScope>>();

export function accessScope(program: Program, role: DomainRole): AccessScope {
  if (!isLocationRestricted(role)) return FULL_ACCESS;
  const key = `locations:${[...role.locationSiteCodes].sort().join(',')}`;
  let byKey = cache.get(program);
  if (!byKey) cache.set(program, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit) return hit;

  const tree = program.locations;
  const locationIds = new Set(role.locationSiteCodes.flatMap((code) => {
    const assigned = tree.bySiteCode.get(code);
    return assigned ? tree.subtree(assigned.id) : [];
  }));
  const workerIndexes = new Set<number>();
  program.workers.forEach((worker, i) => {
    if (worker.locationIds.some((id) => locationIds.has(id))) workerIndexes.add(i);
  });
  const workerIds = new Set([...workerIndexes].map((i) => program.workers[i]!.id));
  const scope: AccessScope = { restricted: true, key, locationIds, workerIds, workerIndexes, owners: new Set([...locationIds, ...workerIds]) };
  byKey.set(key, scope);
  return scope;
}

/** The locations a restricted user is assigned to (the roots of what they see). */
export function assignedLocationIds(program: Program, role: DomainRole): string[] {
  return role.locationSiteCodes.flatMap((code) => {
    const location = program.locations.bySiteCode.get(code);
    return location ? [location.id] : [];
  });
}
