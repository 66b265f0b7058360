import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolCallEntry, ToolEnvelope, ToolSuccess, VisualizeResult } from '../../../shared/tools';
import { connectedMember, type Member } from '../../../../test/support/members';
import { startScoutWithSimulator, type SimulatedScout } from '../../../../test/support/scout';

let scout: SimulatedScout;

function member(domain: string, sync = true): Promise<Member> {
  return connectedMember(scout.baseUrl, domain, { sync, name: 'Tool User' });
}

async function call<T = unknown>(m: Member, tool: string, args: unknown = {}): Promise<ToolEnvelope<T>> {
  const response = await m.client.post(`/api/tenants/${m.membershipId}/tools/${tool}`, args);
  return response.json();
}

function ok<T>(envelope: ToolEnvelope<T>): ToolSuccess<T> {
  if (!envelope.success) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope;
}

let clinic: Member;
let other: Member;

beforeAll(async () => {
  scout = await startScoutWithSimulator({ seed: 31, domains: ['demo-clinic', 'other-project', 'third-site'], cases: 120, formsPerCase: 1 }, { worker: true });
  clinic = await member('demo-clinic');
  other = await member('other-project');
});
afterAll(async () => {
  await scout?.stop();
});

describe('data tools', () => {
  it('list_tables lists tables and views with counts and descriptions', async () => {
    const result = ok(await call<Array<{ name: string; kind: string; row_count: number; description: string }>>(clinic, 'list_tables'));
    expect(result).toMatchObject({ tenant_id: 'demo-clinic', schema: expect.stringMatching(/^t_demo_clinic_/), timing_ms: expect.any(Number) });
    expect(result.data.find((t) => t.name === 'cases')).toMatchObject({ kind: 'table', row_count: 120 });
    expect(result.data.some((t) => t.kind === 'view' && t.name.startsWith('case_'))).toBe(true);
  });

  it('describe_table describes columns with types and samples, and suggests a name for a typo', async () => {
    const described = ok(await call<{ columns: Array<{ name: string; type: string; nullable: boolean; sample_values: unknown[] }> }>(clinic, 'describe_table', { table_name: 'case_household' }));
    expect(described.data.columns.find((c) => c.name === 'case_id')).toMatchObject({ type: 'text' });
    expect(described.data.columns.some((c) => c.sample_values.length > 0)).toBe(true);
    const typo = await call(clinic, 'describe_table', { table_name: 'case_houshold' });
    expect(typo).toEqual({ success: false, error: { code: 'NOT_FOUND', message: expect.stringContaining("did you mean 'case_household'?") } });
  });

  it('get_metadata gives tables, relationships and the last sync time', async () => {
    const meta = ok(await call<{ last_sync_at: string; relationships: Array<{ from: string; to: string }> }>(clinic, 'get_metadata'));
    expect(meta.data.last_sync_at).not.toBeNull();
    expect(meta.data.relationships).toEqual(expect.arrayContaining([expect.objectContaining({ from: 'forms.case_ids', to: 'cases.case_id' })]));
  });

  it('query runs a SELECT on the tenant data, with the row cap flagged', async () => {
    const counted = ok(await call<{ columns: Array<{ name: string }>; rows: unknown[][]; truncated: boolean }>(clinic, 'query', { sql: 'SELECT case_type, count(*) AS n FROM cases GROUP BY 1 ORDER BY 1' }));
    expect(counted.data.columns.map((c) => c.name)).toEqual(['case_type', 'n']);
    expect(counted.data.rows.reduce((sum, row) => sum + Number(row[1]), 0)).toBe(120);
    expect(counted.data.truncated).toBe(false);
  });

  it('query rejects writes and other schemas with QUERY_REJECTED', async () => {
    expect(((await call(clinic, 'query', { sql: 'DELETE FROM cases' })) as { error: { code: string } }).error.code).toBe('QUERY_REJECTED');
    expect(((await call(clinic, 'query', { sql: 'SELECT * FROM pg_catalog.pg_authid' })) as { error: { code: string } }).error.code).toBe('QUERY_REJECTED');
  });

  it('validates arguments with a message a model can act on', async () => {
    const missing = await call(clinic, 'describe_table', {});
    expect(missing).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR', message: expect.stringContaining('table_name') } });
    const unknownTool = await call(clinic, 'drop_everything');
    expect(unknownTool).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
  });

  it('answers SCHEMA_NOT_READY before the first sync, and run_materialization plus get_materialization_status fix it', async () => {
    const fresh = await member('third-site', false);
    expect(await call(fresh, 'list_tables')).toMatchObject({ success: false, error: { code: 'SCHEMA_NOT_READY', message: expect.stringContaining('run_materialization') } });
    expect(await call(fresh, 'get_materialization_status')).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
    const started = ok(await call<{ run_id: string }>(fresh, 'run_materialization'));
    let state = '';
    for (let i = 0; i < 400 && state !== 'completed'; i++) {
      state = ok(await call<{ state: string }>(fresh, 'get_materialization_status', { run_id: started.data.run_id })).data.state;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(state).toBe('completed');
    expect((await call(fresh, 'list_tables')).success).toBe(true);
  });

  it('starts a sync and reports its status', async () => {
    const started = ok(await call<{ status: string; run_id: string }>(other, 'run_materialization', { mode: 'incremental' }));
    expect(['started', 'already_in_progress']).toContain(started.data.status);
    const status = ok(await call<{ id: string }>(other, 'get_materialization_status', { run_id: started.data.run_id }));
    expect(status.data.id).toBe(started.data.run_id);
    expect(await call(other, 'get_materialization_status', { run_id: '00000000-0000-0000-0000-000000000000' })).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('visualize suggests a bar chart for a group-by and a line for counts over time, over the same rows query returns', async () => {
    const sql = 'SELECT case_type, count(*) AS cases FROM cases GROUP BY case_type';
    const bars = ok(await call<VisualizeResult>(clinic, 'visualize', { sql }));
    expect(bars.data.chart).toMatchObject({ kind: 'bar', x: 'case_type', y: 'cases', sort: '-y', title: 'Cases by case type' });
    expect(bars.data.spec).toMatchObject({ $schema: expect.stringContaining('vega-lite'), mark: { type: 'bar' }, encoding: { x: { field: 'case_type', sort: '-y' } } });
    const asQuery = ok(await call<{ rows: unknown[][] }>(clinic, 'query', { sql }));
    expect(bars.data.rows).toEqual(asQuery.data.rows);
    const values = (bars.data.spec.data as { values: Array<{ cases: number }> }).values;
    expect(values.reduce((sum, v) => sum + v.cases, 0)).toBe(120);

    const overTime = ok(await call<VisualizeResult>(clinic, 'visualize', { sql: "SELECT date_trunc('month', date_opened)::date AS month, count(*) AS opened FROM cases GROUP BY 1" }));
    expect(overTime.data.chart).toMatchObject({ kind: 'line', x: 'month', y: 'opened' });
    expect(overTime.data.spec.encoding).toMatchObject({ x: { type: 'temporal' } });
  });

  it('visualize draws the chart asked for, and names the column a bad choice got wrong', async () => {
    const pie = ok(await call<VisualizeResult>(clinic, 'visualize', { sql: 'SELECT closed::text AS status, count(*) AS n FROM cases GROUP BY 1', chart: { kind: 'donut', title: 'Open and closed' } }));
    expect(pie.data.chart).toMatchObject({ kind: 'donut', x: 'status', y: 'n', title: 'Open and closed' });
    expect(pie.data.spec.mark).toMatchObject({ type: 'arc', innerRadius: expect.any(Number) });

    const missing = await call(clinic, 'visualize', { sql: 'SELECT case_type, count(*) AS n FROM cases GROUP BY 1', chart: { kind: 'bar', x: 'type', y: 'n' } });
    expect(missing).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR', message: expect.stringMatching(/^chart\.x: the result has no column 'type'; its columns are case_type, n/) } });
    const textY = await call(clinic, 'visualize', { sql: 'SELECT case_type, case_name FROM cases LIMIT 5', chart: { kind: 'bar', x: 'case_type', y: 'case_name' } });
    expect(textY).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR', message: expect.stringContaining('chart.y: must be a numeric column') } });
    const unknownKind = await call(clinic, 'visualize', { sql: 'SELECT 1', chart: { kind: 'radar' } });
    expect(unknownKind).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR', message: expect.stringContaining('chart.kind') } });
    const both = await call(clinic, 'visualize', { sql: 'SELECT 1 AS n', chart: { kind: 'number' }, spec: { mark: 'bar' } });
    expect(both).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR', message: expect.stringContaining('chart or spec, not both') } });
  });

  it('visualize takes a checked Vega-Lite spec, adds the rows, and says when the chart is cut at the row cap', async () => {
    const spec = { mark: 'point', encoding: { x: { field: 'n', type: 'quantitative' }, y: { field: 'twice', type: 'quantitative' } }, transform: [{ calculate: 'datum.n * 2', as: 'twice' }] };
    const drawn = ok(await call<VisualizeResult>(clinic, 'visualize', { sql: 'SELECT generate_series(1, 600) AS n', spec }));
    expect(drawn.data.chart).toBeNull();
    expect(drawn.data.truncated).toBe(true);
    expect((drawn.data.spec.data as { values: unknown[] }).values).toHaveLength(500);
    expect(drawn.warnings).toEqual([expect.stringContaining('The chart draws only the first 500 rows')]);
    const escaping = await call(clinic, 'visualize', { sql: 'SELECT 1 AS n', spec: { ...spec, transform: [{ calculate: "data('rows')", as: 'twice' }] } });
    expect(escaping).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR', message: expect.stringContaining("the function 'data' is not allowed") } });

    const suggested = ok(await call<VisualizeResult>(clinic, 'visualize', { sql: 'SELECT case_id, case_type FROM cases' }));
    expect(suggested.data.chart).toMatchObject({ kind: 'table' });
  });

  it('cancels a running query by its request id, for its own member only', async () => {
    const requestId = crypto.randomUUID();
    // A cross join long enough to be running when the cancel comes (minutes), without pg_sleep.
    const running = clinic.client.post(`/api/tenants/${clinic.membershipId}/tools/query`, { sql: 'SELECT count(*) FROM cases a, cases b, cases c, cases d', request_id: requestId });
    const cancelPath = (m: Member, id: string = requestId) => `/api/tenants/${m.membershipId}/queries/${id}/cancel`;
    // Another member's cancel of the same id finds nothing of theirs; so do an unknown id and a non-UUID.
    const foreign = await other.client.post(cancelPath(other), '');
    expect(foreign.status).toBe(404);
    expect((await clinic.client.post(cancelPath(clinic, crypto.randomUUID()), '')).status).toBe(404);
    expect((await clinic.client.post(cancelPath(clinic, 'not-a-uuid'), '')).status).toBe(404);
    let cancelled = 404;
    for (let attempt = 0; attempt < 100 && cancelled === 404; attempt++) {
      cancelled = (await clinic.client.post(cancelPath(clinic), '')).status;
      if (cancelled === 404) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(cancelled).toBe(200);
    const response = await running;
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ success: false, error: { code: 'QUERY_CANCELLED', message: expect.stringContaining('cancelled') } });
    // The connection is clean for the next query.
    expect(ok(await call<{ rows: unknown[][] }>(clinic, 'query', { sql: 'SELECT 1 AS n', request_id: requestId })).data.rows).toEqual([[1]]);
  });

  it('writes every call to the audit log, readable by owners only', async () => {
    const log = (await (await clinic.client.get(`/api/tenants/${clinic.membershipId}/tool-calls`)).json()) as ToolCallEntry[];
    expect(log.length).toBeGreaterThan(5);
    expect(log.find((e) => e.error_code === 'QUERY_CANCELLED')).toMatchObject({ tool: 'query', status: 'error' });
    const rejected = log.find((e) => e.error_code === 'QUERY_REJECTED');
    expect(rejected).toMatchObject({ tool: 'query', status: 'error', channel: 'api', arguments: { sql: expect.any(String) } });
    expect(log.find((e) => e.tool === 'query' && e.status === 'success')?.rows).toBeGreaterThan(0);
    expect(log.find((e) => e.tool === 'visualize' && e.status === 'success')).toMatchObject({ channel: 'api', arguments: { sql: expect.any(String) }, rows: expect.any(Number) });
    const analyst = await member('demo-clinic', false);
    expect((await analyst.client.get(`/api/tenants/${analyst.membershipId}/tool-calls`)).status).toBe(403);
  });
});

describe('isolation', () => {
  it("never lets one tenant's member read another tenant's data", async () => {
    // Through REST with someone else's membership id.
    const stolen = await clinic.client.post(`/api/tenants/${other.membershipId}/tools/list_tables`, {});
    expect(stolen.status).toBe(404);
    // Through SQL naming the other schema.
    const otherSchema = ok(await call(other, 'list_tables')).schema;
    const crossRead = await call(clinic, 'query', { sql: `SELECT count(*) FROM "${otherSchema}".cases` });
    expect(crossRead.success).toBe(false);
    // The audit logs stay separate.
    const log = (await (await other.client.get(`/api/tenants/${other.membershipId}/tool-calls`)).json()) as ToolCallEntry[];
    expect(log.every((e) => !JSON.stringify(e.arguments).includes(otherSchema) || e.tool !== 'query' || e.status === 'error')).toBe(true);
  });
});
