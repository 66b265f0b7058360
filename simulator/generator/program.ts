import { FORMS, UNUSED_FORMS, type CaseType, type FormDef } from './case-types';
import { buildLocationTree, type LocationTree } from './locations';
import { buildLookupTables, type LookupTable } from './lookup-tables';
import { FEMALE_NAMES, MALE_NAMES, SURNAMES, TEAMS, VILLAGES } from './names';
import { Rng, hash32, hashString, hexId } from '../prng';
import { MICROS_PER_DAY } from '../time';

/**
 * One domain's "program": its mobile workers, groups, location hierarchy,
 * lookup tables and applications. Small and derived from (seed, domain)
 * alone, so it is built once per domain and kept.
 */

export interface MobileWorker {
  id: string;
  /** The raw username forms carry (`amina.otieno`); the user API shows `<raw>@<domain>.commcarehq.org`. */
  username: string;
  deviceId: string;
  firstName: string;
  lastName: string;
  phoneNumber: string;
  /** Assigned locations; the first is the primary location. */
  locationIds: string[];
  groupIds: string[];
  /** A custom user field, as projects define them. */
  chwId: string;
}

export interface Owner {
  id: string;
  kind: 'user' | 'group' | 'location';
  name: string;
}

export interface Group extends Owner {
  kind: 'group';
  caseSharing: boolean;
  reporting: boolean;
  userIds: string[];
}

export interface FormMeta {
  def: FormDef;
  xmlns: string;
  uniqueId: string;
  appId: string;
  buildId: string;
  appVersion: number;
}

export interface ModuleDef {
  uniqueId: string;
  name: string;
  caseType: CaseType;
  forms: FormMeta[];
}

export interface AppDef {
  id: string;
  name: string;
  version: number;
  buildId: string;
  builtOnUs: number;
  modules: ModuleDef[];
}

export interface Program {
  domain: string;
  projectName: string;
  /** Hash of (seed, domain): the root of every hash drawn for this domain. */
  key: number;
  workers: MobileWorker[];
  groups: Group[];
  /** The groups that may own cases (Supervisors is a reporting group only). */
  caseSharingGroups: Group[];
  /** Villages double as case-owning locations and as the households' `village` property. */
  villages: Owner[];
  /** The whole hierarchy: state, districts, facilities, villages. */
  locations: LocationTree;
  /** Per village, the workers who may serve its households (see villageWorkersOf). */
  villageWorkers: number[][];
  lookupTables: LookupTable[];
  apps: AppDef[];
  formMeta(key: string): FormMeta;
}

/** Salts that keep the hash streams of different record kinds apart. */
export const SALT = {
  program: 1,
  case: 2,
  form: 3,
  caseId: 4,
  formId: 5,
  block: 6,
  person: 7,
  jitter: 8,
  mutation: 9,
  extraForm: 10,
  change: 11,
} as const;

/** When the simulated program started: builds predate every submission. */
export const PROGRAM_START_US = Date.UTC(2023, 0, 1) * 1000;

export function domainKey(seed: number, domain: string): number {
  return hash32(seed, hashString(domain));
}

