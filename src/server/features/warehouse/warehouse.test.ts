import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../../simulator';
import type { MaterializationRun, StartRunResponse, WarehouseSummary } from '../../../shared/warehouse';
import { HttpClient, startScoutWithSimulator, type SimulatedScout } from '../../../../test/support/scout';
import { CommCareClient } from '../commcare';
import { readOnlyRole } from './sql';

type Sim = RunningSimulator;
const CASES = 300;
let sim: Sim;
let scout: SimulatedScout;
let owner: HttpClient;
let membershipId: string;
let schema: string;

async function signedIn(): Promise<HttpClient> {
  const client = new HttpClient(scout.baseUrl);
  await client.post('/api/auth/sign-up/email', { name: 'Warehouse', email: `wh-${Math.random().toString(36).slice(2)}@example.org`, password: 'warehouse-pass-1' });
  return client;
}

async function connect(client: HttpClient, domain = 'demo-clinic'): Promise<string> {
  const response = await client.post('/api/auth/tenant-credentials/', { provider: 'commcare', tenant_id: domain, credential: 'demo@example.com:demo-key' });
  expect(response.status).toBe(201);
  return ((await response.json()) as { membership_id: string }).membership_id;
}

async function startRun(client: HttpClient, id: string, mode?: 'full' | 'incremental'): Promise<StartRunResponse> {
  const response = await client.post(`/api/tenants/${id}/materializations`, mode ? { mode } : '');
  expect(response.status).toBe(202);
  return response.json();
}

async function waitForRun(client: HttpClient, id: string, runId: string): Promise<MaterializationRun> {
  for (let i = 0; i < 600; i++) {
    const run = (await (await client.get(`/api/tenants/${id}/materializations/${runId}`)).json()) as MaterializationRun;
    if (!['started', 'loading', 'transforming'].includes(run.state)) return run;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('run did not finish');
}

async function sync(client: HttpClient, id: string, mode?: 'full' | 'incremental'): Promise<MaterializationRun> {
  const started = await startRun(client, id, mode);
  return waitForRun(client, id, started.run.id);
}

async function warehouseQuery<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  return (await scout.services.warehouse['deps'].warehouse.query<T>(text, values)).rows;
}

/** Every case as HQ has it now, straight from the simulator. */
async function hqCases() {
  const client = new CommCareClient({ baseUrl: sim.url, credentials: { kind: 'api_key', username: 'demo@example.com', apiKey: 'demo-key' } });
  const cases = new Map<string, { closed: boolean; properties: Record<string, unknown> }>();
  for await (const page of client.cases('demo-clinic')) for (const c of page.records) cases.set(c.case_id, c);
  return cases;
}

async function expectWarehouseEqualsHq() {
  const hq = await hqCases();
  const rows = await warehouseQuery<{ case_id: string; closed: boolean; properties: Record<string, unknown> }>(`SELECT case_id, closed, properties FROM "${schema}".cases`);
  expect(rows).toHaveLength(hq.size);
  for (const row of rows) {
    const expected = hq.get(row.case_id);
    expect(expected, row.case_id).toBeDefined();
    expect(row.closed).toBe(expected!.closed);
    expect(row.properties).toEqual(expected!.properties);
  }
}

beforeAll(async () => {
  scout = await startScoutWithSimulator({ seed: 21, domains: ['demo-clinic', 'other-project'], cases: CASES, formsPerCase: 2 }, { app: { syncRetry: { baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 20 } }, worker: true });
  sim = scout.sim;
  owner = await signedIn();
  membershipId = await connect(owner);
  schema = (await scout.services.tenants.list(((await (await owner.get('/api/me')).json()) as { user: { id: string } }).user.id))[0]!.schema_name;
});
afterAll(async () => {
  await scout?.stop();
});
beforeEach(() => sim.simulator.resetFaults());

