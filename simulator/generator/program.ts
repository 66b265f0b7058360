import { FORMS, UNUSED_FORMS, type CaseType, type FormDef } from './case-types';
import { FACILITIES, FEMALE_NAMES, MALE_NAMES, SURNAMES, TEAMS, VILLAGES } from './names';
import { Rng, hash32, hashString, hexId } from '../prng';
import { MICROS_PER_DAY } from '../time';

/**
 * One domain's "program": its mobile workers, groups, locations and
 * applications. Small and derived from (seed, domain) alone, so it is built
 * once per domain and kept.
 */

export interface MobileWorker {
  id: string;
  username: string;
  deviceId: string;
}

export interface Owner {
  id: string;
  kind: 'user' | 'group' | 'location';
  name: string;
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
  groups: Owner[];
  /** Villages double as case-owning locations and as the households' `village` property. */
  villages: Owner[];
  /** Every location: villages and facilities. */
  locations: Owner[];
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

export function buildProgram(seed: number, domain: string, caseCount: number): Program {
  const key = domainKey(seed, domain);
  const rng = new Rng(hash32(key, SALT.program));

  const workerCount = Math.min(50, Math.max(4, Math.ceil(caseCount / 250)));
  const usedNames = new Set<string>();
  const workers: MobileWorker[] = [];
  for (let i = 0; i < workerCount; i++) {
    let username: string;
    do {
      const first = rng.chance(0.6) ? rng.pick(FEMALE_NAMES) : rng.pick(MALE_NAMES);
      username = `${first}.${rng.pick(SURNAMES)}`.toLowerCase();
    } while (usedNames.has(username) && usedNames.size < 900);
    if (usedNames.has(username)) username = `${username}${i}`;
    usedNames.add(username);
    workers.push({
      id: hexId(key, SALT.program, 100 + i),
      username,
      deviceId: `${hexId(key, SALT.program, 200 + i).slice(0, 16).toUpperCase()}`,
    });
  }

  const groups: Owner[] = TEAMS.map((name, i) => ({ id: hexId(key, SALT.program, 300 + i), kind: 'group', name }));
  const villageCount = Math.min(VILLAGES.length, 6 + rng.int(8));
  const villages = VILLAGES.slice(0, villageCount).map((name, i): Owner => ({ id: hexId(key, SALT.program, 400 + i), kind: 'location', name }));
  const locations: Owner[] = [
    ...villages,
    ...FACILITIES.map((name, i): Owner => ({ id: hexId(key, SALT.program, 500 + i), kind: 'location', name })),
  ];

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
    villages,
    locations,
    apps,
    formMeta(formKey) {
      const meta = formMetas.get(formKey);
      if (!meta) throw new Error(`unknown form ${formKey}`);
      return meta;
    },
  };
}
