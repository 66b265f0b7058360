import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectedMember, type Member } from '../../../../test/support/members';
import { analystScript, startScriptedModel, type ScriptedModelServer } from '../../../../test/support/scripted-model';
import { HttpClient, startScoutWithSimulator, startTestScout, type SimulatedScout, type TestScout } from '../../../../test/support/scout';
import type { ChatModelStatus, ChatThread } from '../../../shared/chat';
import { readUIChunks, streamedText } from './test-support';

/**
 * The agent with a real provider over the wire: SCOUT_MODEL=openai-compatible
 * pointed at a scripted chat-completions server on loopback, configured the
 * way an operator would (environment variables through Scout's start-up).
 */
let llm: ScriptedModelServer;
let scout: SimulatedScout;
let clinic: Member;

beforeAll(async () => {
  llm = await startScriptedModel();
  scout = await startScoutWithSimulator({ seed: 11, domains: ['demo-clinic'], cases: 90, formsPerCase: 1 }, { env: { SCOUT_MODEL: 'openai-compatible:scripted-analyst', SCOUT_MODEL_BASE_URL: llm.baseUrl, SCOUT_MODEL_API_KEY: 'sk-wire-test-key-0001' }, worker: true });
  clinic = await connectedMember(scout.baseUrl, 'demo-clinic');
});
afterAll(async () => {
  await scout?.stop();
  await llm?.close();
});

function ask(text: string, threadId = crypto.randomUUID()) {
  return clinic.client.post('/api/chat', { id: threadId, messages: [{ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] }], data: { tenantId: clinic.membershipId, threadId } });
}

describe('the chat agent over an OpenAI-compatible provider', () => {
  it('reports the configured model', async () => {
    expect(await (await clinic.client.get('/api/chat/model')).json()).toEqual({ configured: true, model: 'openai-compatible:scripted-analyst', help: null } satisfies ChatModelStatus);
  });

  it('streams tool calls and the answer, with the tools and prompt sent over the wire', async () => {
    llm.setScript(analystScript);
    const threadId = crypto.randomUUID();
    const chunks = await readUIChunks(await ask('How many cases are there of each type?', threadId));
    const calls = chunks.filter((c) => c.type === 'tool-input-available').map((c) => c.toolName);
    expect(calls).toEqual(['list_tables', 'query']);
    const answer = streamedText(chunks);
    expect(answer).toMatch(/^There are \*\*90 cases\*\* in all: /);

    const first = llm.requests.at(-3)!;
    expect(first.stream).toBe(true);
    expect(first.tools!.map((t) => t.function.name).sort()).toEqual([
      'describe_table',
      'draft_publication',
      'get_materialization_status',
      'get_metadata',
      'list_questions',
      'list_tables',
      'query',
      'run_materialization',
      'run_question',
      'save_question',
      'search_knowledge',
      'visualize',
    ]);
    expect(first.messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining('domain demo-clinic') });
    // The query result went back to the model as the tool envelope.
    const last = llm.requests.at(-1)!;
    const toolMessage = last.messages.filter((m) => m.role === 'tool').at(-1)!;
    expect(JSON.parse(toolMessage.content as string)).toMatchObject({ success: true, data: { columns: [{ name: 'case_type' }, { name: 'cases' }] } });

    const thread = (await (await clinic.client.get(`/api/tenants/${clinic.membershipId}/threads/${threadId}`)).json()) as ChatThread;
    expect(JSON.stringify(thread.messages[1])).toContain('90 cases');
  });

  it('turns provider failures into plain messages without the key', async () => {
    for (const [status, expected] of [
      [401, 'refused Scout’s API key'],
      [429, 'rate limiting Scout'],
      [503, 'having problems'],
    ] as const) {
      llm.setScript(() => ({ status }));
      const chunks = await readUIChunks(await ask('Anything?'));
      expect(chunks.find((c) => c.type === 'error')).toMatchObject({ errorText: expect.stringContaining(expected) });
    }
    expect(scout.logs.join('')).not.toContain('sk-wire-test-key-0001');
  }, 60_000);
});

describe('without a model', () => {
  let bare: TestScout;
  beforeAll(async () => {
    bare = await startTestScout({ env: { SCOUT_CHAT_REQUESTS_PER_MINUTE: '3' } });
  });
  afterAll(async () => {
    await bare?.stop();
  });

  it('says how to configure one, refuses to answer, and rate limits per user', async () => {
    const client = new HttpClient(bare.baseUrl);
    await client.post('/api/auth/sign-up/email', { name: 'No Model', email: 'no-model@example.org', password: 'no-model-pass-1' });
    const demo = await client.post('/api/auth/tenant-credentials/demo/');
    expect(demo.status).toBe(201);
    const { membership_id: tenantId } = (await demo.json()) as { membership_id: string };
    const status = (await (await client.get('/api/chat/model')).json()) as ChatModelStatus;
    expect(status).toMatchObject({ configured: false, model: null, help: expect.stringContaining('SCOUT_MODEL') });
    const body = { messages: [{ id: 'q', role: 'user', parts: [{ type: 'text', text: 'hi' }] }], data: { tenantId, threadId: crypto.randomUUID() } };
    for (let i = 0; i < 3; i++) {
      const refused = await client.post('/api/chat', body);
      expect(refused.status).toBe(503);
      expect(await refused.json()).toMatchObject({ code: 'MODEL_NOT_CONFIGURED', error: expect.stringContaining('SQL console') });
    }
    const limited = await client.post('/api/chat', body);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await limited.json()).toMatchObject({ code: 'RATE_LIMITED', error: expect.stringContaining('3 questions a minute') });
  });
});
