import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOMAIN, allV05, allV05Keyset, allV2, startTestSimulator, type TestSimulator, type V2Page } from './test-support';

/** Every record exactly once across pages, in every paging mode, before and after the data changes. */

const CASES = 2345; // not a multiple of the generator's block or tie-group sizes
const FORMS_PER_CASE = 2;

function expectExactlyOnce(ids: string[], expected: number): void {
  expect(ids).toHaveLength(expected);
  expect(new Set(ids).size).toBe(expected);
}

describe('pagination invariants', () => {
  let sim: TestSimulator;
  let v2Order: string[];

  beforeAll(async () => {
    sim = await startTestSimulator({ cases: CASES, formsPerCase: FORMS_PER_CASE });
  });
  afterAll(() => sim.close());

  it('v2 cursor paging returns every case once, in (indexed_on, case_id) order', async () => {
    for (const limit of [1000, 333]) {
      const { ids, pages } = await allV2(sim, `/a/${DOMAIN}/api/case/v2/?limit=${limit}`);
      expectExactlyOnce(ids, CASES);
      expect(pages).toHaveLength(Math.ceil(CASES / limit));
      expect(pages[0]!.matching_records).toBe(CASES);
      const keys = pages.flatMap((p) => p.cases.map((c) => `${c.indexed_on} ${c.case_id}`));
      expect([...keys].sort()).toEqual(keys);
      v2Order = ids;
    }
  });

  it('v2 keeps some indexed_on ties, ordered by case_id (the boundary cases keyset clients must handle)', async () => {
    const { pages } = await allV2(sim, `/a/${DOMAIN}/api/case/v2/?limit=1000`);
    const stamps = pages.flatMap((p) => p.cases.map((c) => c.indexed_on));
    expect(new Set(stamps).size).toBeLessThan(stamps.length);
  });

  it('v0.5 offset paging returns every case once, following relative next links', async () => {
    for (const limit of [1000, 250]) {
      const { objects, pages } = await allV05(sim, `/a/${DOMAIN}/api/v0.5/case/?limit=${limit}`);
      expectExactlyOnce(objects.map((o) => o.case_id), CASES);
      expect(pages.every((p) => p.meta.total_count === CASES)).toBe(true);
    }
  });

  it('v0.5 keyset paging (order_by=indexed_on, indexed_on_start) reaches every case, in the v2 order', async () => {
    for (const limit of [1000, 20]) {
      const ids = await allV05Keyset(sim, '', limit);
      expectExactlyOnce(ids, CASES);
      expect(ids).toEqual(v2Order);
    }
  });

  it('filters page consistently: a v2 case_type cursor and v0.5 type offsets select the same cases', async () => {
    const { ids, pages } = await allV2(sim, `/a/${DOMAIN}/api/case/v2/?case_type=person&limit=100`);
    expect(pages.every((p) => p.cases.every((c) => c.case_type === 'person'))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const v05 = await allV05(sim, `/a/${DOMAIN}/api/v0.5/case/?type=person&limit=100`);
    expect(v05.objects.map((o) => o.case_id)).toEqual(ids);
    expect(pages[0]!.matching_records).toBe(ids.length);
    // On a cursor page, matching_records counts what is left, as HQ's cursor query does.
    expect(pages[1]!.matching_records).toBe(ids.length - 100);
  });

  it('v0.5 form paging returns every form once, newest first by default', async () => {
    const { objects } = await allV05<{ id: string; received_on: string }>(sim, `/a/${DOMAIN}/api/v0.5/form/?limit=1000`);
    expectExactlyOnce(objects.map((o) => o.id), CASES * FORMS_PER_CASE);
    const received = objects.map((o) => o.received_on);
    expect([...received].sort().reverse()).toEqual(received);
  });

  describe('after a mutation', () => {
    let before: V2Page;
    let changed: { modified: string[]; created: string[]; closed: string[]; formsAdded: number; totalCases: number };

    beforeAll(async () => {
      before = await sim.json<V2Page>(`/a/${DOMAIN}/api/case/v2/?limit=5000`);
      const response = await sim.post(`/_sim/domains/${DOMAIN}/mutate`, { modify: 40, create: 25, close: 30 });
      expect(response.status).toBe(200);
      changed = (await response.json()) as typeof changed;
    });

    it('reports what changed', () => {
      expect(changed.modified).toHaveLength(40);
      expect(changed.created).toHaveLength(25);
      expect(changed.closed).toHaveLength(30);
      expect(changed.formsAdded).toBe(95);
      expect(changed.totalCases).toBe(CASES + 25);
    });

    it('still pages every case exactly once in all three modes', async () => {
      const total = CASES + 25;
      expectExactlyOnce((await allV2(sim, `/a/${DOMAIN}/api/case/v2/?limit=500`)).ids, total);
      expectExactlyOnce((await allV05(sim, `/a/${DOMAIN}/api/v0.5/case/?limit=500`)).objects.map((o) => o.case_id), total);
      expectExactlyOnce(await allV05Keyset(sim, '', 500), total);
      const forms = await allV05<{ id: string }>(sim, `/a/${DOMAIN}/api/v0.5/form/?limit=1000`);
      expectExactlyOnce(forms.objects.map((o) => o.id), CASES * FORMS_PER_CASE + 95);
    });

    it('moves changed cases to the end of indexed_on order with later timestamps', async () => {
      const after = await sim.json<V2Page>(`/a/${DOMAIN}/api/case/v2/?limit=5000`);
      const everyChange = new Set([...changed.modified, ...changed.created, ...changed.closed]);
      const tail = after.cases.slice(-everyChange.size);
      expect(new Set(tail.map((c) => c.case_id))).toEqual(everyChange);
      const lastBefore = before.cases[before.cases.length - 1]!.indexed_on;
      expect(tail.every((c) => c.indexed_on > lastBefore)).toBe(true);
      for (const kase of tail) {
        expect(kase.server_last_modified as string > (before.cases.find((b) => b.case_id === kase.case_id)?.server_last_modified as string ?? '')).toBe(true);
      }
      const closed = new Set(changed.closed);
      expect(tail.filter((c) => closed.has(c.case_id)).every((c) => c.closed === true && c.date_closed !== null)).toBe(true);
    });

    it('lets an incremental load pick up exactly the changes from a checkpoint', async () => {
      const checkpoint = before.cases[before.cases.length - 1]!.indexed_on;
      const { ids } = await allV2(sim, `/a/${DOMAIN}/api/case/v2/?limit=10&indexed_on.gt=${encodeURIComponent(checkpoint)}`);
      expect(new Set(ids)).toEqual(new Set([...changed.modified, ...changed.created, ...changed.closed]));
      const v05 = await allV05(sim, `/a/${DOMAIN}/api/v0.5/case/?limit=10&order_by=indexed_on&indexed_on_start=${checkpoint.replace('Z', '')}`);
      // indexed_on_start is inclusive: the checkpoint case itself comes back once more.
      const boundary = before.cases[before.cases.length - 1]!.case_id;
      expect(new Set(v05.objects.map((o) => o.case_id))).toEqual(new Set([...ids, boundary]));
    });

    it('adds a form for each change, referencing the changed case', async () => {
      const forms = await sim.json<{ objects: { form: { case: { '@case_id': string; close?: string; create?: unknown } } }[] }>(
        `/a/${DOMAIN}/api/v0.5/form/?limit=95`,
      );
      const touched = forms.objects.map((f) => f.form.case['@case_id']);
      expect(new Set(touched)).toEqual(new Set([...changed.modified, ...changed.created, ...changed.closed]));
      expect(forms.objects.filter((f) => f.form.case.close !== undefined)).toHaveLength(30);
      expect(forms.objects.filter((f) => f.form.case.create !== undefined)).toHaveLength(25);
    });

    it('keeps a v2 cursor complete when the data changes mid-load (changed cases come again at the end)', async () => {
      const first = await sim.json<V2Page>(`/a/${DOMAIN}/api/case/v2/?limit=1000`);
      const seenFirst = first.cases.map((c) => c.case_id);
      const mutation = (await (await sim.post(`/_sim/domains/${DOMAIN}/mutate`, { modify: 10, create: 5 })).json()) as { modified: string[]; created: string[] };
      const rest = await allV2(sim, first.next!);
      const all = new Set([...seenFirst, ...rest.ids]);
      expect(all.size).toBe(CASES + 25 + 5);
      expect(new Set(rest.ids).size).toBe(rest.ids.length);
      for (const id of [...mutation.modified, ...mutation.created]) expect(rest.ids).toContain(id);
    });
  });
});

describe('an empty domain', () => {
  it('serves nothing until cases are created, then pages them', async () => {
    const sim = await startTestSimulator({ cases: 0 });
    try {
      expect(await sim.json<V2Page>(`/a/${DOMAIN}/api/case/v2/`)).toEqual({ matching_records: 0, cases: [] });
      const response = await sim.post(`/_sim/domains/${DOMAIN}/mutate`, { modify: 5, close: 5, create: 12 });
      expect(await response.json()).toMatchObject({ modified: [], closed: [], formsAdded: 12, totalCases: 12, totalForms: 12 });
      expectExactlyOnce((await allV2(sim, `/a/${DOMAIN}/api/case/v2/?limit=5`)).ids, 12);
      expectExactlyOnce(await allV05Keyset(sim, '', 5), 12);
    } finally {
      await sim.close();
    }
  });
});
