import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOMAIN, allV05, allV2, startTestSimulator, type TestSimulator, type V05Page } from './test-support';

/**
 * The location-restricted demo supervisor (field-supervisor@example.com,
 * restricted to the Kisumu East district): what HQ lets them see, checked
 * against what the unrestricted demo admin sees.
 */

const SUPERVISOR = { Authorization: 'ApiKey field-supervisor@example.com:supervisor-key' };
const base = `/a/${DOMAIN}/api`;

interface Location {
  location_id: string;
  parent_location_id: string;
  site_code: string;
  location_type_code: string;
}
interface Worker {
  id: string;
  locations: string[];
  [key: string]: unknown;
}

/** What the supervisor should see, computed from the admin's view with HQ's rules. */
interface Expected {
  locationIds: Set<string>;
  workerIds: Set<string>;
  caseIds: string[];
  formIds: string[];
  allCases: number;
}

async function expectedFor(sim: TestSimulator): Promise<Expected> {
  const locations = (await allV05<Location & Record<string, unknown>>(sim, `${base}/location/v2/?limit=5000`)).objects;
  const district = locations.find((l) => l.site_code === 'kisumu_east')!;
  // The district and everything below it (locations come top-down, so one pass suffices).
  const locationIds = new Set([district.location_id]);
  for (const l of locations) if (locationIds.has(l.parent_location_id)) locationIds.add(l.location_id);
  const workers = (await allV05<Worker>(sim, `${base}/v0.5/user/?limit=1000`)).objects;
  const workerIds = new Set(workers.filter((w) => w.locations.some((id) => locationIds.has(id))).map((w) => w.id));
  const cases = (await allV2(sim, `${base}/case/v2/?limit=5000`)).pages.flatMap((p) => p.cases);
  const caseIds = cases.filter((c) => locationIds.has(c.owner_id as string) || workerIds.has(c.owner_id as string)).map((c) => c.case_id);
  const forms = (await allV05<{ id: string; form: { meta: { userID: string } } }>(sim, `${base}/v0.5/form/?limit=1000&order_by=indexed_on`)).objects;
  const formIds = forms.filter((f) => workerIds.has(f.form.meta.userID)).map((f) => f.id);
  return { locationIds, workerIds, caseIds, formIds, allCases: cases.length };
}

describe('a location-restricted user (HQ default: APIs that are not location-safe deny them)', () => {
  let sim: TestSimulator;
  let expected: Expected;

  beforeAll(async () => {
    sim = await startTestSimulator({ cases: 1000 });
    expected = await expectedFor(sim);
  });
  afterAll(() => sim.close());

  it('gets exactly the cases owned by their district, its locations and its workers on case API v2', async () => {
    expect(expected.caseIds.length).toBeGreaterThan(100);
    expect(expected.caseIds.length).toBeLessThan(expected.allCases);
    const { ids, pages } = await allV2(sim, `${base}/case/v2/?limit=97`, SUPERVISOR);
    expect(pages[0]!.matching_records).toBe(expected.caseIds.length);
    expect(ids).toEqual(expected.caseIds);
    // Filters narrow further, never widen.
    const persons = await sim.json<{ matching_records: number }>(`${base}/case/v2/?case_type=person&limit=1`, SUPERVISOR);
    const allPersons = await sim.json<{ matching_records: number }>(`${base}/case/v2/?case_type=person&limit=1`);
    expect(persons.matching_records).toBeLessThan(allPersons.matching_records);
    // The unrestricted admin sees every case.
    expect((await sim.json<{ matching_records: number }>(`${base}/case/v2/?limit=1`)).matching_records).toBe(1000);
  });

  it('sees only their subtree on the location API: the district is the one location whose parent is not listed', async () => {
    const seen = (await allV05<Location & Record<string, unknown>>(sim, `${base}/location/v2/`, SUPERVISOR)).objects;
    expect(new Set(seen.map((l) => l.location_id))).toEqual(expected.locationIds);
    const ids = new Set(seen.map((l) => l.location_id));
    const roots = seen.filter((l) => !ids.has(l.parent_location_id));
    expect(roots.map((l) => [l.site_code, l.location_type_code])).toEqual([['kisumu_east', 'district']]);
  });

  it('learns their role and restriction from the SSO resource (the web-user list needs edit_web_users)', async () => {
    const response = await fetch(`${sim.url}${base}/v0.5/sso/`, {
      method: 'POST',
      body: new URLSearchParams({ username: 'field-supervisor@example.com', password: 'supervisor-password' }),
    });
    expect(response.status).toBe(200);
    const me = (await response.json()) as Record<string, unknown>;
    expect(me).toMatchObject({ username: 'field-supervisor@example.com', role: 'Field Supervisor', is_admin: false, resource_uri: '' });
    expect(me.permissions).toMatchObject({ access_all_locations: false, edit_web_users: false });
    const wrong = await fetch(`${sim.url}${base}/sso/v1/`, { method: 'POST', body: new URLSearchParams({ username: 'field-supervisor@example.com', password: 'x' }) });
    expect(wrong.status).toBe(403);
    const missing = await fetch(`${sim.url}${base}/sso/v1/`, { method: 'POST', body: new URLSearchParams({ username: 'field-supervisor@example.com' }) });
    expect([missing.status, await missing.text()]).toEqual([400, 'Missing required parameter: password']);
    expect((await sim.get(`${base}/v0.5/sso/`)).status).toBe(405);
  });

  it('is denied, with HQ’s 403 page, on every API that is not location-safe', async () => {
    for (const path of ['v0.5/case/', 'case/v1/', 'v0.5/form/', 'v0.5/user/', 'v0.5/web-user/', 'v0.5/group/', 'v0.5/location_type/', 'v0.5/application/', 'v0.5/lookup_table/']) {
      const response = await sim.get(`${base}/${path}`, SUPERVISOR);
      expect(response.status, path).toBe(403);
      expect(await response.text()).toContain('This project has restricted data access rules');
    }
  });

  it('still knows who they are and where they belong', async () => {
    expect(await sim.json(`/api/v0.5/identity/`, SUPERVISOR)).toMatchObject({ username: 'field-supervisor@example.com', first_name: 'Faith' });
    expect((await sim.json<{ objects: { domain_name: string }[] }>('/api/v0.5/user_domains/', SUPERVISOR)).objects.map((d) => d.domain_name)).toEqual([DOMAIN]);
    const basic = { Authorization: `Basic ${Buffer.from('field-supervisor@example.com:supervisor-password').toString('base64')}` };
    expect((await sim.json<{ matching_records: number }>(`${base}/case/v2/?limit=1`, basic)).matching_records).toBe(expected.caseIds.length);
  });
});

