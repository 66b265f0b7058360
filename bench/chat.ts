/**
 * npm run bench:chat [-- --quick]
 *
 * What the chat agent's machinery costs per answer: one question answered by
 * a scripted OpenAI-compatible model on loopback (list_tables → query →
 * answer: three model calls, two tool calls, the thread stored), timed over
 * HTTP from request to the last byte and to the first streamed byte; against
 * the baseline of calling the same two tools directly over REST, side by side
 * in this process. 200 questions (--quick: 30), each in a new thread. The
 * scripted model answers instantly, so the figures are Scout's own overhead,
 * not a real model's thinking time.
 */
import { progressBar } from '../src/server/platform/progress-bar';
import { analystScript, startScriptedModel } from '../test/support/scripted-model';
import { startDemoScout } from './support/demo-scout';

const quick = process.argv.includes('--quick');
const QUESTIONS = quick ? 30 : 200;
const SQL = 'SELECT case_type, count(*) AS cases FROM cases GROUP BY case_type ORDER BY case_type';

interface Timing {
  p50: number;
  p99: number;
}

function percentiles(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: sorted[Math.floor(sorted.length * 0.5)]!, p99: sorted[Math.floor(sorted.length * 0.99)]! };
}

const llm = await startScriptedModel(analystScript);
const { client, membershipId, stop } = await startDemoScout('chat', {
  SCOUT_MODEL: 'openai-compatible:scripted-analyst',
  SCOUT_MODEL_BASE_URL: llm.baseUrl,
  SCOUT_CHAT_REQUESTS_PER_MINUTE: '100000',
});
try {
  const ask = async (): Promise<{ total: number; firstByte: number }> => {
    const threadId = crypto.randomUUID();
    const started = performance.now();
    const response = await client.post('/api/chat', {
      id: threadId,
      messages: [{ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: 'How many cases are there of each type?' }] }],
      data: { tenantId: membershipId, threadId },
    });
    const reader = response.body!.getReader();
    let firstByte = 0;
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!firstByte) firstByte = performance.now() - started;
      text += new TextDecoder().decode(value);
    }
    if (text.split('"type":"tool-output-available"').length !== 3 || !text.includes('"type":"finish"') || text.includes('"type":"error"')) {
      throw new Error(`unexpected answer: ${text.slice(-500)}`);
    }
    return { total: performance.now() - started, firstByte };
  };
  const tools = async (): Promise<number> => {
    const started = performance.now();
    for (const [tool, args] of [['list_tables', {}], ['query', { sql: SQL }]] as const) {
      const envelope = (await (await client.post(`/api/tenants/${membershipId}/tools/${tool}`, args)).json()) as { success: boolean };
      if (!envelope.success) throw new Error(`${tool} failed`);
    }
    return performance.now() - started;
  };

  // Warm both paths up, then alternate them so both see the same machine state.
  for (let i = 0; i < 5; i++) {
    await ask();
    await tools();
  }
  const chatTotals: number[] = [];
  const chatFirstBytes: number[] = [];
  const baseline: number[] = [];
  const bar = progressBar('questions'.padEnd(12));
  for (let i = 0; i < QUESTIONS; i++) {
    const answer = await ask();
    chatTotals.push(answer.total);
    chatFirstBytes.push(answer.firstByte);
    baseline.push(await tools());
    if (i % 5 === 0) bar.update(i, QUESTIONS);
  }
  bar.update(QUESTIONS, QUESTIONS);
  bar.done();

  const chat = percentiles(chatTotals);
  const first = percentiles(chatFirstBytes);
  const direct = percentiles(baseline);
  const ms = (n: number) => n.toFixed(1);
  console.log(`${QUESTIONS} questions (3 model calls, 2 tool calls each): chat answer p50 ${ms(chat.p50)} ms p99 ${ms(chat.p99)} ms, first byte p50 ${ms(first.p50)} ms`);
  console.log(`baseline, the same 2 tools over REST: p50 ${ms(direct.p50)} ms p99 ${ms(direct.p99)} ms; agent overhead p50 ${ms(chat.p50 - direct.p50)} ms (${ms((chat.p50 - direct.p50) / 3)} ms per model step)`);
  console.log(
    `RESULT questions=${QUESTIONS} chat_p50_ms=${ms(chat.p50)} chat_p99_ms=${ms(chat.p99)} first_byte_p50_ms=${ms(first.p50)} baseline_tools_p50_ms=${ms(direct.p50)} overhead_p50_ms=${ms(chat.p50 - direct.p50)} ratio=${(chat.p50 / direct.p50).toFixed(2)}`,
  );
} finally {
  await stop();
  await llm.close();
}
