import {
  BLOCK_SIZE,
  caseCore,
  firstNameOf,
  isFemale,
  ownerOf,
  personsInBlock,
  subjectPersonOf,
  surnameOf,
  villageOf,
  workerOf,
  type CaseCore,
} from './blocks';
import { CASE_PROPERTIES, CHANGEABLE_PROPERTIES, type CaseType } from './case-types';
import { NOTES } from './names';
import { SALT, type Program } from './program';
import { type Timeline } from './timeline';
import { Rng, hash32, uuid } from '../prng';
import { MICROS_PER_DAY, MICROS_PER_SECOND, formatDate } from '../time';

/** Everything a domain's generator needs; built once per domain. */
export interface Generation {
  program: Program;
  timeline: Timeline;
  baseCount: number;
  formsPerCase: number;
}

/**
 * What /_sim mutate did to a case (the overlay). Base cases have none until
 * mutated; cases created by mutate always have one.
 */
export interface CaseRevision {
  revision: number;
  /** Server time the case was created by a mutation; null for base cases. */
  createdUs: number | null;
  serverModifiedUs: number;
  indexedOnUs: number;
  closed: boolean;
  closedUs: number | null;
  /** Worker (index into program.workers) who submitted the latest change. */
  userIndex: number;
  /** Property values changed by mutations, newest wins. */
  properties: Record<string, string>;
  /** Forms added by mutations, oldest first. */
  formIds: string[];
}

export interface CaseRecord {
  index: number;
  caseId: string;
  type: CaseType;
  name: string;
  externalId: string | null;
  ownerId: string;
  /** Device clock (HQ's opened_on / modified_on). */
  openedUs: number;
  modifiedUs: number;
  /** Server clock. */
  serverOpenedUs: number;
  serverModifiedUs: number;
  indexedOnUs: number;
  closed: boolean;
  closedUs: number | null;
  openedBy: string;
  closedBy: string | null;
  userId: string;
  /** Custom properties only, all values strings as HQ stores them. */
  properties: Record<string, string>;
  parent: { caseId: string; caseType: CaseType } | null;
  xformIds: string[];
}

export function caseIdOf(key: number, index: number): string {
  return uuid(key, SALT.caseId, index);
}

export function formIdOf(key: number, slot: number): string {
  return uuid(key, SALT.formId, slot);
}

/** How far a phone's clock (form timeEnd) runs behind the server receiving the form: 5 s to 2 h. */
export function deviceLagUs(key: number, slot: number): number {
  return 5 * MICROS_PER_SECOND + (hash32(key, SALT.form, slot, 1) % 7200) * MICROS_PER_SECOND;
}

/** Who submitted case i's form number `wave`: usually the household's worker, sometimes a colleague. */
export function formUserIndex(program: Program, caseIndex: number, wave: number): number {
  const own = workerOf(program, caseIndex - (caseIndex % BLOCK_SIZE));
  if (wave === 0 || hash32(program.key, SALT.form, caseIndex, wave, 2) % 100 >= 15) return own;
  return hash32(program.key, SALT.form, caseIndex, wave, 3) % program.workers.length;
}

function decimal(rng: Rng, min: number, max: number): string {
  return (min + rng.next() * (max - min)).toFixed(1);
}

function weighted<T>(rng: Rng, choices: readonly (readonly [T, number])[]): T {
  let draw = rng.next() * choices.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [value, weight] of choices) {
    draw -= weight;
    if (draw < 0) return value;
  }
  return choices[choices.length - 1]![0];
}

function caseName(gen: Generation, core: CaseCore): string {
  const { key } = gen.program;
  const surname = surnameOf(key, core.blockHead);
  if (core.type === 'household') return `${surname} Household`;
  const person = subjectPersonOf(key, core.index);
  const first = person >= 0 ? firstNameOf(key, person, caseCore(key, person).role) : 'Unknown';
  if (core.type === 'person') return `${first} ${surname}`;
  if (core.type === 'pregnancy') return `${first} ${surname} - pregnancy`;
  return `Home visit - ${first} ${surname}`;
}