describe('materialization', () => {
  it('reports no warehouse before the first sync', async () => {
    const summary = (await (await owner.get(`/api/tenants/${membershipId}/warehouse`)).json()) as WarehouseSummary;
    expect(summary).toEqual({ schema_state: 'none', last_sync_at: null, running: null, tables: [] });
  });

  it('loads every case and form on a first sync, with typed views and a data dictionary', async () => {
    const run = await sync(owner, membershipId);
    expect(run.state).toBe('completed');
    expect(run.mode).toBe('full');
    expect(run.result!.tables).toEqual([
      { name: 'cases', rows: CASES },
      { name: 'forms', rows: CASES * 2 },
      { name: 'case_relationships', rows: expect.any(Number) },
    ]);
    expect(run.sources.cases).toEqual({ rows_loaded: CASES, rows_total: CASES });
    await expectWarehouseEqualsHq();
    const summary = (await (await owner.get(`/api/tenants/${membershipId}/warehouse`)).json()) as WarehouseSummary;
    expect(summary.schema_state).toBe('active');
    expect(summary.last_sync_at).not.toBeNull();
    const names = summary.tables.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['cases', 'forms']));
    expect(names.some((n) => n.startsWith('case_'))).toBe(true);
    expect(names.some((n) => n.startsWith('form_'))).toBe(true);
    expect(summary.tables.find((t) => t.name === 'cases')!.columns.length).toBeGreaterThan(5);
    // The dictionary describes the directory tables too, level columns included.
    const locations = summary.tables.find((t) => t.name === 'locations')!;
    expect(locations.description).toMatch(/cases by district/);
    expect(locations.columns.find((c) => c.name === 'district_name')?.description).toBe("Name of the location's district (itself if it is one).");
    expect(summary.tables.find((t) => t.name === 'users')!.columns.find((c) => c.name === 'user_id')?.description).toMatch(/forms.user_id/);
    const formCaseIds = await warehouseQuery<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".forms WHERE cardinality(case_ids) > 0`);
    expect(formCaseIds[0]!.n).toBe(CASES * 2);
    // One relationship per index HQ gave a case, each pointing at a case that is there.
    const [relationships] = await warehouseQuery<{ indexed: number; rows: number; dangling: number; kinds: string[] }>(
      `SELECT (SELECT count(*)::int FROM "${schema}".cases WHERE indices <> '{}') AS indexed,
              (SELECT count(*)::int FROM "${schema}".case_relationships) AS rows,
              (SELECT count(*)::int FROM "${schema}".case_relationships r LEFT JOIN "${schema}".cases p ON p.case_id = r.parent_case_id WHERE p.case_id IS NULL) AS dangling,
              (SELECT array_agg(DISTINCT relationship_name || ':' || relationship_type) FROM "${schema}".case_relationships) AS kinds`,
    );
    expect(relationships!.indexed).toBeGreaterThan(0);
    expect(relationships).toEqual({ indexed: relationships!.indexed, rows: relationships!.indexed, dangling: 0, kinds: ['parent:child'] });
    expect(run.result!.tables.find((t) => t.name === 'case_relationships')!.rows).toBe(relationships!.rows);
    // Who and where: every case owner is a user, a group or a location, and every location knows its district.
    const [directory] = await warehouseQuery<{ users: number; locations: number; unowned: number; no_district: number; lookups: number }>(
      `SELECT (SELECT count(*)::int FROM "${schema}".users) AS users,
              (SELECT count(*)::int FROM "${schema}".locations) AS locations,
              (SELECT count(*)::int FROM "${schema}".cases c WHERE NOT EXISTS (SELECT 1 FROM "${schema}".users u WHERE u.user_id = c.owner_id)
                 AND NOT EXISTS (SELECT 1 FROM "${schema}".groups g WHERE g.group_id = c.owner_id)
                 AND NOT EXISTS (SELECT 1 FROM "${schema}".locations l WHERE l.location_id = c.owner_id)) AS unowned,
              (SELECT count(*)::int FROM "${schema}".locations WHERE location_type = 'village' AND district_name IS NULL) AS no_district,
              (SELECT count(*)::int FROM pg_tables WHERE schemaname = '${schema}' AND tablename LIKE 'lookup\\_%') AS lookups`,
    );
    expect(directory).toMatchObject({ unowned: 0, no_district: 0 });
    expect(directory!.users).toBeGreaterThan(1);
    expect(directory!.locations).toBeGreaterThan(5);
    expect(directory!.lookups).toBeGreaterThan(0);
    // The typed views name owners, locations and submitters; "visits per worker" and "open cases by district" are one query each.
    const [readable] = await warehouseQuery<{ unnamed: number; unlocated: number; anonymous: number }>(
      `SELECT (SELECT count(*)::int FROM "${schema}".case_person WHERE owner_name IS NULL OR owner_type IS NULL) AS unnamed,
              (SELECT count(*)::int FROM "${schema}".case_person WHERE owner_type <> 'group' AND location_name IS NULL) AS unlocated,
              (SELECT count(*)::int FROM "${schema}".forms f WHERE NOT EXISTS (SELECT 1 FROM "${schema}".users u WHERE u.user_id = f.user_id)) AS anonymous`,
    );
    expect(readable).toEqual({ unnamed: 0, unlocated: 0, anonymous: 0 });
    const perWorker = await warehouseQuery<{ submitted_by: string; n: number }>(
      `SELECT u.name AS submitted_by, count(*)::int AS n FROM "${schema}".forms f JOIN "${schema}".users u ON u.user_id = f.user_id GROUP BY 1 ORDER BY 1`,
    );
    expect(perWorker.reduce((sum, row) => sum + row.n, 0)).toBe(CASES * 2);
    const byDistrict = await warehouseQuery<{ district_name: string; n: number }>(
      `SELECT l.district_name, count(*)::int AS n FROM "${schema}".case_person c JOIN "${schema}".locations l ON l.location_id = c.location_id WHERE NOT c.closed GROUP BY 1 ORDER BY 1`,
    );
    expect(byDistrict.length).toBeGreaterThan(1);
    expect(byDistrict.every((row) => row.district_name && row.n > 0)).toBe(true);
  });

  it('picks up changes incrementally: modified, created and closed cases, and their forms', async () => {
    const change = sim.simulator.mutate('demo-clinic', { modify: 5, create: 4, close: 3 });
    const run = await sync(owner, membershipId);
    expect(run.state).toBe('completed');
    expect(run.mode).toBe('incremental');
    // Only what changed was fetched (plus the inclusive checkpoint boundary).
    // Up to three cases share an indexed_on in the simulator, so the inclusive boundary can repeat three.
    expect(run.sources.cases!.rows_loaded).toBeLessThanOrEqual(5 + 4 + 3 + 3);
    // The typed views that read the directory stay through an incremental sync (it refills, not replaces, their tables).
    expect(run.result!.views).toEqual(expect.arrayContaining(['case_household', 'case_person']));
    const [named] = await warehouseQuery<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".case_person WHERE owner_name IS NOT NULL`);
    expect(named!.n).toBeGreaterThan(0);
    expect(run.result!.tables).toEqual([
      { name: 'cases', rows: CASES + 4 },
      { name: 'forms', rows: change.totalForms },
      { name: 'case_relationships', rows: expect.any(Number) },
    ]);
    await expectWarehouseEqualsHq();
  });

  it('answers "already in progress" with the running run for a second request', async () => {
    sim.simulator.setFaults({ latencyMs: 150 });
    const first = await startRun(owner, membershipId, 'full');
    const second = await startRun(owner, membershipId);
    expect(first.status).toBe('started');
    expect(second).toMatchObject({ status: 'already_in_progress', run: { id: first.run.id } });
    sim.simulator.resetFaults();
    expect((await waitForRun(owner, membershipId, first.run.id)).state).toBe('completed');
  });

  it.each([
    ['429 bursts', { failNext: [{ count: 3, kind: 'rate-limit' as const }], retryAfterSeconds: 0 }],
    ['server errors', { failNext: [{ count: 2, status: 502 }, { count: 1, status: 500 }] }],
    ['a malformed page', { failNext: [{ count: 2, kind: 'malformed' as const }] }],
    ['a connection reset', { failNext: [{ count: 2, kind: 'reset' as const }] }],
    ['slow responses', { latencyMs: 40 }],
  ])('completes a full sync with exactly HQ\'s data through %s', async (_name, faults) => {
    sim.simulator.setFaults(faults);
    const run = await sync(owner, membershipId, 'full');
    expect(run.state).toBe('completed');
    await expectWarehouseEqualsHq();
  });

  it('keeps the previous data queryable when a full sync fails', async () => {
    sim.simulator.setFaults({ errorRate: 1, errorStatuses: [503] });
    const run = await sync(owner, membershipId, 'full');
    expect(run.state).toBe('failed');
    expect(run.error).toMatch(/server errors/);
    sim.simulator.resetFaults();
    await expectWarehouseEqualsHq();
  });

  it('cancels a running sync, leaving the previous data', async () => {
    sim.simulator.setFaults({ latencyMs: 300 });
    const started = await startRun(owner, membershipId, 'full');
    const cancel = await owner.post(`/api/tenants/${membershipId}/materializations/${started.run.id}/cancel`);
    expect(cancel.status).toBe(200);
    const run = await waitForRun(owner, membershipId, started.run.id);
    expect(run.state).toBe('cancelled');
    sim.simulator.resetFaults();
    await expectWarehouseEqualsHq();
    const again = await owner.post(`/api/tenants/${membershipId}/materializations/${started.run.id}/cancel`);
    expect(again.status).toBe(409);
  });

  it('resumes an interrupted incremental sync from its last committed batch, losing and duplicating nothing', async () => {
    sim.simulator.mutate('demo-clinic', { create: 12_000 });
    const userId = ((await (await owner.get('/api/me')).json()) as { user: { id: string } }).user.id;
    const [membership] = await scout.services.tenants.list(userId);
    // Stop the sync the way a killed worker does: mid-stream, after some batches committed.
    const controller = new AbortController();
    const credentials = await scout.services.tenants.credentialsFor(membership!);
    const materializer = scout.services.warehouse.jobs['materializer'];
    await expect(
      materializer.run({
        schema,
        domain: 'demo-clinic',
        commcare: scout.services.tenants.clientFor(membership!.hq_base_url, credentials),
        mode: 'incremental',
        signal: controller.signal,
        onPhase: () => undefined,
        onProgress: (source, loaded) => {
          if (source === 'cases' && loaded >= 7_000) controller.abort(new Error('worker killed'));
        },
      }),
    ).rejects.toThrow('worker killed');
    const partial = await warehouseQuery<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".cases`);
    expect(partial[0]!.n).toBeGreaterThan(CASES + 4);
    expect(partial[0]!.n).toBeLessThan(CASES + 4 + 12_000);

    const run = await sync(owner, membershipId);
    expect(run.state).toBe('completed');
    expect(run.sources.cases!.rows_loaded).toBeLessThan(12_000);
    await expectWarehouseEqualsHq();
  });

  it('marks a run whose worker died as failed, so a new one can start', async () => {
    const tenantSchema = await scout.database.pool.query(`SELECT id FROM tenant_schema WHERE schema_name = $1`, [schema]);
    await scout.database.pool.query(
      `INSERT INTO materialization_run (tenant_schema_id, state, mode, heartbeat_at) VALUES ($1, 'loading', 'full', now() - interval '10 minutes')`,
      [tenantSchema.rows[0].id],
    );
    const run = await sync(owner, membershipId);
    expect(run.state).toBe('completed');
    const history = (await (await owner.get(`/api/tenants/${membershipId}/materializations`)).json()) as MaterializationRun[];
    expect(history.find((r) => r.error?.includes('stopped unexpectedly'))).toBeDefined();
  });

  it('streams progress as server-sent events until the run ends', async () => {
    const started = await startRun(owner, membershipId, 'full');
    const response = await owner.get(`/api/tenants/${membershipId}/materializations/${started.run.id}/events`);
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await response.text();
    const events = text.split('\n').filter((line) => line.startsWith('data: ')).map((line) => JSON.parse(line.slice(6)));
    expect(events.length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ id: started.run.id, state: 'completed' });
  });

  it('fails clearly when CommCare rejects the credential, and marks the credential', async () => {
    const client = await signedIn();
    const id = await connect(client, 'other-project');
    await scout.database.pool.query(
      `UPDATE tenant_credential SET secret = $1 WHERE membership_id = $2`,
      [scout.services.tenants['deps'].keyRing.encrypt('demo@example.com:revoked-key', `tenant_credential.secret:${(await scout.database.pool.query('SELECT id FROM tenant_credential WHERE membership_id = $1', [id])).rows[0].id}`), id],
    );
    const run = await sync(client, id);
    expect(run.state).toBe('failed');
    expect(run.error).toMatch(/no longer accepts the credential/);
    const credentials = (await (await client.get('/api/auth/tenant-credentials/')).json()) as Array<{ last_error: string | null }>;
    expect(credentials[0]!.last_error).toMatch(/no longer accepts/);
  });
});

