import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError, type CallToolResult, type TextResourceContents } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedMcpToken } from '../../../shared/mcp';
import type { Question } from '../../../shared/questions';
import { starterQuestions } from '../../../shared/starter-questions';
import type { ToolSuccess } from '../../../shared/tools';
import type { WarehouseTable } from '../../../shared/warehouse';
import { connectDomain, syncDomain } from '../../../../test/support/runs';
import { HttpClient, startScoutWithSimulator, type SimulatedScout } from '../../../../test/support/scout';
import { QUESTIONS_LISTED } from './resources';
import { RESOURCE_NOT_FOUND } from './rpc-error';

const RATE_LIMIT = 40;
let scout: SimulatedScout;
let owner: HttpClient;
/** The owner's synced domain, demo-clinic, and their never-synced other-project. */
let clinic: string;
let other: string;
let question: Question;
let mcp: Client;



/** An MCP client with a token of its own: each token has its own budget of requests a minute. */
async function mcpClient(membershipId: string, name = 'Resources client'): Promise<Client> {
  const response = await owner.post('/api/mcp/tokens', { name });
  expect(response.status).toBe(201);
  const { token } = (await response.json()) as CreatedMcpToken;
  const client = new Client({ name: 'scout-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${scout.baseUrl}/mcp/${membershipId}`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
  await client.connect(transport);
  return client;
}

/** The JSON-RPC error a request answered with (the SDK client throws it as an McpError). */
async function rpcError(request: Promise<unknown>): Promise<McpError> {
  const error = await request.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(McpError);
  return error as McpError;
}

async function readText(client: Client, uri: string): Promise<string> {
  const { contents } = await client.readResource({ uri });
  expect(contents).toHaveLength(1);
  expect(contents[0]).toMatchObject({ uri, mimeType: 'text/markdown' });
  return (contents[0] as TextResourceContents).text;
}

beforeAll(async () => {
  scout = await startScoutWithSimulator({ seed: 43, domains: ['demo-clinic', 'other-project'], cases: 40, formsPerCase: 1 }, { app: { mcpToolCallsPerMinute: RATE_LIMIT }, worker: true });
  owner = new HttpClient(scout.baseUrl);
  await owner.post('/api/auth/sign-up/email', { name: 'Resource Reader', email: `resources-${Math.random().toString(36).slice(2)}@example.org`, password: 'resource-reader-1' });
  clinic = await connectDomain(owner, 'demo-clinic');
  other = await connectDomain(owner, 'other-project');
  await syncDomain(owner, clinic);
  const created = await owner.post(`/api/tenants/${clinic}/questions`, {
    title: 'Cases opened since | a date',
    description: 'Counts the cases of each type opened since a date.',
    sql: 'SELECT case_type, count(*)::int AS cases FROM cases WHERE date_opened >= {{since}} GROUP BY case_type',
    parameters: [{ name: 'since', type: 'date', label: 'Opened since', default: '2020-01-01' }],
  });
  expect(created.status).toBe(201);
  question = (await created.json()) as Question;
  mcp = await mcpClient(clinic);
});
afterAll(async () => {
  await mcp?.close();
  await scout?.stop();
});

describe('MCP tool annotations', () => {
  it('marks the reading tools read-only and the writing ones as writes, none destructive or open-world', async () => {
    const { tools } = await mcp.listTools();
    const annotations = (name: string) => tools.find((tool) => tool.name === name)?.annotations;
    expect(annotations('query')).toEqual({ title: 'Run a read-only SQL query', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false });
    expect(annotations('save_question')).toEqual({ title: 'Save a question', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false });
    expect(annotations('draft_publication')).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: false });
    expect(annotations('run_materialization')).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: true });
    const readOnly = ['list_tables', 'describe_table', 'get_metadata', 'query', 'visualize', 'get_materialization_status', 'list_questions', 'run_question', 'search_knowledge'];
    for (const tool of tools) {
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(readOnly.includes(tool.name));
      expect(tool.annotations?.openWorldHint, tool.name).toBe(false);
      expect(tool.annotations?.title, tool.name).toBeTruthy();
      expect(tool.title, tool.name).toBe(tool.annotations?.title);
    }
  });
});

