import { DISTRICTS, FACILITIES, STATE_NAME } from './names';
import { hash32 } from '../prng';
import { MICROS_PER_DAY } from '../time';
import { trimBoth } from '../../src/shared/text';

/**
 * A domain's organisation hierarchy: state → district → facility → village.
 * Villages own cases (their type shares cases); every location id is
 * CouchDB-style hex like user and group ids, so an owner_id alone does not
 * say what it is: look it up in the location, user or group API.
 */

export interface LocationTypeDef {
  /** HQ's LocationType primary key (an integer, unique across HQ). */
  id: number;
  code: string;
  name: string;
  parentCode: string | null;
  administrative: boolean;
  sharesCases: boolean;
  viewDescendants: boolean;
}

export interface SimLocation {
  id: string;
  name: string;
  siteCode: string;
  typeCode: string;
  parentId: string | null;
  /** HQ stores decimals with 10 places and serialises them as strings. */
  latitude: string | null;
  longitude: string | null;
  lastModifiedUs: number;
  data: Record<string, string>;
}

export interface LocationTree {
  types: LocationTypeDef[];
  /** Top-down (creation) order: the state, districts, facilities, villages. */
  all: SimLocation[];
  /** Villages in village-number order (program.villages[i] is all-villages[i]). */
  villages: SimLocation[];
  byId: ReadonlyMap<string, SimLocation>;
  bySiteCode: ReadonlyMap<string, SimLocation>;
  /** The location and every location below it. */
  subtree(id: string): string[];
  /** Index of the facility a village sits under, for worker assignment. */
  facilityOfVillage(village: number): number;
}

const TYPES: Omit<LocationTypeDef, 'id'>[] = [
  { code: 'state', name: 'State', parentCode: null, administrative: true, sharesCases: false, viewDescendants: false },
  { code: 'district', name: 'District', parentCode: 'state', administrative: true, sharesCases: false, viewDescendants: true },
  { code: 'facility', name: 'Facility', parentCode: 'district', administrative: false, sharesCases: false, viewDescendants: false },
  { code: 'village', name: 'Village', parentCode: 'facility', administrative: false, sharesCases: true, viewDescendants: false },
];

const FACILITY_KINDS = ['health_centre', 'dispensary', 'clinic', 'hospital'] as const;

/** HQ's generate_site_code: the lowercased name with runs of other characters turned into '_'. */
export function siteCodeOf(name: string): string {
  return trimBoth(name.toLowerCase().replace(/[^a-z0-9]+/g, '_'), '_');
}

function coordinate(key: number, n: number, axis: number, centre: number): string {
  return (centre + ((hash32(key, 950, n, axis) % 40_000) - 20_000) / 100_000).toFixed(10);
}

export interface TreeInput {
  key: number;
  villageNames: readonly string[];
  /** Deterministic id of location number n (the caller keeps its id scheme). */
  villageId: (i: number) => string;
  facilityId: (i: number) => string;
  otherId: (n: number) => string;
  /** Locations were last edited before the program started. */
  beforeUs: number;
}

export function buildLocationTree(input: TreeInput): LocationTree {
  const { key } = input;
  const typeBase = 1000 + (hash32(key, 951) % 90_000) * TYPES.length;
  const types = TYPES.map((type, i): LocationTypeDef => ({ ...type, id: typeBase + i }));
  const all: SimLocation[] = [];
  const make = (id: string, name: string, typeCode: string, parentId: string | null, n: number, data: Record<string, string>, placed: boolean) => {
    const location: SimLocation = {
      id,
      name,
      siteCode: siteCodeOf(name),
      typeCode,
      parentId,
      latitude: placed ? coordinate(key, n, 1, -0.09) : null,
      longitude: placed ? coordinate(key, n, 2, 34.76) : null,
      lastModifiedUs: input.beforeUs - (30 + (hash32(key, 952, n) % 300)) * MICROS_PER_DAY - (hash32(key, 953, n) % MICROS_PER_DAY),
      data,
    };
    all.push(location);
    return location;
  };

  const state = make(input.otherId(0), STATE_NAME, 'state', null, 0, {}, false);
  const districts = DISTRICTS.map((name, i) => make(input.otherId(1 + i), name, 'district', state.id, 1 + i, {}, false));
  const facilities = FACILITIES.map((name, i) =>
    make(input.facilityId(i), name, 'facility', districts[i % districts.length]!.id, 10 + i, { facility_type: FACILITY_KINDS[i % FACILITY_KINDS.length]! }, true),
  );
  const facilityOfVillage = (village: number) => village % facilities.length;
  const villages = input.villageNames.map((name, i) =>
    make(input.villageId(i), name, 'village', facilities[facilityOfVillage(i)]!.id, 100 + i, { population: String(800 + (hash32(key, 954, i) % 4200)) }, true),
  );

  const children = new Map<string, string[]>();
  for (const location of all) {
    if (location.parentId) children.set(location.parentId, [...(children.get(location.parentId) ?? []), location.id]);
  }
  const subtrees = new Map<string, string[]>();
  const subtree = (id: string): string[] => {
    let ids = subtrees.get(id);
    if (!ids) {
      ids = [id, ...(children.get(id) ?? []).flatMap(subtree)];
      subtrees.set(id, ids);
    }
    return ids;
  };

  return {
    types,
    all,
    villages,
    byId: new Map(all.map((l) => [l.id, l])),
    bySiteCode: new Map(all.map((l) => [l.siteCode, l])),
    subtree,
    facilityOfVillage,
  };
}