/** Custom properties as first registered (and, for base cases, as last updated). */
function generateProperties(gen: Generation, core: CaseCore, openedUs: number, closed: boolean, rng: Rng): Record<string, string> {
  const { key } = gen.program;
  const opened = (daysBefore: number) => formatDate(openedUs - daysBefore * MICROS_PER_DAY);
  switch (core.type) {
    case 'household': {
      const head = core.blockHead + 1;
      return {
        village: gen.program.villages[villageOf(gen.program, core.blockHead)]!.name,
        head_name: `${firstNameOf(key, head, caseCore(key, head).role)} ${surnameOf(key, core.blockHead)}`,
        household_size: String(personsInBlock(key, core.blockHead) + rng.int(3)),
        water_source: weighted(rng, [['piped', 3], ['borehole', 4], ['protected_well', 2], ['surface_water', 1]]),
        has_latrine: rng.chance(0.65) ? 'yes' : 'no',
        registration_date: opened(rng.int(3)),
        gps: `${(-0.1 + (rng.next() - 0.5) * 0.4).toFixed(6)} ${(34.75 + (rng.next() - 0.5) * 0.4).toFixed(6)} ${1130 + rng.int(60)} ${5 + rng.int(20)}`,
      };
    }
    case 'person': {
      const adult = core.role !== 'member' || rng.chance(0.35);
      const age = adult ? rng.between(18, 70) : rng.between(0, 17);
      // Position 1 of every block template is the household head (a mother in woman-headed households).
      const relationship =
        core.index === core.blockHead + 1
          ? 'head'
          : core.role === 'mother'
            ? 'spouse'
            : adult
              ? weighted(rng, [['parent', 2], ['other', 1], ['child', 1]])
              : 'child';
      return {
        first_name: firstNameOf(key, core.index, core.role),
        last_name: surnameOf(key, core.blockHead),
        sex: isFemale(key, core.index, core.role) ? 'female' : 'male',
        dob: opened(age * 365 + rng.int(365)),
        age_years: String(age),
        phone_number: adult && rng.chance(0.8) ? `+2547${String(rng.int(100_000_000)).padStart(8, '0')}` : '',
        relationship_to_head: relationship,
        education_level: age < 6 ? 'none' : weighted(rng, [['none', 1], ['primary', 4], ['secondary', 3], ['tertiary', 1]]),
      };
    }
    case 'pregnancy': {
      const weeks = rng.between(6, 30);
      const lmpUs = openedUs - weeks * 7 * MICROS_PER_DAY;
      const gravida = rng.between(1, 7);
      return {
        lmp: formatDate(lmpUs),
        edd: formatDate(lmpUs + 280 * MICROS_PER_DAY),
        gravida: String(gravida),
        parity: String(Math.max(0, gravida - 1 - rng.int(2))),
        risk_level: weighted(rng, [['low', 6], ['medium', 3], ['high', 1]]),
        anc_visit_count: String(rng.int(7)),
        pregnancy_outcome: closed ? weighted(rng, [['live_birth', 17], ['stillbirth', 1], ['miscarriage', 2]]) : 'ongoing',
      };
    }
    case 'visit': {
      const aboutPregnancy = core.parentIndex >= 0 && caseCore(key, core.parentIndex).type === 'pregnancy';
      const danger = weighted(rng, [['none', 16], ['fever', 2], ['bleeding', 1], ['convulsions', 0.5], ['fast_breathing', 1]]);
      return {
        visit_date: opened(0),
        visit_type: aboutPregnancy ? (rng.chance(0.8) ? 'anc' : 'pnc') : weighted(rng, [['growth_monitoring', 2], ['sick_child', 1], ['follow_up', 2]]),
        weight_kg: decimal(rng, aboutPregnancy ? 45 : 3, aboutPregnancy ? 95 : 80),
        temperature_c: decimal(rng, 35.8, danger === 'fever' ? 40.2 : 37.6),
        muac_cm: decimal(rng, 11, 32),
        danger_signs: danger,
        referred: danger !== 'none' && rng.chance(0.7) ? 'yes' : 'no',
        notes: rng.pick(NOTES),
      };
    }
  }
}

/**
 * New values for a few changeable properties: what a follow-up form (base
 * history or /_sim mutate) writes. Drawn from the same generators with a
 * different stream, so the values stay plausible.
 */
