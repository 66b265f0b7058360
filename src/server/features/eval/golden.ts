import { CASE_PROPERTIES, type CaseType } from '../../../../simulator/generator/case-types';
import type { CaseRecord } from '../../../../simulator/generator/cases';
import { DomainData } from '../../../../simulator/generator/domain-data';
import type { Expected, Label } from './matcher';

/**
 * The golden question set: plain-language questions about one simulated
 * domain, each with the answer computed from the simulator's own generator
 * (the records its API serves), never from Scout's warehouse or SQL.
 */

export type QuestionCategory = 'counting' | 'filtering' | 'grouping' | 'time' | 'relationships' | 'glossary';

/** A term a glossary would define; the knowledge layer can seed itself from these. */
export interface GlossaryTerm {
  term: string;
  definition: string;
}

export interface GoldenQuestion {
  id: string;
  category: QuestionCategory;
  question: string;
  expected: Expected;
  /** Set on questions phrased with a term only a glossary defines. */
  glossary?: GlossaryTerm;
}

export interface EvalDomain {
  seed: number;
  domain: string;
  cases: number;
  formsPerCase: number;
}

/** The domain every eval run syncs: small enough to sync in seconds, big enough for real groupings. */
export const EVAL_DOMAIN: EvalDomain = { seed: 11, domain: 'eval-clinic', cases: 1000, formsPerCase: 2 };

/** The glossary terms the golden questions use, with the definitions their expected answers follow. */
export const GLOSSARY: Record<string, GlossaryTerm> = {
  ancVisit: { term: 'ANC visit', definition: "A visit case whose visit_type is 'anc' (antenatal care)." },
  highRisk: { term: 'high-risk pregnancy', definition: "A pregnancy case whose risk_level is 'high'. 'Active' means the case is open." },
  referralRate: { term: 'referral rate', definition: "The share of visit cases with referred = 'yes', over all visit cases." },
  dangerSign: { term: 'danger-sign visit', definition: "A visit case whose danger_signs is anything other than 'none'." },
  activeHousehold: { term: 'active household', definition: 'A household case that is open (not closed).' },
  safeWater: { term: 'safe-water household', definition: "A household case whose water_source is 'piped', 'borehole' or 'protected_well'." },
  underFive: { term: 'under-five', definition: 'A person case whose age_years is below 5.' },
  liveBirth: { term: 'live birth', definition: "A pregnancy case whose pregnancy_outcome is 'live_birth'." },
};

/** A few questions from every category: what `--quick` asks. */
export const QUICK_QUESTION_IDS = [
  'cases-total',
  'households-open',
  'households-borehole',
  'pregnancies-high-risk',
  'households-per-village',
  'top-worker-forms',
  'forms-march-2023',
  'households-more-than-4-members',
  'anc-visits',
  'referral-rate',
];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

interface FormFact {
  name: string;
  receivedUs: number;
  workerIndex: number;
}