export function projectNameOf(domain: string): string {
  return domain
    .split(/[-_.]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(' ');
}

function xmlnsFor(key: number, formKey: string): string {
  const id = hexId(key, SALT.program, hashString(formKey)).toUpperCase();
  return `http://openrosa.org/formdesigner/${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`;
}

const MODULE_NAMES: Record<CaseType, string> = {
  household: 'Households',
  person: 'Household Members',
  pregnancy: 'Pregnancies',
  visit: 'Home Visits',
};

/** The last team is a reporting group of supervisors; the others share cases. */
const CASE_SHARING_TEAMS = TEAMS.length - 1;

/**
 * Which workers serve a village's households: those assigned to it, else
 * those of its facility's other villages, else everyone. Always non-empty,
 * so block → worker stays O(1).
 */
function villageWorkersOf(tree: LocationTree, workers: readonly MobileWorker[]): number[][] {
  return tree.villages.map((village, v) => {
    const here = workers.flatMap((w, i) => (w.locationIds.includes(village.id) ? [i] : []));
    if (here.length > 0) return here;
    const facility = tree.facilityOfVillage(v);
    const nearby = workers.flatMap((w, i) => (tree.facilityOfVillage(tree.villages.findIndex((x) => x.id === w.locationIds[0])) === facility ? [i] : []));
    return nearby.length > 0 ? nearby : workers.map((_, i) => i);
  });
}

export function buildProgram(seed: number, domain: string, caseCount: number): Program {
  const key = domainKey(seed, domain);
  const rng = new Rng(hash32(key, SALT.program));

  const workerCount = Math.min(50, Math.max(4, Math.ceil(caseCount / 250)));
  const usedNames = new Set<string>();
  const names: { username: string; first: string; last: string }[] = [];
  for (let i = 0; i < workerCount; i++) {
    let username: string;
    let first: string;
    let last: string;
    do {
      first = rng.chance(0.6) ? rng.pick(FEMALE_NAMES) : rng.pick(MALE_NAMES);
      last = rng.pick(SURNAMES);
      username = `${first}.${last}`.toLowerCase();
    } while (usedNames.has(username) && usedNames.size < 900);
    if (usedNames.has(username)) username = `${username}${i}`;
    usedNames.add(username);
    names.push({ username, first, last });
  }

  const villageCount = Math.min(VILLAGES.length, 6 + rng.int(8));
  const locations = buildLocationTree({
    key,
    villageNames: VILLAGES.slice(0, villageCount),
    villageId: (i) => hexId(key, SALT.program, 400 + i),
    facilityId: (i) => hexId(key, SALT.program, 500 + i),
    otherId: (n) => hexId(key, SALT.program, 900 + n),
    beforeUs: PROGRAM_START_US,
  });
  const villages = locations.villages.map((v): Owner => ({ id: v.id, kind: 'location', name: v.name }));

  const groupIds = TEAMS.map((_, i) => hexId(key, SALT.program, 300 + i));
  const workers = names.map(({ username, first, last }, i): MobileWorker => {
    // Every worker covers a village; every fourth also covers the next village of the same facility.
    const home = i % villageCount;
    const second = home + 4 < villageCount && i % 4 === 3 ? [locations.villages[home + 4]!.id] : [];
    return {
      id: hexId(key, SALT.program, 100 + i),
      username,
      deviceId: `${hexId(key, SALT.program, 200 + i).slice(0, 16).toUpperCase()}`,
      firstName: first,
      lastName: last,
      phoneNumber: `+2547${String(hash32(key, SALT.program, 250 + i) % 100_000_000).padStart(8, '0')}`,
      locationIds: [locations.villages[home]!.id, ...second],
      groupIds: [groupIds[i % CASE_SHARING_TEAMS]!, ...(i % 10 === 0 ? [groupIds[CASE_SHARING_TEAMS]!] : [])],
      chwId: `CHW-${String(i + 1).padStart(3, '0')}`,
    };
  });
  const groups = TEAMS.map((name, i): Group => ({
    id: groupIds[i]!,
    kind: 'group',
    name,
    caseSharing: i < CASE_SHARING_TEAMS,
    reporting: true,
    userIds: workers.filter((w) => w.groupIds.includes(groupIds[i]!)).map((w) => w.id),
  }));

  const formMetas = new Map<string, FormMeta>();
  const makeApp = (index: number, name: string, forms: readonly FormDef[]): AppDef => {
    const id = hexId(key, SALT.program, 600 + index);
    const buildId = hexId(key, SALT.program, 700 + index);
    const version = 8 + rng.int(30);
    const modules: ModuleDef[] = [];
    for (const form of forms) {
      let module = modules.find((m) => m.caseType === form.caseType);
      if (!module) {
        module = {
          uniqueId: hexId(key, SALT.program, 800 + index * 10 + modules.length),
          name: MODULE_NAMES[form.caseType],
          caseType: form.caseType,
          forms: [],
        };
        modules.push(module);
      }
      const meta: FormMeta = {
        def: form,
        xmlns: xmlnsFor(key, form.key),
        uniqueId: hexId(key, SALT.program, hashString(form.key)),
        appId: id,
        buildId,
        appVersion: version,
      };
      module.forms.push(meta);
      formMetas.set(form.key, meta);
    }
    return { id, name, version, buildId, builtOnUs: PROGRAM_START_US - (10 + rng.int(20)) * MICROS_PER_DAY, modules };
  };
  const apps = [makeApp(0, 'Community Health', FORMS), makeApp(1, 'Facility Referrals', UNUSED_FORMS)];

  return {
    domain,
    projectName: projectNameOf(domain),
    key,
    workers,
    groups,
    caseSharingGroups: groups.filter((g) => g.caseSharing),
    villages,
    locations,
    villageWorkers: villageWorkersOf(locations, workers),
    lookupTables: buildLookupTables((n) => hexId(key, SALT.program, 1000 + n)),
    apps,
    formMeta(formKey) {
      const meta = formMetas.get(formKey);
      if (!meta) throw new Error(`unknown form ${formKey}`);
      return meta;
    },
  };
}