describe('access', () => {
  it("answers 404 for another user's domain and lets only owners and admins tear down", async () => {
    const stranger = await signedIn();
    expect((await stranger.get(`/api/tenants/${membershipId}/warehouse`)).status).toBe(404);
    expect((await stranger.post(`/api/tenants/${membershipId}/materializations`, '')).status).toBe(404);
    const analyst = await signedIn();
    const analystMembership = await connect(analyst);
    const denied = await analyst.request('DELETE', `/api/tenants/${analystMembership}/warehouse`);
    expect(denied.status).toBe(403);
  });

  it('gives the read-only role its own schema and nothing else', async () => {
    const other = await signedIn();
    const otherMembership = await connect(other, 'other-project');
    expect((await sync(other, otherMembership)).state).toBe('completed');
    const client = await scout.services.warehouse['deps'].warehouse.connect();
    const attempt = async (statement: string) => {
      await client.query('BEGIN');
      try {
        await client.query(`SET LOCAL ROLE "${readOnlyRole(schema)}"`);
        await client.query(statement);
        return 'allowed';
      } catch (error) {
        return (error as { code?: string }).code === '42501' ? 'denied' : `error ${(error as Error).message}`;
      } finally {
        await client.query('ROLLBACK');
      }
    };
    try {
      const otherSchema = (await client.query(`SELECT s.schema_name FROM tenant_schema s JOIN tenant t ON t.id = s.tenant_id WHERE t.external_id = 'other-project'`)).rows[0].schema_name as string;
      expect(await attempt(`SELECT count(*) FROM "${schema}".cases`)).toBe('allowed');
      const view = (await client.query(`SELECT viewname FROM pg_views WHERE schemaname = $1 LIMIT 1`, [schema])).rows[0].viewname as string;
      expect(await attempt(`SELECT * FROM "${schema}"."${view}" LIMIT 1`)).toBe('allowed');
      expect(await attempt(`SELECT count(*) FROM "${otherSchema}".cases`)).toBe('denied');
      expect(await attempt(`SELECT count(*) FROM public."user"`)).toBe('denied');
      expect(await attempt(`SELECT count(*) FROM public.tenant_credential`)).toBe('denied');
      expect(await attempt(`DELETE FROM "${schema}".cases`)).toBe('denied');
      expect(await attempt(`CREATE TABLE "${schema}".evil (x int)`)).toBe('denied');
    } finally {
      client.release();
    }
  });

  it('expires a warehouse nobody used for the TTL, and a new sync brings it back', async () => {
    await scout.database.pool.query(`UPDATE tenant_schema SET last_accessed_at = now() - interval '30 days' WHERE schema_name = $1`, [schema]);
    expect(await scout.services.warehouse.jobs.expireSchemas()).toBe(1);
    const expired = (await (await owner.get(`/api/tenants/${membershipId}/warehouse`)).json()) as WarehouseSummary;
    expect(expired).toMatchObject({ schema_state: 'expired', tables: [] });
    const run = await sync(owner, membershipId);
    expect(run).toMatchObject({ state: 'completed', mode: 'full' });
    await expectWarehouseEqualsHq();
  });

  it('tears down the schema and its role for an owner', async () => {
    const client = await signedIn();
    const id = await connect(client, 'other-project');
    const owned = await scout.database.pool.query(`SELECT role FROM tenant_membership WHERE id = $1`, [id]);
    expect(owned.rows[0].role).toBe('analyst');
    const response = await owner.request('DELETE', `/api/tenants/${membershipId}/warehouse`);
    expect(response.status).toBe(204);
    const present = await warehouseQuery<{ n: number }>(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1`, [schema]);
    expect(present[0]!.n).toBe(0);
    const role = await warehouseQuery<{ n: number }>(`SELECT count(*)::int AS n FROM pg_roles WHERE rolname = $1`, [readOnlyRole(schema)]);
    expect(role[0]!.n).toBe(0);
  });
});
