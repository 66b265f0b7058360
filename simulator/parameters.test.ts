import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOMAIN, allV05, allV2, startTestSimulator, type TestSimulator, type V05Page, type V2Page } from './test-support';

/** Parameter validation, limits, trailing slashes, link formats and basePath. */

const CASES = 130;

async function errorOf(sim: TestSimulator, path: string): Promise<{ status: number; body: unknown }> {
  const response = await sim.get(path);
  return { status: response.status, body: await response.json() };
}

describe('request parameters and links', () => {
  let sim: TestSimulator;

  beforeAll(async () => {
    sim = await startTestSimulator({ cases: CASES });
  });
  afterAll(() => sim.close());

  describe('v0.5 date parameters', () => {
    it.each(['2024-01-01', '2024-01-01T06:05:42', '2024-01-01T06:05:42.123456', '2024-1-5', '2024-01-01T06:05Z'])('accepts the date %s (HQ validate_date)', async (value) => {
      for (const name of ['indexed_on_start', 'indexed_on_end', 'server_date_modified_start', 'date_modified_end']) {
        const response = await sim.get(`/a/${DOMAIN}/api/v0.5/case/?${name}=${encodeURIComponent(value)}`);
        expect(response.status).toBe(200);
      }
      for (const name of ['received_on_start', 'indexed_on_end']) {
        expect((await sim.get(`/a/${DOMAIN}/api/v0.5/form/?${name}=${encodeURIComponent(value)}`)).status).toBe(200);
      }
    });

    it.each([
      ['an offset', encodeURIComponent('2024-01-01T00:00:00+00:00')],
      ['an unencoded + (read as a space)', '2024-01-01T00:00:00+00:00'],
      ['a negative offset', encodeURIComponent('2024-01-01T00:00:00-05:00')],
      ['a Z suffix', encodeURIComponent('2024-01-01T00:00:00Z')],
      ['no date at all', 'yesterday'],
      ['an impossible date', '2024-02-31'],
    ])('rejects a date with %s with 400', async (_label, value) => {
      for (const path of [
        `/a/${DOMAIN}/api/v0.5/case/?indexed_on_start=${value}`,
        `/a/${DOMAIN}/api/v0.5/case/?server_date_modified_end=${value}`,
        `/a/${DOMAIN}/api/v0.5/form/?received_on_start=${value}`,
      ]) {
        const sent = new URL(`http://x/?v=${value}`).searchParams.get('v');
        expect(await errorOf(sim, path)).toEqual({ status: 400, body: { error: `Bad query parameter: Unknown date format: ${sent}` } });
      }
    });

    it('orders by indexed_on, server_date_modified or date_modified, either way', async () => {
      const byIndex = (await sim.json<V05Page>(`/a/${DOMAIN}/api/v0.5/case/?limit=1000&order_by=indexed_on`)).objects;
      const reverse = (await sim.json<V05Page>(`/a/${DOMAIN}/api/v0.5/case/?limit=1000&order_by=-indexed_on`)).objects;
      expect(reverse.map((o) => o.case_id)).toEqual([...byIndex].reverse().map((o) => o.case_id));
      for (const field of ['server_date_modified', 'date_modified']) {
        for (const direction of ['', '-']) {
          const page = (await sim.json<V05Page>(`/a/${DOMAIN}/api/v0.5/case/?limit=1000&order_by=${direction}${field}`)).objects;
          const values = page.map((o) => o[field] as string);
          const sorted = [...values].sort();
          expect(values).toEqual(direction ? sorted.reverse() : sorted);
          expect(page).toHaveLength(CASES);
        }
      }
    });

    it('filters by indexed_on inclusively at both ends', async () => {
      const all = (await sim.json<V05Page>(`/a/${DOMAIN}/api/v0.5/case/?limit=1000&order_by=indexed_on`)).objects;
      const from = all[10]!.indexed_on;
      const to = all[20]!.indexed_on;
      const page = await sim.json<V05Page>(`/a/${DOMAIN}/api/v0.5/case/?limit=1000&order_by=indexed_on&indexed_on_start=${from}&indexed_on_end=${to}`);
      expect(page.objects.map((o) => o.case_id)).toEqual(all.filter((o) => o.indexed_on >= from && o.indexed_on <= to).map((o) => o.case_id));
      expect(page.meta.total_count).toBe(page.objects.length);
    });
  });

  describe('v2 parameters', () => {
    it('rejects an unknown parameter with the exact HQ error body', async () => {
      const response = await sim.get(`/a/${DOMAIN}/api/case/v2/?x=1`);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(await response.text()).toBe(JSON.stringify({ error: "'x' is not a valid parameter." }));
      expect(await errorOf(sim, `/a/${DOMAIN}/api/case/v2/?type=person`)).toEqual({ status: 400, body: { error: "'type' is not a valid parameter." } });
    });

    it('validates date ranges like HQ', async () => {
      expect(await errorOf(sim, `/a/${DOMAIN}/api/case/v2/?indexed_on.after=2024-01-01`)).toEqual({
        status: 400,
        body: { error: "'after' is not a valid type of date range." },
      });
      expect(await errorOf(sim, `/a/${DOMAIN}/api/case/v2/?last_modified.gte=soon`)).toEqual({ status: 400, body: { error: "Cannot parse datetime 'soon'" } });
      // dateutil parses offsets, so v2 accepts them.
      expect((await sim.get(`/a/${DOMAIN}/api/case/v2/?indexed_on.gte=${encodeURIComponent('2024-01-01T00:00:00+02:00')}`)).status).toBe(200);
    });

    it('filters with the documented parameters', async () => {
      const all = (await sim.json<V2Page>(`/a/${DOMAIN}/api/case/v2/?limit=1000`)).cases;
      const closed = await sim.json<V2Page>(`/a/${DOMAIN}/api/case/v2/?limit=1000&closed=true&case_type=visit`);
      expect(closed.cases.map((c) => c.case_id)).toEqual(all.filter((c) => c.closed === true && c.case_type === 'visit').map((c) => c.case_id));
      const owner = all[0]!.owner_id as string;
      const owned = await sim.json<V2Page>(`/a/${DOMAIN}/api/case/v2/?limit=1000&owner_id=${owner}`);
      expect(owned.matching_records).toBe(all.filter((c) => c.owner_id === owner).length);
      const twoTypes = await sim.json<V2Page>(`/a/${DOMAIN}/api/case/v2/?limit=1000&case_type=household&case_type=pregnancy`);
      expect(new Set(twoTypes.cases.map((c) => c.case_type))).toEqual(new Set(['household', 'pregnancy']));
      const pivot = all[50]!.server_last_modified as string;
      const modified = await sim.json<V2Page>(`/a/${DOMAIN}/api/case/v2/?limit=1000&server_last_modified.gte=${encodeURIComponent(pivot)}`);
      expect(modified.matching_records).toBe(all.filter((c) => (c.server_last_modified as string) >= pivot).length);
    });

    it('ignores every other parameter when a cursor is given', async () => {
      const first = await sim.json<V2Page>(`/a/${DOMAIN}/api/case/v2/?limit=20&case_type=person`);
      const plain = await sim.json<V2Page>(first.next!);
      const withExtras = await sim.json<V2Page>(`${first.next!}&case_type=visit&limit=1&bogus=1`);
      expect(withExtras).toEqual(plain);
      expect(plain.cases.every((c) => c.case_type === 'person')).toBe(true);
      expect(plain.cases).toHaveLength(20);
    });
  });

  describe('limits', () => {
    it('defaults to 20 on both case APIs and the form API', async () => {
      expect((await sim.json<V2Page>(`/a/${DOMAIN}/api/case/v2/`)).cases).toHaveLength(20);
      expect((await sim.json<V05Page>(`/a/${DOMAIN}/api/v0.5/case/`)).meta.limit).toBe(20);
      expect((await sim.json<V05Page>(`/a/${DOMAIN}/api/v0.5/form/`)).objects).toHaveLength(20);
    });

    it('v2: up to 5000, more is a 400, not a number is a 400, 0 is an empty page', async () => {
      expect((await sim.get(`/a/${DOMAIN}/api/case/v2/?limit=5000`)).status).toBe(200);
      expect(await errorOf(sim, `/a/${DOMAIN}/api/case/v2/?limit=5001`)).toEqual({
        status: 400,
        body: { error: 'You cannot request more than 5000 cases per request.' },
      });
      expect(await errorOf(sim, `/a/${DOMAIN}/api/case/v2/?limit=abc`)).toEqual({ status: 400, body: { error: "'abc' is not a valid value for 'limit'" } });
      expect(await errorOf(sim, `/a/${DOMAIN}/api/case/v2/?limit=-1`)).toEqual({ status: 400, body: { error: "'-1' is not a valid value for 'limit'" } });
      const empty = await sim.json<V2Page>(`/a/${DOMAIN}/api/case/v2/?limit=0`);
      expect(empty).toEqual({ matching_records: CASES, cases: [] });
    });

    it('v0.5: caps the limit at the maximum (5000 cases, 1000 forms), like tastypie', async () => {
      expect((await sim.json<V05Page>(`/a/${DOMAIN}/api/v0.5/case/?limit=6000`)).meta.limit).toBe(5000);
      expect((await sim.json<V05Page>(`/a/${DOMAIN}/api/v0.5/case/?limit=0`)).meta.limit).toBe(5000);
      expect((await sim.json<V05Page>(`/a/${DOMAIN}/api/v0.5/form/?limit=5000`)).meta.limit).toBe(1000);
      expect(await errorOf(sim, `/a/${DOMAIN}/api/v0.5/case/?limit=-1`)).toEqual({
        status: 400,
        body: { error: "Invalid limit '-1' provided. Please provide a positive integer >= 0." },
      });
      expect(await errorOf(sim, `/a/${DOMAIN}/api/v0.5/form/?offset=x`)).toEqual({
        status: 400,
        body: { error: "Invalid offset 'x' provided. Please provide an integer." },
      });
      expect(await errorOf(sim, `/a/${DOMAIN}/api/v0.5/case/?order_by=case_name`)).toEqual({
        status: 400,
        body: { error: "No matching 'case_name' field for ordering on." },
      });
    });
  });

  it('serves every endpoint with and without the trailing slash, and under its alias', async () => {
    const paths = [
      '/api/v0.5/identity',
      '/api/identity/v1',
      '/api/v0.5/user_domains',
      '/api/user_domains/v1',
      `/a/${DOMAIN}/api/v0.5/case`,
      `/a/${DOMAIN}/api/case/v1`,
      `/a/${DOMAIN}/api/case/v2`,
      `/a/${DOMAIN}/api/v0.6/case`,
      `/a/${DOMAIN}/api/v0.5/form`,
      `/a/${DOMAIN}/api/form/v1`,
      `/a/${DOMAIN}/api/v0.5/application`,
      `/a/${DOMAIN}/api/application/v1`,
      ...['user', 'web-user', 'group', 'location_type', 'lookup_table', 'lookup_table_item', 'fixture'].flatMap((name) => [
        `/a/${DOMAIN}/api/v0.5/${name}`,
        `/a/${DOMAIN}/api/${name}/v1`,
      ]),
      `/a/${DOMAIN}/api/location/v2`,
    ];
    for (const path of paths) {
      for (const variant of [path, `${path}/`, `${path}/?limit=1`, `${path}?limit=1`]) {
        const response = await sim.get(variant);
        expect(response.status, variant).toBe(200);
        await response.arrayBuffer();
      }
    }
  });

  it('gives v0.5 relative next/previous links that keep the other parameters', async () => {
    const first = await sim.json<V05Page>(`/a/${DOMAIN}/api/case/v1/?type=person&limit=10&format=json`);
    expect(first.meta.previous).toBeNull();
    expect(first.meta.next).toBe(`/a/${DOMAIN}/api/case/v1/?type=person&limit=10&format=json&offset=10`);
    const second = await sim.json<V05Page>(first.meta.next!);
    expect(second.meta.previous).toBe(`/a/${DOMAIN}/api/case/v1/?type=person&limit=10&format=json&offset=0`);
    expect(second.objects.every((o) => (o.properties as { case_type: string }).case_type === 'person')).toBe(true);
    const { pages } = await allV05(sim, first.meta.next!);
    expect(pages[pages.length - 1]!.meta.next).toBeNull();
  });

  it('gives v2 an absolute cursor next link, absent on the last page', async () => {
    const first = await sim.json<V2Page>(`/a/${DOMAIN}/api/case/v2/?limit=50`);
    expect(first.next!.startsWith(`${sim.origin}/a/${DOMAIN}/api/case/v2/?cursor=`)).toBe(true);
    expect(first.next!.slice(`${sim.origin}/a/${DOMAIN}/api/case/v2/?cursor=`.length)).toMatch(/^[A-Za-z0-9%]+$/);
    const cursor = decodeURIComponent(new URL(first.next!).searchParams.get('cursor')!);
    const query = new URLSearchParams(Buffer.from(cursor, 'base64').toString('utf8'));
    const last = first.cases[first.cases.length - 1]!;
    expect(Object.fromEntries(query)).toEqual({ limit: '50', 'indexed_on.gte': last.indexed_on, last_case_id: last.case_id });

    const { pages } = await allV2(sim, `/a/${DOMAIN}/api/v0.6/case/?limit=50`);
    expect(pages).toHaveLength(3);
    expect(pages[0]!.next).toContain(`/a/${DOMAIN}/api/v0.6/case/?cursor=`);
    expect('next' in pages[2]!).toBe(false);
    const exact = await sim.json<V2Page>(`/a/${DOMAIN}/api/case/v2/?limit=${CASES}`);
    expect('next' in exact).toBe(false);
  });
});

