import { caseCore } from './blocks';
import { formFor, type FormDef, type FormNode } from './case-types';
import { buildCase, deviceLagUs, formIdOf, formUserIndex, type CaseRecord, type CaseRevision, type Generation } from './cases';
import { NOTES } from './names';
import { SALT, type FormMeta } from './program';
import { Rng, hash32 } from '../prng';
import { MICROS_PER_DAY, MICROS_PER_SECOND, formatDate, formatNaive, formatUtc } from '../time';

/**
 * Form submissions, built on demand. Base form slot s is form number
 * floor(s / caseCount) of case s % caseCount (see Timeline); forms added by
 * /_sim mutate are ExtraForms kept in the domain's overlay.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface ExtraForm {
  id: string;
  /** Running number of the extra form within its domain (seeds its random parts). */
  number: number;
  caseIndex: number;
  kind: 'create' | 'update' | 'close';
  receivedUs: number;
  indexedOnUs: number;
  userIndex: number;
  /** Property values this form wrote (the whole case for `create`). */
  changes: Record<string, string>;
}

export interface FormRecord {
  id: string;
  xmlns: string;
  appId: string;
  receivedUs: number;
  indexedOnUs: number;
  /** The HQ form object; `resource_uri` is left empty for the route to fill in. */
  body: JsonObject;
}

const CASE_XMLNS = 'http://commcarehq.org/case/transaction/v2';
const META_XMLNS = 'http://openrosa.org/jr/xforms';
const COMMCARE_VERSION = '2.53.1';

function appVersionString(meta: FormMeta): string {
  return `CommCare Android, version "${COMMCARE_VERSION}"(465241). App v${meta.appVersion}. CommCare Version ${COMMCARE_VERSION}. Build 465241, built on: 2023-05-02`;
}

/** A value for a question that doesn't save to the case. */
function answer(node: FormNode & { kind: 'question' }, rng: Rng, receivedUs: number): string {
  switch (node.type) {
    case 'Select':
      return node.options && node.options.length > 0 ? rng.pick(node.options) : '';
    case 'Int':
      return String(rng.int(10));
    case 'Decimal':
      return (rng.next() * 100).toFixed(1);
    case 'Date':
      return formatDate(receivedUs - rng.int(30) * MICROS_PER_DAY);
    case 'PhoneNumber':
      return `+2547${String(rng.int(100_000_000)).padStart(8, '0')}`;
    case 'Text':
      return node.id === 'blood_pressure' ? `${rng.between(100, 150)}/${rng.between(60, 95)}` : rng.pick(NOTES);
  }
}

/** The question tree with answers: groups become nested objects, as HQ renders form XML as JSON. */
function answers(nodes: readonly FormNode[], values: Record<string, string>, rng: Rng, receivedUs: number): JsonObject {
  const out: JsonObject = {};
  for (const node of nodes) {
    if (node.kind === 'group') out[node.id] = answers(node.children, values, rng, receivedUs);
    else out[node.id] = node.property !== undefined && node.property in values ? values[node.property]! : answer(node, rng, receivedUs);
  }
  return out;
}

function savedProperties(nodes: readonly FormNode[], into: Set<string> = new Set()): Set<string> {
  for (const node of nodes) {
    if (node.kind === 'group') savedProperties(node.children, into);
    else if (node.property !== undefined) into.add(node.property);
  }
  return into;
}

interface Submission {
  id: string;
  def: FormDef;
  kase: CaseRecord;
  /** Property values the form's questions show and its case block writes. */
  values: Record<string, string>;
  closes: boolean;
  receivedUs: number;
  indexedOnUs: number;
  userIndex: number;
  /** Seeds the form's random parts (answers, durations, IP). */
  seed: number;
  /** Keys the phone-clock lag, matching the one buildCase used for the case's dates. */
  lagKey: number;
}

