import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One OpenAI chat-completions message as the provider sends it. */
export interface ChatCompletionMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content?: string | null | Array<{ type: string; text?: string }>;
  tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
}

export interface ChatCompletionRequest {
  model: string;
  messages: ChatCompletionMessage[];
  tools?: Array<{ type: 'function'; function: { name: string; description?: string; parameters: unknown } }>;
  tool_choice?: unknown;
  stream?: boolean;
}

/** What the scripted model says next: words, tool calls, or an HTTP failure. */
export type ScriptedReply =
  | { text: string; toolCalls?: undefined; status?: undefined }
  | { toolCalls: Array<{ name: string; args: unknown }>; text?: string; status?: undefined }
  | { status: number; text?: undefined; toolCalls?: undefined };

export type Script = (request: ChatCompletionRequest) => ScriptedReply;

export interface ScriptedModelServer {
  /** Base URL for SCOUT_MODEL_BASE_URL (…/v1). */
  baseUrl: string;
  requests: ChatCompletionRequest[];
  setScript(script: Script): void;
  /** Milliseconds between streamed chunks (lets a test press Stop mid-answer). */
  setChunkDelay(ms: number): void;
  close(): Promise<void>;
}

/** The results of the tool calls since the last user message, oldest first, parsed from the tool messages. */
export function toolResults(request: ChatCompletionRequest): Array<{ name: string; output: unknown }> {
  const lastUser = request.messages.map((m) => m.role).lastIndexOf('user');
  const names = new Map<string, string>();
  const results: Array<{ name: string; output: unknown }> = [];
  for (const message of request.messages.slice(lastUser + 1)) {
    for (const call of message.tool_calls ?? []) names.set(call.id, call.function.name);
    if (message.role === 'tool' && message.tool_call_id) {
      const text = typeof message.content === 'string' ? message.content : (message.content ?? []).map((p) => p.text ?? '').join('');
      let output: unknown = text;
      try {
        output = JSON.parse(text);
      } catch {
        // Plain text output.
      }
      results.push({ name: names.get(message.tool_call_id) ?? 'unknown', output });
    }
  }
  return results;
}

/** The text of the last user message. */
export function lastQuestion(request: ChatCompletionRequest): string {
  const message = [...request.messages].reverse().find((m) => m.role === 'user');
  if (!message) return '';
  return typeof message.content === 'string' ? message.content : (message.content ?? []).map((p) => p.text ?? '').join('');
}

/**
 * An analyst in three steps, enough to exercise the agent end to end: list the
 * tables, count the cases with SQL, answer with the number the query returned.
 */
export const analystScript: Script = (request) => {
  const results = toolResults(request);
  const last = results.at(-1);
  if (!last) return { toolCalls: [{ name: 'list_tables', args: {} }] };
  if (last.name === 'list_tables') return { toolCalls: [{ name: 'query', args: { sql: 'SELECT case_type, count(*) AS cases FROM cases GROUP BY case_type ORDER BY case_type' } }] };
  const envelope = last.output as { success: boolean; data?: { rows: unknown[][] }; error?: { message: string } };
  if (!envelope.success) return { text: `The query failed: ${envelope.error?.message ?? 'unknown error'}` };
  const rows = envelope.data?.rows ?? [];
  const total = rows.reduce((sum, row) => sum + Number(row[1]), 0);
  return { text: `There are **${total} cases** in all: ${rows.map((row) => `${String(row[0])} ${String(row[1])}`).join(', ')}.` };
};

/** The SQL and chart the charting analyst asks `visualize` for. */
export const CHART_REQUEST = {
  sql: 'SELECT case_type, count(*) AS cases FROM cases GROUP BY case_type ORDER BY cases DESC',
  chart: { kind: 'bar', x: 'case_type', y: 'cases', title: 'Cases by type' },
} as const;

/**
 * An analyst who answers with a chart: one `visualize` call (a bar chart of
 * cases per type), then a sentence naming the biggest type from the rows it got.
 */
export const chartAnalystScript: Script = (request) => {
  const last = toolResults(request).at(-1);
  if (!last) return { toolCalls: [{ name: 'visualize', args: CHART_REQUEST }] };
  const envelope = last.output as { success: boolean; data?: { rows: unknown[][] }; error?: { message: string } };
  if (!envelope.success) return { text: `The chart failed: ${envelope.error?.message ?? 'unknown error'}` };
  const [top] = envelope.data?.rows ?? [];
  return { text: top ? `Here is the chart. **${String(top[0])}** is the biggest type, with ${String(top[1])} cases.` : 'There are no cases to chart.' };
};

/**
 * A small OpenAI-compatible chat-completions server on loopback, streaming
 * exactly what its script says. The agent's one stand-in model that speaks
 * over the wire, so the provider wiring, streaming and tool calling are real.
 */
export async function startScriptedModel(script: Script = analystScript): Promise<ScriptedModelServer> {
  let current = script;
  let delay = 0;
  const requests: ChatCompletionRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    const request = JSON.parse(await readBody(req)) as ChatCompletionRequest;
    requests.push(request);
    const reply = current(request);
    if (reply.status) {
      res.writeHead(reply.status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { message: `scripted failure ${reply.status}`, type: 'scripted' } }));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    const id = `chatcmpl-${requests.length}`;
    const chunk = (delta: unknown, finish: string | null = null, extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1_700_000_000, model: request.model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
    const send = async (data: string) => {
      if (res.destroyed) return;
      res.write(data);
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    };
    await send(chunk({ role: 'assistant', content: '' }));
    if (reply.text) {
      for (const word of reply.text.match(/\S+\s*/g) ?? []) await send(chunk({ content: word }));
    }
    for (const [index, call] of (reply.toolCalls ?? []).entries()) {
      await send(chunk({ tool_calls: [{ index, id: `call_${requests.length}_${index}`, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } }] }));
    }
    await send(chunk({}, reply.toolCalls?.length ? 'tool_calls' : 'stop'));
    await send(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1_700_000_000, model: request.model, choices: [], usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 } })}\n\n`);
    await send('data: [DONE]\n\n');
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    setScript: (next) => {
      current = next;
    },
    setChunkDelay: (ms) => {
      delay = ms;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
