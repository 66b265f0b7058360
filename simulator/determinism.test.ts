import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOMAIN, startTestSimulator, type TestSimulator, type V05Page, type V2Page } from './test-support';

/** The same seed must give byte-identical data; another seed, different data. */

interface Snapshot {
  cases: V2Page['cases'];
  casesV05: V05Page['objects'];
  forms: V05Page<Record<string, unknown>>['objects'];
  apps: V05Page<Record<string, unknown>>['objects'];
}

async function snapshot(sim: TestSimulator): Promise<Snapshot> {
  const cases = (await sim.json<V2Page>(`/a/${DOMAIN}/api/case/v2/?limit=300`)).cases;
  const casesV05 = (await sim.json<V05Page>(`/a/${DOMAIN}/api/v0.5/case/?limit=300`)).objects;
  const forms = (await sim.json<V05Page<Record<string, unknown>>>(`/a/${DOMAIN}/api/v0.5/form/?limit=600`)).objects;
  const apps = (await sim.json<V05Page<Record<string, unknown>>>(`/a/${DOMAIN}/api/v0.5/application/`)).objects;
  return { cases, casesV05, forms, apps };
}

describe('determinism by seed', () => {
  const sims: TestSimulator[] = [];
  let first: Snapshot;
  let sameSeed: Snapshot;
  let otherSeed: Snapshot;

  beforeAll(async () => {
    for (const seed of [7, 7, 8]) sims.push(await startTestSimulator({ seed, cases: 300 }));
    [first, sameSeed, otherSeed] = await Promise.all(sims.map(snapshot)) as [Snapshot, Snapshot, Snapshot];
  });
  afterAll(async () => {
    await Promise.all(sims.map((sim) => sim.close()));
  });

  it('gives identical cases, forms and applications for the same seed', () => {
    expect(first.cases).toHaveLength(300);
    expect(first.forms).toHaveLength(600);
    expect(sameSeed).toEqual(first);
  });

  it('gives different data for a different seed', () => {
    const ids = new Set(first.cases.map((c) => c.case_id));
    expect(otherSeed.cases.some((c) => ids.has(c.case_id))).toBe(false);
    expect(otherSeed.cases.map((c) => c.case_name)).not.toEqual(first.cases.map((c) => c.case_name));
    expect(otherSeed.forms.map((f) => f.id)).not.toEqual(first.forms.map((f) => f.id));
  });

  it('serves the same record the same way on every request', async () => {
    const again = await snapshot(sims[0]!);
    expect(again).toEqual(first);
  });

  it('keeps both case APIs and the forms consistent with each other', () => {
    const v05 = new Map(first.casesV05.map((c) => [c.case_id, c]));
    const formIds = new Set(first.forms.map((f) => f.id as string));
    for (const kase of first.cases) {
      const other = v05.get(kase.case_id);
      expect(other).toBeDefined();
      const props = other!.properties as Record<string, unknown>;
      expect(props.case_name).toBe(kase.case_name);
      expect(props.case_type).toBe(kase.case_type);
      expect(props.owner_id).toBe(kase.owner_id);
      expect(`${other!.indexed_on as string}Z`).toBe(kase.indexed_on);
      for (const id of other!.xform_ids as string[]) expect(formIds.has(id)).toBe(true);
    }
    // Every form's case block points at a case of the domain.
    const caseIds = new Set(first.cases.map((c) => c.case_id));
    for (const form of first.forms) {
      const block = (form.form as { case: { '@case_id': string } }).case;
      expect(caseIds.has(block['@case_id'])).toBe(true);
    }
  });

  it('shapes records as HQ does', () => {
    expect(Object.keys(first.cases[0]!)).toEqual([
      'domain', 'case_id', 'case_type', 'case_name', 'external_id', 'owner_id', 'date_opened', 'last_modified',
      'server_last_modified', 'indexed_on', 'closed', 'date_closed', 'properties', 'indices',
    ]);
    expect(first.cases[0]!.indexed_on).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const v05 = first.casesV05[0]!;
    expect(Object.keys(v05)).toEqual([...Object.keys(v05)].sort());
    for (const key of ['case_id', 'id', 'domain', 'closed', 'date_closed', 'date_modified', 'indexed_on', 'indices', 'opened_by', 'properties',
      'resource_uri', 'server_date_modified', 'server_date_opened', 'user_id', 'xform_ids']) expect(v05).toHaveProperty(key);
    expect(v05.indexed_on).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    expect(Object.keys(v05.properties as object)).toEqual(expect.arrayContaining(['case_name', 'case_type', 'date_opened', 'external_id', 'owner_id']));
    const form = first.forms[0]!;
    expect(Object.keys(form)).toEqual([...Object.keys(form)].sort());
    for (const key of ['id', 'domain', 'app_id', 'build_id', 'archived', 'form', 'indexed_on', 'received_on', 'server_modified_on', 'metadata',
      'resource_uri', 'type', 'uiversion', 'version']) expect(form).toHaveProperty(key);
    expect(form.metadata).toMatchObject({ instanceID: form.id, userID: expect.any(String) as unknown, username: expect.any(String) as unknown });
    const app = first.apps[0]!;
    const module = (app.modules as { name: unknown; case_type: string; case_properties: string[]; unique_id: string; forms: { xmlns: string; name: unknown; questions: unknown[]; unique_id: string }[] }[])[0]!;
    expect(module).toMatchObject({ case_type: 'household', unique_id: expect.any(String) as unknown });
    expect(module.case_properties.length).toBeGreaterThan(3);
    expect(module.forms[0]!.questions.length).toBeGreaterThan(3);
    expect(module.forms[0]!.xmlns).toMatch(/^http:\/\/openrosa\.org\/formdesigner\//);
  });

  it('generates a realistic program: case types, parents, owners, open and closed cases', () => {
    const byId = new Map(first.cases.map((c) => [c.case_id, c]));
    const types = new Set(first.cases.map((c) => c.case_type));
    expect([...types].sort()).toEqual(['household', 'person', 'pregnancy', 'visit']);
    expect(first.cases.some((c) => c.closed)).toBe(true);
    expect(first.cases.some((c) => !c.closed)).toBe(true);
    expect(new Set(first.cases.map((c) => c.owner_id)).size).toBeGreaterThan(3);
    for (const kase of first.cases) {
      const indices = kase.indices as Record<string, { case_id: string; case_type: string; relationship: string }>;
      if (kase.case_type === 'household') {
        expect(indices).toEqual({});
        continue;
      }
      const parent = byId.get(indices.parent!.case_id);
      expect(parent?.case_type).toBe(indices.parent!.case_type);
      expect(indices.parent!.relationship).toBe('child');
    }
    const registration = first.forms.find((f) => (f.form as { case: { create?: unknown } }).case.create !== undefined)!;
    const body = registration.form as Record<string, unknown>;
    expect(body.meta).toMatchObject({ instanceID: registration.id });
    expect(Object.values(body).some((value) => typeof value === 'object' && value !== null && !Array.isArray(value) && value !== body.case && value !== body.meta)).toBe(true);
  });
});
