import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOMAIN, allV05, startTestSimulator, type TestSimulator, type V05Page } from './test-support';

/**
 * The v0.5 case and form filters, as HQ's es_query_from_get_params builds
 * them: consumed parameters, and a lowercased Elasticsearch term for every
 * other parameter, so nothing is silently ignored.
 */

type Form = { id: string; app_id: string; form: { '@xmlns': string; case: { '@case_id': string }; meta: { userID: string; username: string; deviceID: string } }; [key: string]: unknown };
type Case = V05Page['objects'][number] & { properties: Record<string, string | null>; closed: boolean; user_id: string };

const FORMS = `/a/${DOMAIN}/api/v0.5/form/`;
const CASES = `/a/${DOMAIN}/api/v0.5/case/`;

describe('v0.5 filters', () => {
  let sim: TestSimulator;
  let forms: Form[];
  let cases: Case[];

  const formIds = async (query: string) => (await allV05<Form>(sim, `${FORMS}?limit=1000&${query}`)).objects.map((f) => f.id);
  const caseIds = async (query: string) => (await allV05<Case>(sim, `${CASES}?limit=1000&${query}`)).objects.map((c) => c.case_id);
  const total = async (path: string) => (await sim.json<V05Page>(path)).meta.total_count;

  beforeAll(async () => {
    sim = await startTestSimulator({ cases: 120 });
    forms = (await allV05<Form>(sim, `${FORMS}?limit=1000`)).objects;
    cases = (await allV05<Case>(sim, `${CASES}?limit=1000`)).objects;
  });
  afterAll(() => sim.close());

  describe('forms', () => {
    it('gives the same forms for xmlns and xmlns.exact, and only the forms of that xmlns', async () => {
      const xmlnses = [...new Set(forms.map((f) => f.form['@xmlns']))];
      expect(xmlnses.length).toBeGreaterThan(3);
      for (const xmlns of xmlnses) {
        const expected = forms.filter((f) => f.form['@xmlns'] === xmlns).map((f) => f.id);
        const viaXmlns = await formIds(`xmlns=${encodeURIComponent(xmlns)}`);
        expect(viaXmlns).toEqual(expected);
        expect(await formIds(`xmlns.exact=${encodeURIComponent(xmlns)}`)).toEqual(viaXmlns);
      }
      // Exact: a lowercased xmlns (its form id part is uppercase hex) is another xmlns.
      expect(await total(`${FORMS}?xmlns=${encodeURIComponent(xmlnses[0]!.toLowerCase())}`)).toBe(0);
    });

    it('filters by app_id, case_id and form.meta.userID (lowercased terms on the form index)', async () => {
      const appId = forms[0]!.app_id;
      expect(await formIds(`app_id=${appId}`)).toEqual(forms.filter((f) => f.app_id === appId).map((f) => f.id));
      const caseId = forms[3]!.form.case['@case_id'];
      const touching = forms.filter((f) => f.form.case['@case_id'] === caseId).map((f) => f.id);
      expect(touching.length).toBeGreaterThan(0);
      expect(await formIds(`case_id=${caseId}`)).toEqual(touching);
      const userId = forms[5]!.form.meta.userID;
      expect(await formIds(`form.meta.userID=${userId}`)).toEqual(forms.filter((f) => f.form.meta.userID === userId).map((f) => f.id));
      const username = forms[5]!.form.meta.username;
      expect(await formIds(`form.meta.username=${username}`)).toEqual(forms.filter((f) => f.form.meta.username === username).map((f) => f.id));
      // Values are lowercased before the term: an uppercase device id never matches, as on HQ.
      expect(await total(`${FORMS}?form.meta.deviceID=${forms[0]!.form.meta.deviceID}`)).toBe(0);
    });

    it('turns unknown and unindexed parameters into terms that match nothing, instead of ignoring them', async () => {
      for (const query of ['user_id=' + forms[0]!.form.meta.userID, 'appVersion=2.53.1', 'foo=bar', 'xmlnss=x', 'metadata.userID=' + forms[0]!.form.meta.userID]) {
        expect(await total(`${FORMS}?${query}`)).toBe(0);
      }
    });

    it('ignores tastypie parameters, *__full and include_archived (no form is archived)', async () => {
      const all = forms.length;
      for (const query of ['format=json', 'cases__full=true', 'include_archived=true', 'username=someone', 'api_key=x']) {
        expect(await total(`${FORMS}?${query}`)).toBe(all);
      }
    });

    it('combines filters with AND, and with date ranges (server_modified_on, server_date_modified)', async () => {
      const appId = forms[0]!.app_id;
      const byDate = [...forms].sort((a, b) => (String(a.received_on) < String(b.received_on) ? -1 : 1));
      const start = String(byDate[40]!.received_on).slice(0, 26);
      const expected = forms.filter((f) => f.app_id === appId && String(f.received_on).slice(0, 26) >= start).map((f) => f.id);
      expect(await formIds(`app_id=${appId}&server_modified_on_start=${start}`)).toEqual(expected);
      expect(await formIds(`app_id=${appId}&server_date_modified_start=${start}`)).toEqual(expected);
      expect(await formIds(`app_id=${appId}&received_on_start=${start}`)).toEqual(expected);
    });

    it('takes _search only in the two shapes HQ knows', async () => {
      const byIndex = [...forms].sort((a, b) => (String(a.indexed_on) < String(b.indexed_on) ? -1 : 1));
      const after = String(byIndex[50]!.indexed_on);
      const search = encodeURIComponent(JSON.stringify({ filter: { range: { inserted_at: { gt: after } } } }));
      expect(await formIds(`_search=${search}&order_by=indexed_on`)).toEqual(byIndex.slice(51).map((f) => f.id));
      const other = await sim.get(`${FORMS}?_search=${encodeURIComponent(JSON.stringify({ filter: { term: { xmlns: 'x' } } }))}`);
      expect(other.status).toBe(400);
      expect(await other.json()).toEqual({ error: '' });
      expect((await sim.get(`${FORMS}?_search=not-json`)).status).toBe(500);
    });

    it('answers 500 when Elasticsearch cannot parse a boolean or date term', async () => {
      expect((await sim.get(`${FORMS}?initial_processing_complete=yes`)).status).toBe(500);
      expect((await sim.get(`${FORMS}?received_on=yesterday`)).status).toBe(500);
      expect(await total(`${FORMS}?initial_processing_complete=TRUE`)).toBe(forms.length);
    });

    it('refuses orderings like tastypie', async () => {
      expect(await (await sim.get(`${FORMS}?order_by=app_id`)).json()).toEqual({ error: "The 'app_id' field does not allow ordering." });
      expect(await (await sim.get(`${FORMS}?order_by=nope`)).json()).toEqual({ error: "No matching 'nope' field for ordering on." });
      // The query is built before the ordering is checked: a bad date wins.
      expect(await (await sim.get(`${FORMS}?order_by=nope&received_on_start=x`)).json()).toEqual({ error: 'Bad query parameter: Unknown date format: x' });
    });
  });

  describe('cases', () => {
    it('filters by type, owner_id, user_id and closed through terms', async () => {
      expect(await caseIds('type=person')).toEqual(cases.filter((c) => c.properties.case_type === 'person').map((c) => c.case_id));
      expect(await caseIds('case_type=PERSON')).toEqual(await caseIds('type=person'));
      expect(await caseIds('type.exact=person')).toEqual(await caseIds('type=person'));
      expect(await total(`${CASES}?type.exact=PERSON`)).toBe(0);
      const owner = cases[7]!.properties.owner_id!;
      expect(await caseIds(`owner_id=${owner}`)).toEqual(cases.filter((c) => c.properties.owner_id === owner).map((c) => c.case_id));
      const user = cases[9]!.user_id;
      expect(await caseIds(`user_id=${user}`)).toEqual(cases.filter((c) => c.user_id === user).map((c) => c.case_id));
      expect(await caseIds('closed=true')).toEqual(cases.filter((c) => c.closed).map((c) => c.case_id));
      expect(await caseIds('closed=False')).toEqual(cases.filter((c) => !c.closed).map((c) => c.case_id));
      expect((await sim.get(`${CASES}?closed=yes`)).status).toBe(500);
    });

    it('matches analysed text fields one word at a time, and .exact fields whole', async () => {
      const household = cases.find((c) => c.properties.case_type === 'household')!;
      const name = household.properties.case_name!;
      const externalId = household.properties.external_id!;
      // "Otieno Household": the whole name is no single word of the analysed field; one word is.
      expect(await total(`${CASES}?case_name=${encodeURIComponent(name)}`)).toBe(0);
      expect(await caseIds(`case_name=${encodeURIComponent(name.split(' ')[0]!)}`)).toEqual(
        cases.filter((c) => c.properties.case_name!.toLowerCase().split(/[^a-z0-9]+/).includes(name.split(' ')[0]!.toLowerCase())).map((c) => c.case_id),
      );
      expect(await caseIds(`name.exact=${encodeURIComponent(name)}`)).toEqual(cases.filter((c) => c.properties.case_name === name).map((c) => c.case_id));
      // HH-000001 is two words to the analyser.
      expect(await total(`${CASES}?external_id=${externalId}`)).toBe(0);
      expect(await caseIds(`external_id.exact=${externalId}`)).toEqual([household.case_id]);
    });

    it('matches nothing for case properties (not indexed) and unknown parameters', async () => {
      for (const query of ['village=Kibera', 'sex=female', 'nonsense=1', 'include_archived=true']) expect(await total(`${CASES}?${query}`)).toBe(0);
    });

    it('validates dates and orderings like HQ', async () => {
      expect(await (await sim.get(`${CASES}?server_modified_on_start=2024-01-01Z`)).json()).toEqual({ error: 'Bad query parameter: Unknown date format: 2024-01-01Z' });
      expect(await (await sim.get(`${CASES}?order_by=user_id`)).json()).toEqual({ error: "The 'user_id' field does not allow ordering." });
      expect(await (await sim.get(`${CASES}?order_by=case_name`)).json()).toEqual({ error: "No matching 'case_name' field for ordering on." });
    });
  });
});