export function generateChanges(gen: Generation, index: number, revision: number, openedUs: number): Record<string, string> {
  const core = caseCore(gen.program.key, index);
  const rng = new Rng(hash32(gen.program.key, SALT.change, index, revision));
  const fresh = generateProperties(gen, core, openedUs, false, rng);
  const names = CHANGEABLE_PROPERTIES[core.type];
  const count = 1 + rng.int(names.length);
  const changes: Record<string, string> = {};
  for (const name of names.slice(0, count)) changes[name] = fresh[name] ?? '';
  return changes;
}

/** When a case was last modified, by the server's clock and the phone's: cheap, for sorting without building records. */
export function modificationTimes(gen: Generation, index: number, revision: CaseRevision | undefined): { serverModifiedUs: number; modifiedUs: number } {
  const { key } = gen.program;
  const isBase = index < gen.baseCount;
  const lastSlot = gen.timeline.lastSlotOf(index);
  const serverModifiedUs = revision ? revision.serverModifiedUs : gen.timeline.formReceivedUs(lastSlot);
  // The lag key matches the last form's (its slot for base forms, -receivedUs for mutation forms), so dates agree with form meta.
  const modifiedUs = serverModifiedUs - deviceLagUs(key, isBase && !revision ? lastSlot : -serverModifiedUs);
  return { serverModifiedUs, modifiedUs };
}

export function buildCase(gen: Generation, index: number, revision?: CaseRevision): CaseRecord {
  const { program, timeline, baseCount, formsPerCase } = gen;
  const { key } = program;
  const core = caseCore(key, index);
  const isBase = index < baseCount;
  if (!isBase && !revision?.createdUs) throw new Error(`case ${index} does not exist`);

  const serverOpenedUs = isBase ? timeline.formReceivedUs(index) : revision!.createdUs!;
  // Lag keys match the forms' (slot for base forms, -receivedUs for mutation forms), so dates agree with form meta.
  const openedUs = serverOpenedUs - deviceLagUs(key, isBase ? index : -serverOpenedUs);
  const lastSlot = timeline.lastSlotOf(index);
  const baseModifiedUs = isBase ? timeline.formReceivedUs(lastSlot) : serverOpenedUs;
  const { serverModifiedUs, modifiedUs } = modificationTimes(gen, index, revision);
  const closedInBase = isBase && core.closedInBase;
  const closed = revision ? revision.closed : closedInBase;
  const baseClosedUs = closedInBase ? baseModifiedUs - deviceLagUs(key, lastSlot) : null;
  const closedUs = revision ? revision.closedUs : baseClosedUs;

  const lastWave = Math.max(0, formsPerCase - 1);
  const baseUser = program.workers[formUserIndex(program, index, lastWave)]!.id;
  const userId = revision ? program.workers[revision.userIndex]!.id : baseUser;
  const openedBy = program.workers[formUserIndex(program, index, 0)]!.id;

  const rng = new Rng(hash32(key, SALT.case, index, 2));
  const properties = generateProperties(gen, core, openedUs, closed, rng);
  if (revision) Object.assign(properties, revision.properties);

  const xformIds: string[] = [];
  if (isBase) for (let wave = 0; wave < formsPerCase; wave++) xformIds.push(formIdOf(key, wave * baseCount + index));
  if (revision) xformIds.push(...revision.formIds);

  return {
    index,
    caseId: caseIdOf(key, index),
    type: core.type,
    name: caseName(gen, core),
    externalId: core.type === 'household' ? `HH-${String(core.blockHead / BLOCK_SIZE + 1).padStart(6, '0')}` : null,
    ownerId: ownerOf(program, core.blockHead),
    openedUs,
    modifiedUs,
    serverOpenedUs,
    serverModifiedUs,
    indexedOnUs: revision ? revision.indexedOnUs : timeline.caseIndexedOnUs(index),
    closed,
    closedUs,
    openedBy,
    closedBy: closed ? (revision?.closed ? program.workers[revision.userIndex]!.id : baseUser) : null,
    userId,
    properties,
    parent: core.parentIndex >= 0 ? { caseId: caseIdOf(key, core.parentIndex), caseType: caseCore(key, core.parentIndex).type } : null,
    xformIds,
  };
}

/** The property names of a case type, for the application API's `case_properties`. */
export function propertyNames(type: CaseType): string[] {
  return CASE_PROPERTIES[type].map((p) => p.name);
}