/** The domain's records as its simulator serves them, and the questions about them. */
export function goldenQuestions(domain: EvalDomain = EVAL_DOMAIN): GoldenQuestion[] {
  const data = new DomainData(domain.seed, domain.domain, domain.cases, domain.formsPerCase);
  const { program } = data.gen;
  const cases: CaseRecord[] = Array.from({ length: data.caseCount() }, (_, p) => data.caseAt(p));
  const forms: FormFact[] = Array.from({ length: data.formCount() }, (_, p) => ({ name: data.formDefAt(p).name, receivedUs: data.formReceivedAt(p), workerIndex: data.formUserIndexAt(p) }));
  const byId = new Map(cases.map((c) => [c.caseId, c]));
  const ofType = (type: CaseType) => cases.filter((c) => c.type === type);
  const households = ofType('household');
  const persons = ofType('person');
  const pregnancies = ofType('pregnancy');
  const visits = ofType('visit');
  const prop = (c: CaseRecord, name: string) => c.properties[name] ?? '';
  const count = (n: number): Expected => ({ kind: 'number', value: n });
  const share = (part: number, whole: number): Expected => ({ kind: 'number', value: whole === 0 ? 0 : part / whole, percent: true });
  const choices = (type: CaseType, name: string): Label[] => (CASE_PROPERTIES[type].find((p) => p.name === name)?.choices ?? []).map((c) => labelOf(c));

  const villages: Label[] = program.villages.map((v) => [v.name]);
  const workers: Label[] = program.workers.map((w) => [w.username, `${w.firstName} ${w.lastName}`, `${w.username}@${program.domain}.commcarehq.org`]);
  const districtOfVillage = (villageName: string): string => {
    const village = program.locations.villages.find((v) => v.name === villageName);
    const facility = village?.parentId ? program.locations.byId.get(village.parentId) : undefined;
    const district = facility?.parentId ? program.locations.byId.get(facility.parentId) : undefined;
    return district?.name ?? '';
  };
  const districts: Label[] = [...new Set(program.locations.all.filter((l) => l.typeCode === 'district').map((l) => l.name))].map((n) => [n]);

  const householdsPerVillage = tally(households, (h) => prop(h, 'village'));
  const formsPerWorker = tally(forms, (f) => program.workers[f.workerIndex]!.username);
  const membersOf = new Map<string, number>(households.map((h) => [h.caseId, 0]));
  for (const person of persons) if (person.parent && membersOf.has(person.parent.caseId)) membersOf.set(person.parent.caseId, membersOf.get(person.parent.caseId)! + 1);
  const memberCounts = [...membersOf.values()];
  const month = (us: number) => new Date(us / 1000).toISOString().slice(0, 7);
  const formsPerMonth = tally(forms, (f) => month(f.receivedUs));
  const monthLabel = (ym: string): Label => {
    const [year, m] = ym.split('-');
    const name = MONTHS[Number(m) - 1]!;
    return [ym, `${name} ${year}`, `${name.slice(0, 3)} ${year}`];
  };
  const ownerKind = (id: string) => (program.villages.some((v) => v.id === id) ? 'location' : program.workers.some((w) => w.id === id) ? 'user' : 'group');
  const householdOf = (c: CaseRecord): CaseRecord | undefined => {
    let current: CaseRecord | undefined = c;
    while (current && current.type !== 'household') current = current.parent ? byId.get(current.parent.caseId) : undefined;
    return current;
  };
  const year = (us: number) => new Date(us / 1000).getUTCFullYear();
  const safeWater = ['piped', 'borehole', 'protected_well'];

  const questions: GoldenQuestion[] = [
    // ---- counting ----
    q('cases-total', 'counting', 'How many cases are there in total?', count(cases.length)),
    q('households-total', 'counting', 'How many household cases are there?', count(households.length)),
    q('persons-total', 'counting', 'How many person cases (household members) are registered?', count(persons.length)),
    q('pregnancies-total', 'counting', 'How many pregnancy cases are there?', count(pregnancies.length)),
    q('visits-total', 'counting', 'How many visit cases are there?', count(visits.length)),
    q('forms-total', 'counting', 'How many forms have been submitted in total?', count(forms.length)),
    q('cases-open', 'counting', 'How many cases are still open (not closed)?', count(cases.filter((c) => !c.closed).length)),
    q('households-open', 'counting', 'How many household cases are open?', count(households.filter((c) => !c.closed).length)),
    q('visits-closed', 'counting', 'How many visit cases have been closed?', count(visits.filter((c) => c.closed).length)),
    q('forms-register-pregnancy', 'counting', 'How many "Register Pregnancy" forms were submitted?', count(forms.filter((f) => f.name === 'Register Pregnancy').length)),
    q('forms-home-visit', 'counting', 'How many "Home Visit" forms were submitted?', count(forms.filter((f) => f.name === 'Home Visit').length)),
    q('cases-per-type', 'counting', 'How many cases are there of each case type?', groups(tally(cases, (c) => c.type), (type) => [type, `${type} cases`])),
    q('forms-per-type', 'counting', 'How many forms of each form type were submitted?', groups(tally(forms, (f) => f.name), (name) => [name])),

    // ---- filtering on properties ----
    q('households-borehole', 'filtering', 'How many households get their drinking water from a borehole?', count(households.filter((h) => prop(h, 'water_source') === 'borehole').length)),
    q('households-no-latrine', 'filtering', 'How many households do not have a latrine?', count(households.filter((h) => prop(h, 'has_latrine') === 'no').length)),
    q('pregnancies-high-risk', 'filtering', 'How many pregnancy cases have a high risk level?', count(pregnancies.filter((p) => prop(p, 'risk_level') === 'high').length)),
    q('visits-fever', 'filtering', 'How many visits recorded fever as a danger sign?', count(visits.filter((v) => prop(v, 'danger_signs') === 'fever').length)),
    q('visits-referred', 'filtering', 'How many visits were referred to a facility?', count(visits.filter((v) => prop(v, 'referred') === 'yes').length)),
    q('persons-female', 'filtering', 'How many registered people are female?', count(persons.filter((p) => prop(p, 'sex') === 'female').length)),
    q('persons-60-plus', 'filtering', 'How many registered people are aged 60 or older?', count(persons.filter((p) => Number(prop(p, 'age_years')) >= 60).length)),
    q('latrine-share', 'filtering', 'What share of households have a latrine?', share(households.filter((h) => prop(h, 'has_latrine') === 'yes').length, households.length)),
    q('average-age', 'filtering', 'What is the average age in years of registered people?', { kind: 'number', value: mean(persons.map((p) => Number(prop(p, 'age_years')))) }),
    q(
      'danger-signs-seen',
      'filtering',
      "Which danger signs (other than 'none') were recorded on at least one visit?",
      set([...new Set(visits.map((v) => prop(v, 'danger_signs')).filter((d) => d && d !== 'none'))].map((d) => labelOf(d)), choices('visit', 'danger_signs').filter((l) => l[0] !== 'none')),
    ),
    q('visit-types-ranked', 'filtering', 'List the visit types from most to least common.', list(tally(visits, (v) => prop(v, 'visit_type')), choices('visit', 'visit_type'), labelOf)),

    // ---- grouping by location and worker ----
    q('households-per-village', 'grouping', 'How many households are there in each village?', groups(householdsPerVillage, (v) => [v])),
    q('village-most-households', 'grouping', 'Which village has the most households?', set(topKeys(householdsPerVillage).map((v) => [v]), villages)),
    q('top-3-villages', 'grouping', 'List the three villages with the most households, most first.', list(householdsPerVillage, villages, (v) => [v], 3)),
    q('households-per-district', 'grouping', 'How many households are there in each district?', groups(tally(households, (h) => districtOfVillage(prop(h, 'village'))), (d) => [d])),
    q(
      'cases-by-owner-kind',
      'grouping',
      'How many cases are owned by a location, by a mobile worker, and by a case-sharing group?',
      groups(tally(cases, (c) => ownerKind(c.ownerId)), (kind) => (kind === 'location' ? ['location', 'locations', 'village'] : kind === 'user' ? ['mobile worker', 'mobile workers', 'user', 'users', 'worker'] : ['case-sharing group', 'group', 'groups', 'team'])),
    ),
    q('top-worker-forms', 'grouping', 'Which mobile worker submitted the most forms?', set(topKeys(formsPerWorker).map((u) => workers.find((w) => w[0] === u)!), workers)),
    q('forms-per-worker', 'grouping', 'How many forms did each mobile worker submit?', groups(formsPerWorker, (u) => workers.find((w) => w[0] === u)!)),
    q('workers-submitting', 'grouping', 'How many different mobile workers have submitted at least one form?', count(formsPerWorker.size)),
    q('districts-with-households', 'grouping', 'Which districts have at least one household?', set([...new Set(households.map((h) => districtOfVillage(prop(h, 'village'))))].map((d) => [d]), districts)),

    // ---- time windows (server receipt time, UTC) ----
    q('forms-march-2023', 'time', 'How many forms were received in March 2023?', count(formsPerMonth.get('2023-03') ?? 0)),
    q('forms-2024', 'time', 'How many forms were received during 2024?', count(forms.filter((f) => year(f.receivedUs) === 2024).length)),
    q(
      'forms-per-month-h1-2023',
      'time',
      'How many forms were received in each month from January to June 2023?',
      groups(new Map(['2023-01', '2023-02', '2023-03', '2023-04', '2023-05', '2023-06'].map((m) => [m, formsPerMonth.get(m) ?? 0])), monthLabel),
    ),
    q('forms-q1-2024', 'time', 'How many forms were received in the first quarter (January to March) of 2024?', count(forms.filter((f) => month(f.receivedUs) >= '2024-01' && month(f.receivedUs) <= '2024-03').length)),
    q('households-opened-2023', 'time', 'How many households were registered (opened) in 2023?', count(households.filter((h) => year(h.openedUs) === 2023).length)),
    q('visits-opened-h2-2023', 'time', 'How many visit cases were opened between July 1 and December 31, 2023?', count(visits.filter((v) => month(v.openedUs) >= '2023-07' && month(v.openedUs) <= '2023-12').length)),

    // ---- relationships (households and members) ----
    q('households-more-than-4-members', 'relationships', 'How many households have more than 4 registered members (person cases under the household)?', count(memberCounts.filter((n) => n > 4).length)),
    q('average-members', 'relationships', 'What is the average number of registered members per household?', { kind: 'number', value: mean(memberCounts) }),
    q('largest-household', 'relationships', 'What is the largest number of registered members in any one household?', count(Math.max(...memberCounts))),
    q('households-with-pregnancy', 'relationships', 'How many households have at least one member with a pregnancy case?', count(new Set(pregnancies.map((p) => householdOf(p)?.caseId).filter(Boolean)).size)),
    q('visits-about-pregnancy', 'relationships', 'How many visit cases are linked to a pregnancy case as their parent?', count(visits.filter((v) => v.parent?.caseType === 'pregnancy').length)),
    q('members-in-top-village', 'relationships', `How many registered people live in households in ${topKeys(householdsPerVillage)[0]}?`, count(persons.filter((p) => prop(householdOf(p) ?? p, 'village') === topKeys(householdsPerVillage)[0]).length)),

    // ---- questions that need the glossary ----
    glossaryQ('anc-visits', 'How many ANC visits have been recorded?', count(visits.filter((v) => prop(v, 'visit_type') === 'anc').length), GLOSSARY.ancVisit!),
    glossaryQ('active-high-risk', 'How many active high-risk pregnancies are there?', count(pregnancies.filter((p) => !p.closed && prop(p, 'risk_level') === 'high').length), GLOSSARY.highRisk!),
    glossaryQ('referral-rate', 'What is the referral rate?', share(visits.filter((v) => prop(v, 'referred') === 'yes').length, visits.length), GLOSSARY.referralRate!),
    glossaryQ('danger-sign-visits', 'How many danger-sign visits were there?', count(visits.filter((v) => prop(v, 'danger_signs') !== 'none').length), GLOSSARY.dangerSign!),
    glossaryQ('active-households', 'How many active households are there?', count(households.filter((h) => !h.closed).length), GLOSSARY.activeHousehold!),
    glossaryQ('safe-water-households', 'How many safe-water households are there?', count(households.filter((h) => safeWater.includes(prop(h, 'water_source'))).length), GLOSSARY.safeWater!),
    glossaryQ('under-fives', 'How many under-fives are registered?', count(persons.filter((p) => Number(prop(p, 'age_years')) < 5).length), GLOSSARY.underFive!),
    glossaryQ('live-births', 'How many live births have been recorded?', count(pregnancies.filter((p) => prop(p, 'pregnancy_outcome') === 'live_birth').length), GLOSSARY.liveBirth!),
  ];
  return questions;
}