function render(gen: Generation, sub: Submission): FormRecord {
  const { program } = gen;
  const meta = program.formMeta(sub.def.key);
  const worker = program.workers[sub.userIndex]!;
  const rng = new Rng(sub.seed);
  const timeEndUs = sub.receivedUs - deviceLagUs(program.key, sub.lagKey);
  const timeStartUs = timeEndUs - (120 + rng.int(1380)) * MICROS_PER_SECOND;
  const saved = savedProperties(sub.def.children);
  const update: JsonObject = {};
  for (const name of saved) if (name in sub.values) update[name] = sub.values[name]!;

  const caseBlock: JsonObject = {
    '@case_id': sub.kase.caseId,
    '@date_modified': formatUtc(timeEndUs),
    '@user_id': worker.id,
    '@xmlns': CASE_XMLNS,
  };
  if (sub.def.role === 'register') {
    caseBlock.create = { case_name: sub.kase.name, case_type: sub.kase.type, owner_id: sub.kase.ownerId };
  }
  caseBlock.update = update;
  if (sub.def.role === 'register' && sub.kase.parent) {
    caseBlock.index = {
      parent: { '@case_type': sub.kase.parent.caseType, '@relationship': 'child', '#text': sub.kase.parent.caseId },
    };
  }
  if (sub.closes) caseBlock.close = '';

  const appVersion = appVersionString(meta);
  const form: JsonObject = {
    '#type': 'data',
    '@name': sub.def.name,
    '@uiVersion': '1',
    '@version': String(meta.appVersion),
    '@xmlns': meta.xmlns,
    ...answers(sub.def.children, sub.values, rng, sub.receivedUs),
    case: caseBlock,
    meta: {
      '@xmlns': META_XMLNS,
      appVersion,
      deviceID: worker.deviceId,
      drift: '0',
      instanceID: sub.id,
      timeEnd: formatUtc(timeEndUs),
      timeStart: formatUtc(timeStartUs),
      userID: worker.id,
      username: worker.username,
    },
  };

  // Keys in alphabetical order: tastypie serialises v0.5 resources with sort_keys.
  const body: JsonObject = {
    app_id: meta.appId,
    archived: false,
    attachments: { 'form.xml': { content_type: 'text/xml', length: 900 + (sub.seed % 2400) } },
    build_id: meta.buildId,
    domain: program.domain,
    edited_by_user_id: null,
    edited_on: null,
    form,
    id: sub.id,
    indexed_on: formatUtc(sub.indexedOnUs),
    initial_processing_complete: true,
    is_phone_submission: true,
    metadata: {
      appVersion,
      app_build_version: meta.appVersion,
      commcare_version: COMMCARE_VERSION,
      deprecatedID: null,
      deviceID: worker.deviceId,
      doc_type: 'Metadata',
      drift: '0',
      geo_point: null,
      instanceID: sub.id,
      location: null,
      timeEnd: formatNaive(timeEndUs),
      timeStart: formatNaive(timeStartUs),
      userID: worker.id,
      username: worker.username,
    },
    problem: null,
    received_on: formatUtc(sub.receivedUs),
    // Filled in per request (it depends on the path); here for its place in the key order.
    resource_uri: '',
    server_modified_on: formatUtc(sub.receivedUs),
    submit_ip: `10.${sub.seed & 0xff}.${(sub.seed >>> 8) & 0xff}.${(sub.seed >>> 16) & 0xff}`,
    type: 'data',
    uiversion: '1',
    version: String(meta.appVersion),
  };
  return { id: sub.id, xmlns: meta.xmlns, appId: meta.appId, receivedUs: sub.receivedUs, indexedOnUs: sub.indexedOnUs, body };
}

/** Which form definition base slot s uses: cheap, for xmlns / app_id filters. */
export function baseFormDef(gen: Generation, slot: number): FormDef {
  const wave = Math.floor(slot / gen.baseCount);
  return formFor(caseCore(gen.program.key, slot % gen.baseCount).type, wave === 0 ? 'register' : 'followup');
}

export function extraFormDef(gen: Generation, extra: ExtraForm): FormDef {
  return formFor(caseCore(gen.program.key, extra.caseIndex).type, extra.kind === 'create' ? 'register' : 'followup');
}

/** Base form slot s: base forms never change, so they describe the case's base state. */
export function buildBaseForm(gen: Generation, slot: number): FormRecord {
  const { baseCount, timeline, program } = gen;
  const caseIndex = slot % baseCount;
  const wave = Math.floor(slot / baseCount);
  const kase = buildCase(gen, caseIndex);
  const lastWave = wave === gen.formsPerCase - 1;
  return render(gen, {
    id: formIdOf(program.key, slot),
    def: baseFormDef(gen, slot),
    kase,
    values: kase.properties,
    closes: lastWave && caseCore(program.key, caseIndex).closedInBase,
    receivedUs: timeline.formReceivedUs(slot),
    indexedOnUs: timeline.formIndexedUs(slot),
    userIndex: formUserIndex(program, caseIndex, wave),
    seed: hash32(program.key, SALT.form, slot),
    lagKey: slot,
  });
}

export function buildExtraForm(gen: Generation, extra: ExtraForm, revision: CaseRevision | undefined): FormRecord {
  const kase = buildCase(gen, extra.caseIndex, revision);
  return render(gen, {
    id: extra.id,
    def: extraFormDef(gen, extra),
    kase,
    values: extra.changes,
    closes: extra.kind === 'close',
    receivedUs: extra.receivedUs,
    indexedOnUs: extra.indexedOnUs,
    userIndex: extra.userIndex,
    seed: hash32(gen.program.key, SALT.extraForm, extra.number),
    lagKey: -extra.receivedUs,
  });
}
