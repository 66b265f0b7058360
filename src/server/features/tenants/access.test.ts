import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedMcpToken } from '../../../shared/mcp';
import type { ToolEnvelope, VisualizeResult } from '../../../shared/tools';
import { connectedMember, queryAs, type Member } from '../../../../test/support/members';
import { ACTIVE_RUN_STATES, getRun, poll } from '../../../../test/support/runs';
import { startScoutWithSimulator, type SimulatedScout } from '../../../../test/support/scout';
import { readUIChunks, ScriptedMockModel, streamedText, toolResultsIn } from '../chat/test-support';

/**
 * A location-restricted HQ user in Scout: the simulator's field supervisor
 * sees one district of demo-clinic on HQ's case API, and must see exactly
 * that in Scout on every path, though an unrestricted colleague synced the
 * whole domain into the shared warehouse.
 */
const SUPERVISOR = 'field-supervisor@example.com:supervisor-key';
let scout: SimulatedScout;
let owner: Member;
let supervisor: Member;
const model = new ScriptedMockModel();

/** How many cases HQ's case API shows a credential (`username:key`). */
async function hqCaseCount(credential: string): Promise<number> {
  const response = await fetch(`${scout.sim.url}/a/demo-clinic/api/case/v2/?limit=1`, { headers: { Authorization: `ApiKey ${credential}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { matching_records: number }).matching_records;
}

const countOf = async (m: Member, sql: string) => {
  const { status, envelope } = await queryAs(m, sql);
  if (!envelope.success) throw new Error(`${status}: ${envelope.error.message}`);
  return envelope.data.rows[0]![0] as number;
};

beforeAll(async () => {
  scout = await startScoutWithSimulator({ seed: 1, domains: ['demo-clinic'], cases: 300, formsPerCase: 2 }, { worker: true, app: { chatModel: model.chatModel, chatRequestsPerMinute: 1000 } });
  owner = await connectedMember(scout.baseUrl, 'demo-clinic', { name: 'Olive Owner' });
  supervisor = await connectedMember(scout.baseUrl, 'demo-clinic', { name: 'Sue Supervisor', credential: SUPERVISOR, sync: false });
}, 120_000);
afterAll(async () => {
  await scout?.stop();
});

describe('a location-restricted member', () => {
  it('is learned from HQ at connect: restricted to the locations HQ assigned them', async () => {
    const { rows } = await scout.database.pool.query(`SELECT hq_access, cardinality(hq_location_ids) AS n FROM tenant_membership WHERE id = ANY($1) ORDER BY role = 'owner' DESC`, [
      [owner.membershipId, supervisor.membershipId],
    ]);
    expect(rows).toEqual([
      { hq_access: 'full', n: 0 },
      { hq_access: 'restricted', n: 1 },
    ]);
  });

  it('counts exactly the cases HQ shows them, while the owner counts them all', async () => {
    const hqSupervisor = await hqCaseCount(SUPERVISOR);
    const hqAll = await hqCaseCount('demo@example.com:demo-key');
    expect(hqSupervisor).toBeGreaterThan(0);
    expect(hqSupervisor).toBeLessThan(hqAll);
    expect(await countOf(owner, 'SELECT count(*)::int FROM cases')).toBe(hqAll);
    expect(await countOf(supervisor, 'SELECT count(*)::int FROM cases')).toBe(hqSupervisor);
    // Through the typed views and the relationships, too.
    const [ownerViews, supervisorViews] = await Promise.all(
      [owner, supervisor].map((m) => countOf(m, `SELECT (SELECT count(*) FROM case_household) + (SELECT count(*) FROM case_person) + (SELECT count(*) FROM case_pregnancy) + (SELECT count(*) FROM case_visit)`)),
    );
    expect(Number(supervisorViews)).toBeLessThan(Number(ownerViews));
    expect(await countOf(supervisor, 'SELECT count(*)::int FROM case_relationships r WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.case_id = r.case_id)')).toBe(0);
  });

  it('charts only the cases HQ shows them', async () => {
    const chartOf = async (m: Member) => {
      const response = await m.client.post(`/api/tenants/${m.membershipId}/tools/visualize`, { sql: 'SELECT case_type, count(*) AS n FROM cases GROUP BY 1' });
      const envelope = (await response.json()) as ToolEnvelope<VisualizeResult>;
      if (!envelope.success) throw new Error(envelope.error.message);
      return (envelope.data.spec.data as { values: Array<{ n: number }> }).values.reduce((sum, v) => sum + v.n, 0);
    };
    expect(await chartOf(supervisor)).toBe(await hqCaseCount(SUPERVISOR));
    expect(await chartOf(owner)).toBe(await hqCaseCount('demo@example.com:demo-key'));
  });

  it('sees only their locations and the workers there, no groups, and forms of those workers', async () => {
    const locations = await countOf(supervisor, 'SELECT count(*)::int FROM locations');
    expect(locations).toBeGreaterThan(0);
    expect(locations).toBeLessThan(await countOf(owner, 'SELECT count(*)::int FROM locations'));
    expect(await countOf(supervisor, 'SELECT count(DISTINCT district_name)::int FROM locations')).toBe(1);
    expect(await countOf(supervisor, 'SELECT count(*)::int FROM groups')).toBe(0);
    expect(await countOf(supervisor, `SELECT count(*)::int FROM forms f WHERE f.user_id NOT IN (SELECT user_id FROM users)`)).toBe(0);
    expect(await countOf(supervisor, 'SELECT count(*)::int FROM forms')).toBeLessThan(await countOf(owner, 'SELECT count(*)::int FROM forms'));
  });

  it('gets its own row counts and no sample values from the metadata tools', async () => {
    const listed = (await (await supervisor.client.post(`/api/tenants/${supervisor.membershipId}/tools/list_tables`, {})).json()) as ToolEnvelope<Array<{ name: string; row_count: number }>>;
    if (!listed.success) throw new Error(listed.error.message);
    expect(listed.data.find((t) => t.name === 'cases')!.row_count).toBe(await hqCaseCount(SUPERVISOR));
    const described = (await (await supervisor.client.post(`/api/tenants/${supervisor.membershipId}/tools/describe_table`, { table_name: 'cases' })).json()) as ToolEnvelope<{
      columns: Array<{ sample_values: unknown[] }>;
    }>;
    if (!described.success) throw new Error(described.error.message);
    expect(described.data.columns.every((c) => c.sample_values.length === 0)).toBe(true);
    // The Data page's table list counts the same rows.
    const summary = (await (await supervisor.client.get(`/api/tenants/${supervisor.membershipId}/warehouse`)).json()) as { tables: Array<{ name: string; row_count: number }> };
    expect(summary.tables.find((t) => t.name === 'cases')!.row_count).toBe(await hqCaseCount(SUPERVISOR));
  });

  it('describes how the directory joins the data in get_metadata', async () => {
    const metadata = (await (await owner.client.post(`/api/tenants/${owner.membershipId}/tools/get_metadata`, {})).json()) as ToolEnvelope<{ relationships: Array<{ from: string; to: string }> }>;
    if (!metadata.success) throw new Error(metadata.error.message);
    expect(metadata.data.relationships).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ from: 'forms.user_id', to: 'users.user_id' }),
        expect.objectContaining({ from: 'cases.owner_id', to: 'locations.location_id' }),
        expect.objectContaining({ from: 'case_relationships.case_id', to: 'cases.case_id' }),
      ]),
    );
  });

  it('answers the same over MCP', async () => {
    const token = (await (await supervisor.client.post('/api/mcp/tokens', { name: 'Supervisor laptop' })).json()) as CreatedMcpToken;
    const mcp = new Client({ name: 'scout-test', version: '1.0.0' });
    await mcp.connect(new StreamableHTTPClientTransport(new URL(`${scout.baseUrl}/mcp/${supervisor.membershipId}`), { requestInit: { headers: { Authorization: `Bearer ${token.token}` } } }));
    try {
      const result = (await mcp.callTool({ name: 'query', arguments: { sql: 'SELECT count(*)::int AS n FROM cases' } })) as CallToolResult;
      const envelope = JSON.parse((result.content[0] as { text: string }).text) as ToolEnvelope<{ rows: unknown[][] }>;
      if (!envelope.success) throw new Error(envelope.error.message);
      expect(envelope.data.rows[0]![0]).toBe(await hqCaseCount(SUPERVISOR));
    } finally {
      await mcp.close();
    }
  });

  it('answers the same in the chat', async () => {
    model.script = (options) => {
      const results = toolResultsIn(options.prompt);
      if (results.length === 0) return { toolCalls: [{ name: 'query', args: { sql: 'SELECT count(*)::int AS n FROM cases' } }] };
      const envelope = results[0]!.envelope;
      return { text: envelope.success ? `There are ${(envelope.data as { rows: number[][] }).rows[0]![0]} cases.` : `Refused: ${envelope.error.message}` };
    };
    const threadId = crypto.randomUUID();
    const response = await supervisor.client.post(`/api/tenants/${supervisor.membershipId}/chat`, {
      id: threadId,
      trigger: 'submit-message',
      messages: [{ id: 'q-1', role: 'user', parts: [{ type: 'text', text: 'How many cases are there?' }] }],
      data: { threadId },
    });
    expect(response.status).toBe(200);
    expect(streamedText(await readUIChunks(response))).toBe(`There are ${await hqCaseCount(SUPERVISOR)} cases.`);
  });

  it('shows nothing to a member HQ refused, and asks HQ again once its answer is an hour old', async () => {
    // As if HQ's last answer (a fresh one) had been a refusal: no data on any path until HQ says otherwise.
    await scout.database.pool.query(`UPDATE tenant_membership SET hq_access = 'none', hq_access_checked_at = now() WHERE id = $1`, [supervisor.membershipId]);
    const refused = await queryAs(supervisor, 'SELECT count(*) FROM cases');
    expect(refused.status).toBe(403);
    expect(refused.envelope).toMatchObject({ success: false, error: { code: 'FORBIDDEN', message: expect.stringContaining("CommCare doesn't let your account view") } });
    // An hour later Scout asks HQ again, which restricts them to their district: their share is back, without a sync.
    await scout.database.pool.query(`UPDATE tenant_membership SET hq_access_checked_at = now() - interval '2 hours' WHERE id = $1`, [supervisor.membershipId]);
    expect(await countOf(supervisor, 'SELECT count(*)::int FROM cases')).toBe(await hqCaseCount(SUPERVISOR));
  });

  it('explains why a domain whose members HQ all restricts cannot be synced', async () => {
    // The owner hands ownership to the supervisor and leaves: nobody left sees the whole domain.
    expect((await owner.client.request('PATCH', `/api/tenants/${owner.membershipId}/members/${supervisor.membershipId}`, { role: 'owner' })).status).toBe(200);
    expect((await owner.client.request('DELETE', `/api/tenants/${owner.membershipId}/members/${owner.membershipId}`)).status).toBe(204);
    const started = (await (await supervisor.client.post(`/api/tenants/${supervisor.membershipId}/materializations`, '')).json()) as { run: { id: string } };
    const run = await poll(
      'the sync to end',
      () => getRun(supervisor.client, supervisor.membershipId, started.run.id),
      (r) => !ACTIVE_RUN_STATES.includes(r.state),
      60_000,
    );
    expect(run).toMatchObject({ state: 'failed', error: expect.stringContaining('A member whose CommCare role can access all locations') });
    // What was synced before stays, still scoped.
    expect(await countOf(supervisor, 'SELECT count(*)::int FROM cases')).toBe(await hqCaseCount(SUPERVISOR));
  });
});
