import { type Context, type Hono } from 'hono';
import { type SimContext, type SimEnv } from './env';
import { type GuardFor } from './guard';
import { UserError } from './http';
import { registerResource } from './resource-list';
import { type LocationTypeDef, type SimLocation } from '../generator/locations';
import { formatNaive } from '../time';

/**
 * GET /a/<domain>/api/location/v2/: locations.resources.v0_6.LocationResource
 * (a tastypie ModelResource without resource_uri; limit 20, max 5000), in
 * creation order, top-down. Its resource name, `location`, is in HQ's
 * location-safe list, so a restricted user gets through; they see their
 * assigned locations and the locations below them, which is how they learn
 * where they are restricted to.
 *
 * GET /a/<domain>/api/v0.5/location_type/ (alias /api/location_type/v1/):
 * v0_5.LocationTypeResource, with absolute resource URIs (absolute_reverse)
 * and `parent` as the parent type's URI. Not location-safe.
 */

/** LocationResource Meta.fields: filtering or ordering on one of these is a 400 unless allowed. */
const MODEL_FIELDS = new Set(['domain', 'last_modified', 'latitude', 'location_data', 'location_id', 'longitude', 'name', 'site_code']);
/** Parameters tastypie itself reads. */
const NOT_FILTERS = new Set(['limit', 'offset', 'format', 'order_by', 'api_key', 'username']);

/** ModelResource.build_filters / apply_sorting for Meta.filtering = {domain: exact} and no ordering. */
function modelFilters(c: Context<SimEnv>, params: URLSearchParams): boolean {
  let domainMatches = true;
  for (const [key, value] of params) {
    if (NOT_FILTERS.has(key)) continue;
    const [field = '', lookup = 'exact'] = key.split('__');
    if (!MODEL_FIELDS.has(field)) continue; // not a field: tastypie moves along
    if (field !== 'domain') throw new UserError(`The '${field}' field does not allow filtering.`);
    if (lookup !== 'exact') throw new UserError(`'${lookup}' is not an allowed filter on the '${field}' field.`);
    domainMatches &&= value === c.get('data').domain;
  }
  for (const orderBy of params.getAll('order_by')) {
    const field = orderBy.startsWith('-') ? orderBy.slice(1) : orderBy;
    throw new UserError(MODEL_FIELDS.has(field) ? `The '${field}' field does not allow ordering.` : `No matching '${field}' field for ordering on.`);
  }
  return domainMatches;
}

function locationJson(location: SimLocation, types: readonly LocationTypeDef[], domain: string) {
  const type = types.find((t) => t.code === location.typeCode)!;
  return {
    domain,
    last_modified: formatNaive(location.lastModifiedUs),
    latitude: location.latitude,
    location_data: location.data,
    location_id: location.id,
    location_type_code: type.code,
    location_type_name: type.name,
    longitude: location.longitude,
    name: location.name,
    // HQ sends '' (not null) for a root location.
    parent_location_id: location.parentId ?? '',
    site_code: location.siteCode,
  };
}

export function registerLocations(app: Hono<SimEnv>, ctx: SimContext, guardFor: GuardFor): void {
  registerResource<SimLocation>(app, ctx, guardFor, {
    flavours: ['location/v2'],
    // RequirePermissionAuthentication(edit_locations); resource name 'location' is location-safe.
    policy: { permission: 'edit_locations', locationSafe: true },
    defaultLimit: 20,
    maxLimit: 5000,
    list: (c, params) => {
      const tree = c.get('data').gen.program.locations;
      const scope = c.get('scope');
      if (!modelFilters(c, params)) return [];
      return scope.restricted ? tree.all.filter((l) => scope.locationIds.has(l.id)) : tree.all;
    },
    idOf: (location) => location.id,
    present: (location, c) => locationJson(location, c.get('data').gen.program.locations.types, c.get('data').domain),
  });

  registerResource<LocationTypeDef>(app, ctx, guardFor, {
    flavours: ['v0.5/location_type', 'location_type/v1'],
    policy: { permission: 'edit_locations', locationSafe: false },
    defaultLimit: 20,
    maxLimit: 1000,
    list: (c) => c.get('data').gen.program.locations.types,
    idOf: (type) => String(type.id),
    present: (type, c, listPath) => {
      const types = c.get('data').gen.program.locations.types;
      const origin = new URL(c.req.url).origin;
      const parent = types.find((t) => t.code === type.parentCode);
      return {
        administrative: type.administrative,
        code: type.code,
        domain: c.get('data').domain,
        id: type.id,
        name: type.name,
        parent: parent ? `${origin}${listPath}${parent.id}/` : null,
        resource_uri: `${origin}${listPath}${type.id}/`,
        shares_cases: type.sharesCases,
        view_descendants: type.viewDescendants,
      };
    },
  });
}