describe("basePath '/simulator'", () => {
  let sim: TestSimulator;

  beforeAll(async () => {
    sim = await startTestSimulator({ cases: 60, basePath: '/simulator' });
  });
  afterAll(() => sim.close());

  it('serves every route under the base path only', async () => {
    expect(sim.url).toBe(`${sim.origin}/simulator`);
    expect((await sim.get(`/simulator/a/${DOMAIN}/api/case/v2/`)).status).toBe(200);
    expect((await sim.get('/simulator/api/v0.5/identity/')).status).toBe(200);
    expect((await sim.get(`/a/${DOMAIN}/api/case/v2/`)).status).toBe(404);
    expect((await sim.get('/simulator/_sim')).status).toBe(200);
  });

  it('puts the base path in every generated URL', async () => {
    const v05 = await sim.json<V05Page>(`/simulator/a/${DOMAIN}/api/v0.5/case/?limit=10`);
    expect(v05.meta.next).toBe(`/simulator/a/${DOMAIN}/api/v0.5/case/?limit=10&offset=10`);
    expect(v05.objects[0]!.resource_uri).toBe(`/simulator/a/${DOMAIN}/api/v0.5/case/${v05.objects[0]!.case_id}/`);
    const forms = await sim.json<V05Page<{ resource_uri: string; id: string }>>(`/simulator/a/${DOMAIN}/api/v0.5/form/?limit=1`);
    expect(forms.objects[0]!.resource_uri).toBe(`/simulator/a/${DOMAIN}/api/v0.5/form/${forms.objects[0]!.id}/`);
    const apps = await sim.json<V05Page<{ resource_uri: string }>>(`/simulator/a/${DOMAIN}/api/v0.5/application/`);
    expect(apps.objects.every((a) => a.resource_uri.startsWith(`/simulator/a/${DOMAIN}/api/v0.5/application/`))).toBe(true);

    const v2 = await sim.json<V2Page>(`/simulator/a/${DOMAIN}/api/case/v2/?limit=10`);
    expect(v2.next!.startsWith(`${sim.origin}/simulator/a/${DOMAIN}/api/case/v2/?cursor=`)).toBe(true);
    const { ids } = await allV2(sim, v2.next!);
    expect(ids).toHaveLength(50);

    const authorize = await sim.get(`/simulator/oauth/authorize/?response_type=code&client_id=scout&redirect_uri=${encodeURIComponent('http://localhost:3000/cb')}`);
    expect(await authorize.text()).toContain('action="/simulator/oauth/authorize/?response_type=code');
  });
});