/** The questions `--quick` asks, or all. */
export function selectQuestions(all: GoldenQuestion[], quick: boolean): GoldenQuestion[] {
  return quick ? QUICK_QUESTION_IDS.map((id) => all.find((question) => question.id === id)!) : all;
}

function q(id: string, category: QuestionCategory, question: string, expected: Expected): GoldenQuestion {
  return { id, category, question, expected };
}

function glossaryQ(id: string, question: string, expected: Expected, glossary: GlossaryTerm): GoldenQuestion {
  return { id, category: 'glossary', question, expected, glossary };
}

function labelOf(value: string): Label {
  return value.includes('_') ? [value, value.replace(/_/g, ' '), value.replace(/_/g, '-')] : [value];
}

function tally<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** The keys tied for the highest count. */
function topKeys(counts: Map<string, number>): string[] {
  const max = Math.max(...counts.values());
  return [...counts].filter(([, n]) => n === max).map(([k]) => k);
}

function groups(counts: Map<string, number>, label: (key: string) => Label): Expected {
  return { kind: 'groups', groups: [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([key, value]) => ({ label: label(key), value })) };
}

function set(values: Label[], universe: Label[]): Expected {
  return { kind: 'set', values, universe };
}

/** Keys ranked by count, ties sharing a tier; `top` keeps the first places (whole tiers, so a tie at the cut is kept together). */
function list(counts: Map<string, number>, universe: Label[], label: (key: string) => Label, top = Infinity): Expected {
  const byCount = new Map<number, string[]>();
  for (const [key, n] of counts) byCount.set(n, [...(byCount.get(n) ?? []), key]);
  const tiers: Label[][] = [];
  let size = 0;
  for (const n of [...byCount.keys()].sort((a, b) => b - a)) {
    if (size >= top) break;
    const keys = byCount.get(n)!.sort();
    tiers.push(keys.map((k) => universe.find((u) => u[0] === k) ?? label(k)));
    size += keys.length;
  }
  return { kind: 'list', tiers, universe };
}