describe("a location-restricted user when the other APIs filter ('filter' mode)", () => {
  let sim: TestSimulator;
  let expected: Expected;

  beforeAll(async () => {
    sim = await startTestSimulator({ cases: 1000, restrictedUserAccess: 'filter' });
    expected = await expectedFor(sim);
  });
  afterAll(() => sim.close());

  it('gets the same cases on v0.5 as on v2, and the forms their workers submitted', async () => {
    const cases = (await allV05(sim, `${base}/v0.5/case/?limit=1000`, SUPERVISOR)).objects;
    expect(cases.map((c) => c.case_id)).toEqual(expected.caseIds);
    const forms = (await allV05<{ id: string }>(sim, `${base}/v0.5/form/?limit=1000&order_by=indexed_on`, SUPERVISOR)).objects;
    expect(expected.formIds.length).toBeGreaterThan(100);
    expect(forms.map((f) => f.id)).toEqual(expected.formIds);
    // Filters still apply within the restriction.
    const persons = (await sim.json<V05Page>(`${base}/v0.5/case/?type=person&limit=1`, SUPERVISOR)).meta.total_count;
    expect(persons).toBeLessThan(expected.caseIds.length);
  });

  it('sees the workers at their locations, no groups, and the whole application list', async () => {
    const workers = (await allV05<Worker>(sim, `${base}/v0.5/user/`, SUPERVISOR)).objects;
    expect(new Set(workers.map((w) => w.id))).toEqual(expected.workerIds);
    expect((await sim.json<V05Page>(`${base}/v0.5/group/`, SUPERVISOR)).meta.total_count).toBe(0);
    expect((await sim.json<V05Page>(`${base}/v0.5/application/`, SUPERVISOR)).objects).toHaveLength(2);
    // Permissions still hold: a restricted role never has edit_web_users.
    expect((await sim.get(`${base}/v0.5/web-user/`, SUPERVISOR)).status).toBe(403);
  });

  it('keeps the restriction consistent after cases change', async () => {
    await sim.post(`/_sim/domains/${DOMAIN}/mutate`, { modify: 50, create: 40, close: 10 });
    const after = await expectedFor(sim);
    expect(after.allCases).toBe(1040);
    expect((await allV2(sim, `${base}/case/v2/?limit=1000`, SUPERVISOR)).ids).toEqual(after.caseIds);
    const v05 = (await allV05(sim, `${base}/v0.5/case/?limit=1000&order_by=indexed_on`, SUPERVISOR)).objects;
    expect(v05.map((c) => c.case_id)).toEqual(after.caseIds);
  });
});

describe("a location-restricted user when the restriction goes unseen ('unfiltered' mode)", () => {
  it('gets the whole domain from the APIs that are not location-safe, and still only their cases from v2', async () => {
    const sim = await startTestSimulator({ cases: 200, restrictedUserAccess: 'unfiltered' });
    try {
      expect((await sim.json<V05Page>(`${base}/v0.5/case/?limit=1`, SUPERVISOR)).meta.total_count).toBe(200);
      expect((await sim.json<V05Page>(`${base}/v0.5/form/?limit=1`, SUPERVISOR)).meta.total_count).toBe(400);
      expect((await sim.json<{ matching_records: number }>(`${base}/case/v2/?limit=1`, SUPERVISOR)).matching_records).toBeLessThan(200);
    } finally {
      await sim.close();
    }
  });
});
