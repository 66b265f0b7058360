import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedMcpToken, McpTokenSummary } from '../../../shared/mcp';
import { TOOL_NAMES, type ToolCallEntry, type ToolEnvelope, type ToolSuccess, type VisualizeResult } from '../../../shared/tools';
import { connectDomain, syncDomain } from '../../../../test/support/runs';
import { HttpClient, startScoutWithSimulator, type SimulatedScout } from '../../../../test/support/scout';

const RATE_LIMIT = 20;
let scout: SimulatedScout;

interface User {
  client: HttpClient;
  membershipId: string;
}

async function signUp(): Promise<HttpClient> {
  const client = new HttpClient(scout.baseUrl);
  await client.post('/api/auth/sign-up/email', { name: 'MCP User', email: `mcp-${Math.random().toString(36).slice(2)}@example.org`, password: 'mcp-user-pass-1' });
  return client;
}



async function createToken(client: HttpClient, name = 'Claude Desktop', lifetime?: string): Promise<CreatedMcpToken> {
  const response = await client.post('/api/mcp/tokens', { name, ...(lifetime ? { expires_in_days: lifetime } : {}) });
  expect(response.status).toBe(201);
  return response.json();
}

async function mcpClient(token: string, path: string): Promise<Client> {
  const client = new Client({ name: 'scout-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${scout.baseUrl}${path}`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
  await client.connect(transport);
  return client;
}

function envelopeOf<T = unknown>(result: Awaited<ReturnType<Client['callTool']>>): ToolEnvelope<T> {
  const content = (result as CallToolResult).content;
  expect(content[0]?.type).toBe('text');
  const envelope = JSON.parse((content[0] as { text: string }).text) as ToolEnvelope<T>;
  expect(Boolean((result as CallToolResult).isError)).toBe(!envelope.success);
  return envelope;
}

function ok<T>(envelope: ToolEnvelope<T>): ToolSuccess<T> {
  if (!envelope.success) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope;
}

/** A raw JSON-RPC initialize over HTTP, for the answers an SDK client only reports as an exception. */
function initialize(path: string, headers: Record<string, string>) {
  return fetch(`${scout.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
  });
}

let owner: User;
let ownerToken: CreatedMcpToken;
let mcp: Client;
let stranger: User;

beforeAll(async () => {
  scout = await startScoutWithSimulator({ seed: 41, domains: ['demo-clinic', 'other-project'], cases: 60, formsPerCase: 1 }, { app: { mcpToolCallsPerMinute: RATE_LIMIT }, worker: true });
  const ownerClient = await signUp();
  owner = { client: ownerClient, membershipId: await connectDomain(ownerClient, 'demo-clinic') };
  await syncDomain(owner.client, owner.membershipId);
  const strangerClient = await signUp();
  stranger = { client: strangerClient, membershipId: await connectDomain(strangerClient, 'other-project') };
  ownerToken = await createToken(owner.client);
  mcp = await mcpClient(ownerToken.token, `/mcp/${owner.membershipId}`);
});
afterAll(async () => {
  await mcp?.close();
  await scout?.stop();
});

describe('MCP over Streamable HTTP', () => {
  it('lists the data tools with their descriptions and input schemas', async () => {
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...TOOL_NAMES].sort());
    for (const tool of tools) {
      expect(tool.description!.length).toBeGreaterThan(40);
      expect(tool.inputSchema.type).toBe('object');
    }
    const describeTable = tools.find((t) => t.name === 'describe_table')!;
    expect(describeTable.inputSchema.properties).toHaveProperty('table_name');
    expect(describeTable.inputSchema.required).toEqual(['table_name']);
    expect(tools.find((t) => t.name === 'run_materialization')!.inputSchema.properties).toHaveProperty('mode');
  });

  it('lists the query tool, with its sql argument (the engine itself is tested in tools/query)', async () => {
    const { tools } = await mcp.listTools();
    const query = tools.find((t) => t.name === 'query');
    expect(query).toBeDefined();
    expect(query!.inputSchema.required).toEqual(['sql']);
    expect(query!.description).toMatch(/read-only SQL/);
  });

  it('runs SQL through the query tool, and refuses what the engine refuses', async () => {
    const counted = ok(envelopeOf<{ columns: Array<{ name: string }>; rows: unknown[][]; truncated: boolean }>(await mcp.callTool({ name: 'query', arguments: { sql: 'SELECT count(*) AS n FROM cases' } })));
    expect(counted.data.columns.map((c) => c.name)).toEqual(['n']);
    expect(Number(counted.data.rows[0]![0])).toBeGreaterThan(0);
    const refused = await mcp.callTool({ name: 'query', arguments: { sql: 'SELECT * FROM public."user"' } });
    expect(refused.isError).toBe(true);
    expect(envelopeOf(refused)).toMatchObject({ success: false, error: { code: 'QUERY_REJECTED' } });
  });

  it('draws a chart with visualize: a PNG of the requested size, and the spec and rows as structured content', async () => {
    const result = (await mcp.callTool({
      name: 'visualize',
      arguments: { sql: 'SELECT case_type, count(*) AS cases FROM cases GROUP BY case_type', width: 640, height: 360 },
    })) as CallToolResult;
    const envelope = ok(envelopeOf<VisualizeResult>(result));
    // The text leaves the spec out (the rows are in it once); the structured content has both.
    expect(envelope.data).not.toHaveProperty('spec');
    expect(envelope.data.chart).toMatchObject({ kind: 'bar', x: 'case_type', y: 'cases' });
    const image = result.content.find((item) => item.type === 'image') as { data: string; mimeType: string } | undefined;
    expect(image?.mimeType).toBe('image/png');
    const png = Buffer.from(image!.data, 'base64');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([640, 360]);
    const structured = result.structuredContent as unknown as ToolSuccess<VisualizeResult>;
    expect(structured.data.spec.mark).toMatchObject({ type: 'bar' });
    const values = (structured.data.spec.data as { values: Array<{ case_type: string; cases: number }> }).values;
    expect(values.map((v) => v.case_type).sort()).toEqual(structured.data.rows.map((row) => row[0]).sort());
    expect(typeof values[0]!.cases).toBe('number');
  });

  it('saves a question, lists it and runs it with its chart drawn, as the MCP client asks', async () => {
    // A token of its own: the shared one's budget of calls a minute belongs to the other tests.
    const mcp = await mcpClient((await createToken(owner.client, 'Questions client')).token, `/mcp/${owner.membershipId}`);
    const saved = ok(
      envelopeOf<{ status: string; question: { id: string } }>(
        await mcp.callTool({
          name: 'save_question',
          arguments: { title: 'Cases by type (MCP)', sql: 'SELECT case_type, count(*)::int AS cases FROM cases GROUP BY case_type', chart: { kind: 'bar' } },
        }),
      ),
    );
    // An MCP client asks its user before calling a tool: saving needs no second confirmation here.
    expect(saved.data.status).toBe('saved');
    const listed = ok(envelopeOf<Array<{ id: string; title: string }>>(await mcp.callTool({ name: 'list_questions', arguments: { search: '(MCP)' } })));
    expect(listed.data).toEqual([expect.objectContaining({ id: saved.data.question.id, title: 'Cases by type (MCP)' })]);
    const result = (await mcp.callTool({ name: 'run_question', arguments: { id: saved.data.question.id } })) as CallToolResult;
    expect(ok(envelopeOf<{ rows: unknown[][] }>(result)).data.rows.length).toBeGreaterThan(0);
    expect(result.content.find((item) => item.type === 'image')).toMatchObject({ mimeType: 'image/png' });
    await mcp.close();
  });

  it('refuses SQL in visualize with the same envelope as query, and a spec that loads data from elsewhere', async () => {
    const refused = await mcp.callTool({ name: 'visualize', arguments: { sql: 'SELECT * FROM public."user"' } });
    expect(refused.isError).toBe(true);
    const asQuery = envelopeOf(await mcp.callTool({ name: 'query', arguments: { sql: 'SELECT * FROM public."user"' } }));
    expect(envelopeOf(refused)).toEqual(asQuery);
    expect((refused as CallToolResult).content.some((item) => item.type === 'image')).toBe(false);
    const external = envelopeOf(
      await mcp.callTool({
        name: 'visualize',
        arguments: { sql: 'SELECT 1 AS n', spec: { mark: 'bar', data: { url: 'https://example.com/data.json' }, encoding: { y: { field: 'n', type: 'quantitative' } } } },
      }),
    );
    expect(external).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR', message: expect.stringContaining('spec.data') } });
  });

  it('calls list_tables, describe_table and get_metadata on the domain in the URL', async () => {
    const tables = ok(envelopeOf<Array<{ name: string; row_count: number }>>(await mcp.callTool({ name: 'list_tables', arguments: {} })));
    expect(tables.tenant_id).toBe('demo-clinic');
    expect(tables.data.find((t) => t.name === 'cases')?.row_count).toBe(60);

    const cases = ok(envelopeOf<{ name: string; columns: Array<{ name: string; nullable: boolean }> }>(await mcp.callTool({ name: 'describe_table', arguments: { table_name: 'cases' } })));
    expect(cases.data.name).toBe('cases');
    expect(cases.data.columns.map((c) => c.name)).toContain('case_id');

    const metadata = ok(envelopeOf<{ domain: string; last_sync_at: string | null; relationships: unknown[] }>(await mcp.callTool({ name: 'get_metadata', arguments: {} })));
    expect(metadata.data.domain).toBe('demo-clinic');
    expect(metadata.data.last_sync_at).not.toBeNull();
    expect(metadata.data.relationships.length).toBeGreaterThan(0);
  });

  it('answers a bad call with the error envelope and isError, and audits it as an MCP call', async () => {
    const missing = envelopeOf(await mcp.callTool({ name: 'describe_table', arguments: { table_name: 'casez' } }));
    expect(missing).toMatchObject({ success: false, error: { code: 'NOT_FOUND', message: expect.stringContaining("did you mean 'cases'") } });
    const invalid = envelopeOf(await mcp.callTool({ name: 'describe_table', arguments: { table: 'cases' } }));
    expect(invalid).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR' } });

    const log = (await (await owner.client.get(`/api/tenants/${owner.membershipId}/tool-calls`)).json()) as ToolCallEntry[];
    expect(log.find((e) => e.tool === 'describe_table' && e.error_code === 'VALIDATION_ERROR')).toMatchObject({ channel: 'mcp', status: 'error' });
  });

  it('starts a sync with run_materialization and reports it with get_materialization_status', async () => {
    const started = ok(envelopeOf<{ status: string; run_id: string }>(await mcp.callTool({ name: 'run_materialization', arguments: { mode: 'incremental' } })));
    expect(['started', 'already_in_progress']).toContain(started.data.status);
    let state = '';
    for (let i = 0; i < 400 && state !== 'completed'; i++) {
      const status = ok(envelopeOf<{ id: string; state: string }>(await mcp.callTool({ name: 'get_materialization_status', arguments: { run_id: started.data.run_id } })));
      expect(status.data.id).toBe(started.data.run_id);
      state = status.data.state;
      if (state !== 'completed') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(state).toBe('completed');
    const latest = ok(envelopeOf<{ id: string }>(await mcp.callTool({ name: 'get_materialization_status', arguments: {} })));
    expect(latest.data.id).toBe(started.data.run_id);
  });

  it('records when a token was last used', async () => {
    const tokens = (await (await owner.client.get('/api/mcp/tokens')).json()) as McpTokenSummary[];
    expect(tokens.find((t) => t.id === ownerToken.id)?.last_used_at).not.toBeNull();
  });
});

describe('MCP authentication and tenants', () => {
  it('refuses a request without a token with 401, a JSON-RPC error and WWW-Authenticate', async () => {
    const response = await initialize(`/mcp/${owner.membershipId}`, {});
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await response.json()).toMatchObject({ jsonrpc: '2.0', error: { data: { code: 'AUTH_TOKEN_MISSING' } }, id: null });
  });

  it('lets browser-based MCP clients on other origins call it (bearer token, no cookies)', async () => {
    const preflight = await fetch(`${scout.baseUrl}/mcp/${owner.membershipId}`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:6274', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, mcp-protocol-version' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const refused = await fetch(`${scout.baseUrl}/mcp/${owner.membershipId}`, { method: 'POST', headers: { origin: 'http://localhost:6274', 'content-type': 'application/json' }, body: '{}' });
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
    expect(refused.headers.get('access-control-expose-headers')).toContain('WWW-Authenticate');
    // The cookie API stays same-origin only.
    const api = await fetch(`${scout.baseUrl}/api/me`, { headers: { origin: 'http://localhost:6274' } });
    expect(api.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a wrong token', async () => {
    const response = await initialize(`/mcp/${owner.membershipId}`, { authorization: `Bearer scout_pat_${'x'.repeat(32)}` });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { data: { code: 'AUTH_TOKEN_EXPIRED' } } });
    await expect(mcpClient(`scout_pat_${'x'.repeat(32)}`, `/mcp/${owner.membershipId}`)).rejects.toThrow();
  });

  it('refuses a token once it is revoked', async () => {
    const token = await createToken(owner.client, 'soon revoked');
    const client = await mcpClient(token.token, `/mcp/${owner.membershipId}`);
    expect((await client.listTools()).tools.length).toBe(TOOL_NAMES.length);
    expect((await owner.client.request('DELETE', `/api/mcp/tokens/${token.id}`)).status).toBe(204);
    await expect(client.listTools()).rejects.toThrow();
    await client.close();
    expect((await initialize(`/mcp/${owner.membershipId}`, { authorization: `Bearer ${token.token}` })).status).toBe(401);
  });

  it("answers 404 for another user's domain in the URL, with a valid token", async () => {
    const response = await initialize(`/mcp/${stranger.membershipId}`, { authorization: `Bearer ${ownerToken.token}` });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { data: { code: 'NOT_FOUND' } } });
    await expect(mcpClient(ownerToken.token, `/mcp/${stranger.membershipId}`)).rejects.toThrow();
    expect((await initialize('/mcp/not-a-uuid', { authorization: `Bearer ${ownerToken.token}` })).status).toBe(404);
  });

  it('uses the most recently selected domain at /mcp', async () => {
    const client = await signUp();
    const clinic = await connectDomain(client, 'demo-clinic');
    const other = await connectDomain(client, 'other-project');
    const { token } = await createToken(client);

    expect((await client.post('/api/auth/tenants/select', { tenant_id: clinic })).status).toBe(200);
    const onClinic = await mcpClient(token, '/mcp');
    expect(ok(envelopeOf(await onClinic.callTool({ name: 'list_tables', arguments: {} }))).tenant_id).toBe('demo-clinic');
    await onClinic.close();

    // other-project was never synced in this Scout: its answer says so.
    expect((await client.post('/api/auth/tenants/select', { tenant_id: other })).status).toBe(200);
    const onOther = await mcpClient(token, '/mcp');
    expect(envelopeOf(await onOther.callTool({ name: 'list_tables', arguments: {} }))).toMatchObject({ success: false, error: { code: 'SCHEMA_NOT_READY' } });
    await onOther.close();
  });

  it('answers 404 at /mcp when the user has no domain, saying to connect one', async () => {
    const client = await signUp();
    const { token } = await createToken(client);
    const response = await initialize('/mcp', { authorization: `Bearer ${token}` });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/connect a domain/i);
  });

  it('rate limits tool calls per token with a RATE_LIMITED envelope', async () => {
    const token = await createToken(owner.client, 'busy client');
    const client = await mcpClient(token.token, `/mcp/${owner.membershipId}`);
    for (let i = 0; i < RATE_LIMIT; i++) ok(envelopeOf(await client.callTool({ name: 'list_tables', arguments: {} })));
    expect(envelopeOf(await client.callTool({ name: 'list_tables', arguments: {} }))).toMatchObject({ success: false, error: { code: 'RATE_LIMITED' } });
    // Another token of the same user has its own budget (a fresh one: the shared token's budget goes to the other tests).
    const other = await mcpClient((await createToken(owner.client, 'quiet client')).token, `/mcp/${owner.membershipId}`);
    ok(envelopeOf(await other.callTool({ name: 'list_tables', arguments: {} })));
    await Promise.all([client.close(), other.close()]);
  });
});

describe('personal access tokens (REST)', () => {
  it('shows a new token once; the list never contains the token or its hash', async () => {
    const created = await createToken(owner.client, 'Claude Code');
    expect(created.token).toMatch(/^scout_pat_[A-Za-z0-9_-]{32}$/);
    expect(created.token.startsWith(created.prefix)).toBe(true);
    expect(created).toMatchObject({ name: 'Claude Code', last_used_at: null });
    // 90 days unless chosen.
    expect(Math.round((Date.parse(created.expires_at!) - Date.now()) / 86_400_000)).toBe(90);

    const response = await owner.client.get('/api/mcp/tokens');
    const text = await response.text();
    expect(text).not.toContain(created.token);
    expect(text).not.toContain(created.token.slice(10));
    expect(text).not.toMatch(/hash/i);
    expect(text).not.toMatch(/[0-9a-f]{64}/);
    const listed = (JSON.parse(text) as McpTokenSummary[]).find((t) => t.id === created.id);
    expect(listed).toEqual({ id: created.id, name: 'Claude Code', prefix: created.prefix, created_at: created.created_at, last_used_at: null, expires_at: created.expires_at });
  });

  it('lasts 30 days, a year or forever as chosen, and stops working once expired', async () => {
    const days = (token: CreatedMcpToken) => (token.expires_at ? Math.round((Date.parse(token.expires_at) - Date.now()) / 86_400_000) : null);
    expect(days(await createToken(owner.client, 'month', '30'))).toBe(30);
    expect(days(await createToken(owner.client, 'year', '365'))).toBe(365);
    expect(days(await createToken(owner.client, 'forever', 'never'))).toBeNull();
    const bad = await owner.client.post('/api/mcp/tokens', { name: 'x', expires_in_days: '7' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ fields: { expires_in_days: ['Choose 30, 90 or 365 days, or never'] } });

    const expiring = await createToken(owner.client, 'expiring', '30');
    expect((await initialize(`/mcp/${owner.membershipId}`, { authorization: `Bearer ${expiring.token}` })).status).toBe(200);
    await scout.database.db.updateTable('mcp_token').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', expiring.id).execute();
    const refused = await initialize(`/mcp/${owner.membershipId}`, { authorization: `Bearer ${expiring.token}` });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { data: { code: 'AUTH_TOKEN_EXPIRED' } } });
  });

  it('rejects a token without a name, field by field', async () => {
    const response = await owner.client.post('/api/mcp/tokens', { name: '  ' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'VALIDATION_ERROR', fields: { name: [expect.any(String)] } });
  });

  it("answers 404 when revoking another user's token, which keeps working", async () => {
    const theirs = await createToken(stranger.client, 'theirs');
    expect((await owner.client.request('DELETE', `/api/mcp/tokens/${theirs.id}`)).status).toBe(404);
    expect((await owner.client.request('DELETE', '/api/mcp/tokens/not-a-uuid')).status).toBe(404);
    const mine = (await (await owner.client.get('/api/mcp/tokens')).json()) as McpTokenSummary[];
    expect(mine.some((t) => t.id === theirs.id)).toBe(false);
    expect((await initialize(`/mcp/${stranger.membershipId}`, { authorization: `Bearer ${theirs.token}` })).status).toBe(200);
  });

  it('drops a revoked token from the list and refuses to revoke it twice', async () => {
    const token = await createToken(owner.client, 'short-lived');
    expect((await owner.client.request('DELETE', `/api/mcp/tokens/${token.id}`)).status).toBe(204);
    const listed = (await (await owner.client.get('/api/mcp/tokens')).json()) as McpTokenSummary[];
    expect(listed.some((t) => t.id === token.id)).toBe(false);
    expect((await owner.client.request('DELETE', `/api/mcp/tokens/${token.id}`)).status).toBe(404);
  });

  it('needs a session', async () => {
    const anonymous = new HttpClient(scout.baseUrl);
    expect((await anonymous.get('/api/mcp/tokens')).status).toBe(401);
    expect((await anonymous.post('/api/mcp/tokens', { name: 'x' })).status).toBe(401);
  });
});
