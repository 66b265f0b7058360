import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolCallEntry } from '../../../shared/tools';
import { ScriptedMockModel } from '../../features/chat/test-support';
import { connectedMember, type Member } from '../../../../test/support/members';
import { startScoutWithSimulator, type SimulatedScout } from '../../../../test/support/scout';

/**
 * Input an attacker sends on purpose: NUL bytes, unpaired surrogates, JSON
 * nested thousands deep, patterns that backtrack. Each must be a 400 with a
 * field message, never a 500, and nothing half-written.
 */
let scout: SimulatedScout;
let owner: Member;
const mock = new ScriptedMockModel();

const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

async function expect400(response: Response, field: string, message: RegExp = /NUL character/) {
  const body = (await response.json()) as { code: string; fields?: Record<string, string[]> };
  expect({ status: response.status, code: body.code }).toEqual({ status: 400, code: 'VALIDATION_ERROR' });
  expect(body.fields?.[field]?.join(' ')).toMatch(message);
}

beforeAll(async () => {
  scout = await startScoutWithSimulator({ seed: 7, domains: ['demo-clinic'], cases: 20, formsPerCase: 1 }, { app: { chatModel: mock.chatModel }, worker: true });
  owner = await connectedMember(scout.baseUrl, 'demo-clinic', { sync: true });
});
afterAll(async () => {
  await scout?.stop();
});

describe('hostile input', () => {
  it('answers a credential built to make the old pattern backtrack with a plain 400', async () => {
    for (const credential of ['x'.repeat(30), '😀'.repeat(60), `${'a '.repeat(5_000)}`, `${'x'.repeat(10_000)}:`]) {
      const response = await owner.client.post('/api/auth/tenant-credentials/', { provider: 'commcare', tenant_id: 'demo-clinic', credential });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { fields: Record<string, string[]> }).fields.credential).toHaveLength(1);
      const patch = await owner.client.request('PATCH', `/api/auth/tenant-credentials/${owner.membershipId}/`, { credential });
      expect(patch.status).toBe(400);
    }
    expect((await owner.client.get('/healthz')).status).toBe(200);
  });

  it('refuses a NUL or an unpaired surrogate in every stored name with a field message', async () => {
    await expect400(await owner.client.request('PATCH', `/api/auth/tenant-credentials/${owner.membershipId}/`, { tenant_name: 'Clinic\u0000' }), 'tenant_name');
    await expect400(await owner.client.request('PATCH', `/api/auth/tenant-credentials/${owner.membershipId}/`, { tenant_name: 'Clinic \ud800' }), 'tenant_name', /unpaired surrogate/);
    await expect400(await owner.client.post('/api/mcp/tokens', { name: 'laptop\u0000' }), 'name');
    const connector = { catalog_key: 'wordpress', name: 'Blog\u0000', config: { base_url: 'https://blog.example.org' } };
    await expect400(await owner.client.post(`/api/tenants/${owner.membershipId}/connectors`, connector), 'name');
    await expect400(await owner.client.post(`/api/tenants/${owner.membershipId}/connectors`, { ...connector, name: 'Blog', config: { 'base\u0000url': 'x' } }), 'config.base\u0000url', /name must not contain/);

    const created = await owner.client.post(`/api/tenants/${owner.membershipId}/connectors`, { ...connector, name: 'Blog' });
    expect(created.status).toBe(201);
    const connectorId = ((await created.json()) as { id: string }).id;
    await expect400(await owner.client.request('PATCH', `/api/tenants/${owner.membershipId}/connectors/${connectorId}`, { name: 'Blog\u0000' }), 'name');

    mock.script = () => ({ text: 'Hello.' });
    const threadId = crypto.randomUUID();
    const asked = await owner.client.post('/api/chat', { id: threadId, messages: [{ id: 'q1', role: 'user', parts: [{ type: 'text', text: 'hello' }] }], data: { tenantId: owner.membershipId, threadId } });
    expect(asked.status).toBe(200);
    await asked.text();
    await expect400(await owner.client.request('PATCH', `/api/tenants/${owner.membershipId}/threads/${threadId}`, { title: 'Plan\u0000' }), 'title');
    await expect400(await owner.client.post('/api/chat', { id: threadId, messages: [{ id: 'q2', role: 'user', parts: [{ type: 'text', text: 'hi\u0000' }] }], data: { tenantId: owner.membershipId, threadId } }), 'messages.0.parts.0.text');
    await expect400(await owner.client.get(`/api/tenants/${owner.membershipId}/connectors?search=a%00b`), 'search');

    // Nothing was half-written: the names are as they were.
    const domains = (await (await owner.client.get('/api/auth/tenant-credentials/')).json()) as Array<{ tenant_name: string }>;
    expect(domains.map((d) => d.tenant_name)).toEqual(['demo-clinic']);
    const tokens = (await (await owner.client.get('/api/mcp/tokens')).json()) as unknown[];
    expect(tokens).toEqual([]);
    const connectors = (await (await owner.client.get(`/api/tenants/${owner.membershipId}/connectors`)).json()) as Array<{ name: string }>;
    expect(connectors.map((c) => c.name)).toEqual(['Blog']);
  });

  it('refuses JSON nested thousands deep on the tool routes and MCP with a 400', async () => {
    for (const tool of ['query', 'describe_table']) {
      const response = await owner.client.post(`/api/tenants/${owner.membershipId}/tools/${tool}`, `{"sql": ${deep(5_000)}, "table_name": ${deep(5_000)}}`);
      await expect400(response, '_', /nests deeper than 64 levels/);
    }
    await expect400(await owner.client.post('/api/mcp/tokens', `{"name": ${deep(100_000)}}`), '_', /nests deeper/);
    const token = ((await (await owner.client.post('/api/mcp/tokens', { name: 'deep' })).json()) as { token: string }).token;
    const rpc = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"query","arguments":${deep(5_000)}}}`;
    const mcp = await fetch(`${scout.baseUrl}/mcp/${owner.membershipId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: rpc,
    });
    expect(mcp.status).toBe(400);
    expect(((await mcp.json()) as { error: { message: string } }).error.message).toMatch(/nests deeper/);
  });

  it('refuses a tool call with a NUL in its arguments as a validation error, and still audits it', async () => {
    const response = await owner.client.post(`/api/tenants/${owner.membershipId}/tools/query`, { sql: 'SELECT 1\u0000; DROP TABLE cases' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ success: false, error: { code: 'VALIDATION_ERROR', message: 'Invalid arguments for query: sql: must not contain a NUL character' } });
    const log = (await (await owner.client.get(`/api/tenants/${owner.membershipId}/tool-calls`)).json()) as ToolCallEntry[];
    expect(log[0]).toMatchObject({ tool: 'query', status: 'error', error_code: 'VALIDATION_ERROR', arguments: { sql: 'SELECT 1\ufffd; DROP TABLE cases' } });
    expect(scout.logs.join('')).not.toContain('could not write the tool audit record');
  });
});
