import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOMAIN, allV05, allV2, startTestSimulator, type TestSimulator, type V05Page } from './test-support';

/** Mobile workers, web users, groups, locations, location types and lookup tables: HQ's shapes, paging and rules. */

type Json = Record<string, unknown>;
interface Worker extends Json {
  id: string;
  username: string;
  groups: string[];
  locations: string[];
  primary_location: string | null;
  user_data: Record<string, string>;
}
interface Location extends Json {
  location_id: string;
  parent_location_id: string;
  location_type_code: string;
  site_code: string;
}

const base = `/a/${DOMAIN}/api`;

describe('directory APIs', () => {
  let sim: TestSimulator;
  let workers: Worker[];
  let locations: Location[];
  let groups: (Json & { id: string; users: string[]; case_sharing: boolean })[];

  beforeAll(async () => {
    sim = await startTestSimulator({ cases: 1200 });
    workers = (await allV05<Worker>(sim, `${base}/v0.5/user/`)).objects;
    locations = (await allV05<Location>(sim, `${base}/location/v2/`)).objects;
    groups = (await allV05<Json & { id: string; users: string[]; case_sharing: boolean }>(sim, `${base}/v0.5/group/`)).objects;
  });
  afterAll(() => sim.close());

  it('lists mobile workers with HQ field names, 20 a page, relative links', async () => {
    const page = await sim.json<V05Page<Worker>>(`${base}/v0.5/user/`);
    expect(page.meta).toMatchObject({ limit: 20, offset: 0, previous: null, total_count: workers.length });
    expect(workers.length).toBe(5);
    const worker = page.objects[0]!;
    expect(Object.keys(worker)).toEqual([
      'default_phone_number', 'email', 'eulas', 'first_name', 'groups', 'id', 'last_name', 'locations', 'phone_numbers', 'primary_location',
      'resource_uri', 'user_data', 'username',
    ]);
    expect(worker.username.endsWith(`@${DOMAIN}.commcarehq.org`)).toBe(true);
    expect(worker.username.split('@')[0]).toMatch(/^[a-z]+\.[a-z]+\d*$/);
    expect(worker.resource_uri).toBe(`${base}/v0.5/user/${worker.id}/`);
    expect(worker.primary_location).toBe(worker.locations[0]);
    expect(worker.user_data).toMatchObject({ commcare_location_id: worker.primary_location, commcare_location_ids: worker.locations.join(' '), commcare_project: DOMAIN });
    expect((await sim.json<V05Page<Worker>>(`${base}/user/v1/?limit=2&offset=2`)).objects.map((w) => w.id)).toEqual(workers.slice(2, 4).map((w) => w.id));
    const detail = await sim.json<Worker>(`${base}/v0.5/user/${worker.id}/`);
    expect(detail).toEqual(worker);
    expect((await sim.get(`${base}/v0.5/user/nope/`)).status).toBe(404);
  });

  it('filters mobile workers by group, and refuses an unknown group like HQ', async () => {
    const team = groups.find((g) => g.case_sharing)!;
    const members = (await allV05<Worker>(sim, `${base}/v0.5/user/?group=${team.id}`)).objects;
    expect(members.map((w) => w.id).sort()).toEqual([...team.users].sort());
    const refused = await sim.get(`${base}/v0.5/user/?group=nope`);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: `Project ${DOMAIN} has no group with id=nope` });
    expect((await sim.json<V05Page>(`${base}/v0.5/user/?archived=true`)).meta.total_count).toBe(0);
  });

  it('resolves every form submitter and every case owner through the user, group and location APIs', async () => {
    const workerIds = new Set(workers.map((w) => w.id));
    const groupIds = new Set(groups.map((g) => g.id));
    const locationIds = new Set(locations.map((l) => l.location_id));
    const forms = (await allV05<{ form: { meta: { userID: string } }; metadata: { userID: string } }>(sim, `${base}/v0.5/form/?limit=1000`)).objects;
    for (const form of forms) expect(workerIds.has(form.form.meta.userID)).toBe(true);
    const cases = (await allV2(sim, `${base}/case/v2/?limit=5000`)).pages.flatMap((p) => p.cases);
    const kinds = { user: 0, group: 0, location: 0 };
    for (const kase of cases) {
      const owner = kase.owner_id as string;
      if (workerIds.has(owner)) kinds.user++;
      else if (groupIds.has(owner)) kinds.group++;
      else if (locationIds.has(owner)) kinds.location++;
      else throw new Error(`owner ${owner} resolves nowhere`);
    }
    expect(kinds.user).toBeGreaterThan(0);
    expect(kinds.group).toBeGreaterThan(0);
    expect(kinds.location).toBeGreaterThan(cases.length / 3);
    // Only case-sharing groups own cases; owning locations are villages, under a facility, a district and the state.
    const byId = new Map(locations.map((l) => [l.location_id, l]));
    for (const kase of cases) {
      const owner = kase.owner_id as string;
      if (groupIds.has(owner)) expect(groups.find((g) => g.id === owner)!.case_sharing).toBe(true);
      if (!locationIds.has(owner)) continue;
      const chain: string[] = [];
      for (let at = byId.get(owner); at; at = byId.get(at.parent_location_id)) chain.push(at.location_type_code);
      expect(chain).toEqual(['village', 'facility', 'district', 'state']);
    }
  });

  it('lists groups with HQ field names', () => {
    expect(Object.keys(groups[0]!)).toEqual(['case_sharing', 'domain', 'id', 'metadata', 'name', 'reporting', 'resource_uri', 'users']);
    expect(groups.map((g) => g.name)).toEqual([...groups.map((g) => g.name as string)].sort());
    const workerIds = new Set(workers.map((w) => w.id));
    for (const group of groups) for (const user of group.users) expect(workerIds.has(user)).toBe(true);
    for (const worker of workers) for (const group of worker.groups) expect(groups.find((g) => g.id === group)!.users).toContain(worker.id);
  });

  it('lists web users with role, is_admin and permissions', async () => {
    const users = (await allV05<Json & { username: string; role: string; is_admin: boolean; permissions: Record<string, unknown> }>(sim, `${base}/v0.5/web-user/`)).objects;
    expect(users.map((u) => u.username)).toEqual(['demo@example.com', 'field-supervisor@example.com', 'limited@example.com']);
    expect(Object.keys(users[0]!)).toEqual([
      'default_phone_number', 'email', 'eulas', 'first_name', 'id', 'is_admin', 'last_name', 'permissions', 'phone_numbers', 'resource_uri', 'role', 'username',
    ]);
    const supervisor = users[1]!;
    expect(supervisor).toMatchObject({ role: 'Field Supervisor', is_admin: false });
    expect(supervisor.permissions).toMatchObject({ access_all_locations: false, access_api: true, edit_data: true, edit_web_users: false, view_groups: false });
    expect(users[0]).toMatchObject({ role: 'Admin', is_admin: true, permissions: expect.objectContaining({ access_all_locations: true }) as unknown });
    const one = await sim.json<V05Page>(`${base}/web-user/v1/?web_username=FIELD-SUPERVISOR@example.com`);
    expect(one.objects.map((u) => u.username)).toEqual(['field-supervisor@example.com']);
    // The supervisor's own API key cannot list web users (edit_web_users).
    expect((await sim.get(`${base}/v0.5/web-user/`, { Authorization: 'ApiKey limited@example.com:limited-key' })).status).toBe(200);
  });

  it('serves the location hierarchy on location API v2: HQ fields, no resource_uri, limit 20 up to 5000', async () => {
    expect(locations.map((l) => l.location_type_code).slice(0, 7)).toEqual(['state', 'district', 'district', 'facility', 'facility', 'facility', 'facility']);
    const first = await sim.json<V05Page<Location>>(`${base}/location/v2/`);
    expect(first.meta).toMatchObject({ limit: 20, total_count: locations.length });
    expect(Object.keys(first.objects[0]!)).toEqual([
      'domain', 'last_modified', 'latitude', 'location_data', 'location_id', 'location_type_code', 'location_type_name', 'longitude', 'name',
      'parent_location_id', 'site_code',
    ]);
    expect(first.objects[0]).toMatchObject({ parent_location_id: '', location_type_name: 'State', site_code: 'nyanza', latitude: null });
    const village = locations.find((l) => l.location_type_code === 'village')!;
    expect(village.latitude).toMatch(/^-?\d+\.\d{10}$/);
    expect(village.last_modified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    expect((await sim.json<V05Page>(`${base}/location/v2/?limit=9000`)).meta.limit).toBe(5000);
    expect(await sim.json(`${base}/location/v2/${village.location_id}/`)).toEqual(village);
    // tastypie ModelResource: a model field outside Meta.filtering is a 400; other parameters are ignored.
    expect(await (await sim.get(`${base}/location/v2/?name=Kibera`)).json()).toEqual({ error: "The 'name' field does not allow filtering." });
    expect(await (await sim.get(`${base}/location/v2/?order_by=name`)).json()).toEqual({ error: "The 'name' field does not allow ordering." });
    expect((await sim.json<V05Page>(`${base}/location/v2/?location_type_code=village`)).meta.total_count).toBe(locations.length);
    expect((await sim.json<V05Page>(`${base}/location/v2/?domain=elsewhere`)).meta.total_count).toBe(0);
  });

  it('serves location types with absolute URIs and parent links', async () => {
    const types = (await allV05<Json & { code: string; parent: string | null; resource_uri: string }>(sim, `${base}/v0.5/location_type/`)).objects;
    expect(types.map((t) => t.code)).toEqual(['state', 'district', 'facility', 'village']);
    expect(Object.keys(types[0]!)).toEqual(['administrative', 'code', 'domain', 'id', 'name', 'parent', 'resource_uri', 'shares_cases', 'view_descendants']);
    expect(types[0]!.parent).toBeNull();
    expect(types[3]).toMatchObject({ shares_cases: true, parent: types[2]!.resource_uri });
    expect(types[0]!.resource_uri).toBe(`${sim.origin}${base}/v0.5/location_type/${types[0]!.id as number}/`);
  });

  it('serves lookup tables, their rows, and the legacy fixture resource', async () => {
    const tables = (await allV05<Json & { id: string; tag: string; fields: { field_name: string; properties: string[] }[] }>(sim, `${base}/lookup_table/v1/`)).objects;
    expect(tables.map((t) => t.tag)).toEqual(['vaccines', 'danger_signs']);
    expect(Object.keys(tables[0]!)).toEqual(['fields', 'id', 'is_global', 'item_attributes', 'resource_uri', 'tag']);
    expect(tables[0]!.fields).toContainEqual({ field_name: 'name', properties: ['lang'] });
    const items = (await allV05<Json & { data_type_id: string; fields: Record<string, { field_list: { field_value: string; properties: Record<string, string> }[] }> }>(sim, `${base}/v0.5/lookup_table_item/`)).objects;
    expect(Object.keys(items[0]!)).toEqual(['data_type_id', 'fields', 'id', 'item_attributes', 'resource_uri', 'sort_key']);
    expect(Object.keys(items[0]!.fields)).toEqual(['age_weeks', 'code', 'name']);
    expect(items[0]!.fields.name!.field_list).toEqual([
      { field_value: 'BCG', properties: { lang: 'en' } },
      { field_value: 'BCG', properties: { lang: 'fra' } },
    ]);
    expect(new Set(items.map((i) => i.data_type_id))).toEqual(new Set(tables.map((t) => t.id)));
    const fixture = await sim.json<V05Page<Json & { fields: Record<string, unknown>; fixture_type: string }>>(`${base}/v0.5/fixture/?fixture_type=danger_signs`);
    expect(fixture.meta.limit).toBe(1000);
    expect(fixture.objects[0]).toMatchObject({ fixture_type: 'danger_signs', fields: { code: 'fever', label: 'High fever', action: 'refer_24h' } });
    expect((await sim.json<V05Page>(`${base}/fixture/v1/`)).meta.total_count).toBe(items.length);
  });

  it('checks the permission each resource needs', async () => {
    // A Field Supervisor's role lacks edit_apps (fixture) and edit_web_users; they are denied for their location restriction first.
    const supervisor = { Authorization: 'ApiKey field-supervisor@example.com:supervisor-key' };
    for (const path of ['v0.5/fixture/', 'v0.5/web-user/']) expect((await sim.get(`${base}/${path}`, supervisor)).status).toBe(403);
    const outsider = { Authorization: 'ApiKey outsider@example.com:outsider-key' };
    for (const path of ['v0.5/user/', 'location/v2/', 'lookup_table/v1/']) expect((await sim.get(`${base}/${path}`, outsider)).status).toBe(403);
  });
});