describe('MCP resources', () => {
  it('lists every table and view of the synced domain and its saved questions, as Markdown', async () => {
    const { resources } = await mcp.listResources();
    const tables = (await mcp.callTool({ name: 'list_tables', arguments: {} })) as CallToolResult;
    const names = (JSON.parse((tables.content[0] as { text: string }).text) as ToolSuccess<Array<{ name: string }>>).data.map((t) => t.name);
    expect(names).toContain('cases');
    expect(names.some((name) => name.startsWith('case_'))).toBe(true);
    const tableUris = resources.filter((r) => r.uri.includes('/tables/')).map((r) => r.uri);
    expect(tableUris.sort()).toEqual(names.map((name) => `scout://demo-clinic/tables/${name}`).sort());
    expect(resources.find((r) => r.uri === 'scout://demo-clinic/tables/cases')).toMatchObject({ name: 'cases', mimeType: 'text/markdown', description: expect.stringContaining('(40 rows)') });
    expect(resources.find((r) => r.uri === `scout://demo-clinic/questions/${question.id}`)).toMatchObject({
      name: 'Cases opened since | a date',
      description: 'Counts the cases of each type opened since a date.',
      mimeType: 'text/markdown',
      annotations: { lastModified: question.updated_at },
    });
  });

  it("reads a table's data dictionary: its row count and columns with their types", async () => {
    const text = await readText(mcp, 'scout://demo-clinic/tables/cases');
    expect(text).toMatch(/^# cases \(table\)\n/);
    expect(text).toContain('40 rows');
    expect(text).toMatch(/^\| case_id \| text \| /m);
    expect(text).toMatch(/^\| date_opened \| timestamp with time zone \| /m);
    const caseView = (await mcp.listResources()).resources.find((r) => r.title?.startsWith('View case_'))!;
    const view = await readText(mcp, caseView.uri);
    expect(view.startsWith(`# ${caseView.name} (view)\n`)).toBe(true);
    expect(view).toMatch(/^\| case_id \| text \| /m);
  });

  it('reads a saved question: its SQL and parameters, with the Markdown table intact', async () => {
    const text = await readText(mcp, `scout://demo-clinic/questions/${question.id}`);
    expect(text).toMatch(/^# Cases opened since \| a date\n/);
    expect(text).toContain('```sql\nSELECT case_type, count(*)::int AS cases FROM cases WHERE date_opened >= {{since}} GROUP BY case_type\n```');
    expect(text).toContain('| since | date | Opened since | 2020-01-01 |  |');
    expect(text).toContain(`"id": "${question.id}"`);
  });

  it("answers another domain's URI, a missing table or question and a garbage URI with JSON-RPC errors", async () => {
    // The owner is a member of other-project too: this connection still serves only demo-clinic.
    expect((await rpcError(mcp.readResource({ uri: 'scout://other-project/tables/cases' }))).code).toBe(RESOURCE_NOT_FOUND);
    const missing = await rpcError(mcp.readResource({ uri: 'scout://demo-clinic/tables/casez' }));
    expect(missing.code).toBe(RESOURCE_NOT_FOUND);
    expect(missing.message).toContain("did you mean 'cases'");
    expect((await rpcError(mcp.readResource({ uri: 'scout://demo-clinic/questions/00000000-0000-4000-8000-000000000000' }))).code).toBe(RESOURCE_NOT_FOUND);
    expect((await rpcError(mcp.readResource({ uri: 'scout://demo-clinic/questions/not-a-uuid' }))).code).toBe(RESOURCE_NOT_FOUND);
    for (const uri of ['not a uri', 'https://example.com/tables/cases', 'scout://demo-clinic/dashboards/1', 'scout://demo-clinic/tables/%E0%A4%A', `scout://demo-clinic/tables/${'x'.repeat(600)}`]) {
      const error = await rpcError(mcp.readResource({ uri }));
      expect(error.code, uri).toBe(ErrorCode.InvalidParams);
      expect(error.data, uri).toEqual({ code: 'VALIDATION_ERROR' });
    }
  });

  it("does not serve another domain's question under this domain's URI", async () => {
    const [theirs] = await scout.database.db
      .insertInto('question')
      .values({ tenant_id: await tenantOf(other), title: 'Theirs', sql: 'SELECT 1', parameters: JSON.stringify([]) })
      .returning('id')
      .execute();
    expect((await rpcError(mcp.readResource({ uri: `scout://demo-clinic/questions/${theirs!.id}` }))).code).toBe(RESOURCE_NOT_FOUND);
    expect((await mcp.listResources()).resources.some((r) => r.uri.endsWith(theirs!.id))).toBe(false);
  });

  it('lists the two URI templates of the domain', async () => {
    const { resourceTemplates } = await mcp.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(['scout://demo-clinic/tables/{table}', 'scout://demo-clinic/questions/{id}']);
  });

  it('lists only the questions of a domain not synced yet, at most the cap, and says there are more', async () => {
    const tenantId = await tenantOf(other);
    const extra = Array.from({ length: QUESTIONS_LISTED + 5 }, (_, i) => ({ tenant_id: tenantId, title: `Question ${i}`, sql: 'SELECT 1', parameters: JSON.stringify([]) }));
    await scout.database.db.insertInto('question').values(extra).execute();
    const client = await mcpClient(other, 'Unsynced client');
    const listed = await client.listResources();
    expect(listed.resources).toHaveLength(QUESTIONS_LISTED);
    expect(listed.resources.every((r) => r.uri.startsWith('scout://other-project/questions/'))).toBe(true);
    expect(listed._meta).toMatchObject({ questions_truncated: true, note: expect.stringContaining('list_questions') });
    // Without data, its tables are absent rather than broken.
    expect((await rpcError(client.readResource({ uri: 'scout://other-project/tables/cases' }))).code).toBe(RESOURCE_NOT_FOUND);
    expect((await client.listPrompts()).prompts).toEqual([]);
    await client.close();
  });

  it('counts resource reads against the per-token limit, like tool calls', async () => {
    const client = await mcpClient(clinic, 'Busy resources client');
    // The limit lets one more call in every minute/limit seconds, so a slow machine may serve a few more than the burst.
    let served = 0;
    let refused: McpError | undefined;
    while (!refused && served < RATE_LIMIT * 3) {
      try {
        await client.readResource({ uri: 'scout://demo-clinic/tables/cases' });
        served++;
      } catch (error) {
        refused = error as McpError;
      }
    }
    expect(served).toBeGreaterThanOrEqual(RATE_LIMIT);
    expect(refused).toBeInstanceOf(McpError);
    expect(refused!.data).toEqual({ code: 'RATE_LIMITED' });
    expect(refused!.message).toMatch(/Wait \d+ s/);
    await client.close();
  });
});

describe('MCP prompts', () => {
  it("offers the domain's starter questions, the same the chat offers, and gets each as a user message", async () => {
    const metadata = (await mcp.callTool({ name: 'get_metadata', arguments: {} })) as CallToolResult;
    const { tables } = (JSON.parse((metadata.content[0] as { text: string }).text) as ToolSuccess<{ tables: WarehouseTable[] }>).data;
    const expected = starterQuestions(tables);
    expect(expected.length).toBeGreaterThan(0);

    const { prompts } = await mcp.listPrompts();
    expect(prompts.map((p) => p.title)).toEqual(expected);
    expect(new Set(prompts.map((p) => p.name)).size).toBe(prompts.length);
    for (const prompt of prompts) {
      expect(prompt.name).toMatch(/^[\p{L}\p{N}]+(-[\p{L}\p{N}]+)*$/u);
      expect(prompt.arguments ?? []).toEqual([]);
      const got = await mcp.getPrompt({ name: prompt.name });
      expect(got.messages).toEqual([{ role: 'user', content: { type: 'text', text: prompt.title } }]);
    }
  });

  it('answers an unknown prompt name with a JSON-RPC error', async () => {
    const error = await rpcError(mcp.getPrompt({ name: 'how-many-unicorns' }));
    expect(error.code).toBe(ErrorCode.InvalidParams);
    expect(error.message).toContain('prompts/list');
  });
});

async function tenantOf(membershipId: string): Promise<string> {
  const row = await scout.database.db.selectFrom('tenant_membership').select('tenant_id').where('id', '=', membershipId).executeTakeFirstOrThrow();
  return row.tenant_id;
}
