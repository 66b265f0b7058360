import type { RunningScout } from '../../main';
import type { EvalEnvironment, TokenUsage } from './environment';
import { GLOSSARY, type GlossaryTerm, type GoldenQuestion, type QuestionCategory } from './golden';
import { describeExpected, matchAnswer, type MatchResult } from './matcher';

/**
 * Asks each golden question of the real chat agent (over Scout's HTTP API,
 * each in a new thread, as a user would) and judges the answers.
 */

export interface KnowledgeContext {
  scout: RunningScout;
  userId: string;
  membershipId: string;
  /** The terms the golden questions use, with the definitions their answers follow. */
  glossary: GlossaryTerm[];
}

/**
 * Turns the knowledge layer (glossary, measures, verified queries) on and off
 * for the eval domain, so its gain is measured. `available: false` means
 * there is none: one pass is run and reported as both.
 */
export interface KnowledgeSwitch {
  readonly available: boolean;
  /** One line for the report: what was switched. */
  readonly description: string;
  enable(ctx: KnowledgeContext): Promise<void>;
  disable(ctx: KnowledgeContext): Promise<void>;
}

export const NO_KNOWLEDGE_LAYER: KnowledgeSwitch = {
  available: false,
  description: 'knowledge layer: not available yet (accuracy_without_knowledge equals accuracy)',
  enable: async () => undefined,
  disable: async () => undefined,
};

export interface ToolCallRecord {
  tool: string;
  success: boolean;
  /** The SQL of query, visualize and run-question calls. */
  sql?: string;
  error?: string;
}

export interface QuestionResult {
  id: string;
  category: QuestionCategory;
  question: string;
  expected: string;
  correct: boolean;
  match: MatchResult;
  answer: string;
  toolCalls: ToolCallRecord[];
  /** The SQL the agent ran, in order. */
  sql: string[];
  tokens: TokenUsage & { total: number };
  latencyMs: number;
  /** The stream's error, when the answer failed. */
  error?: string;
}

export interface PassResult {
  knowledge: boolean;
  results: QuestionResult[];
  correct: number;
  accuracy: number;
}

export interface EvalReport {
  model: string;
  knowledge: string;
  knowledgeAvailable: boolean;
  questions: number;
  withKnowledge: PassResult;
  withoutKnowledge: PassResult;
  p50LatencyMs: number;
  tokensPerQuestion: number;
}

export interface RunEvalOptions {
  env: EvalEnvironment;
  questions: GoldenQuestion[];
  knowledge?: KnowledgeSwitch;
  /** Called after each answer: done so far of the total across passes. */
  onProgress?: (done: number, total: number) => void;
}

export async function runEval({ env, questions, knowledge = NO_KNOWLEDGE_LAYER, onProgress }: RunEvalOptions): Promise<EvalReport> {
  const ctx: KnowledgeContext = { scout: env.scout, userId: env.userId, membershipId: env.membershipId, glossary: Object.values(GLOSSARY) };
  const total = questions.length * (knowledge.available ? 2 : 1);
  let done = 0;
  const pass = async (enabled: boolean): Promise<PassResult> => {
    const results: QuestionResult[] = [];
    for (const question of questions) {
      results.push(await askQuestion(env, question));
      onProgress?.(++done, total);
    }
    const correct = results.filter((r) => r.correct).length;
    return { knowledge: enabled, results, correct, accuracy: results.length === 0 ? 0 : correct / results.length };
  };
  let withKnowledge: PassResult;
  let withoutKnowledge: PassResult;
  if (knowledge.available) {
    await knowledge.enable(ctx);
    withKnowledge = await pass(true);
    await knowledge.disable(ctx);
    withoutKnowledge = await pass(false);
  } else {
    withKnowledge = await pass(false);
    withoutKnowledge = withKnowledge;
  }
  const measured = withKnowledge.results;
  return {
    model: (await env.scout.services.chat.model)?.label ?? 'none',
    knowledge: knowledge.description,
    knowledgeAvailable: knowledge.available,
    questions: questions.length,
    withKnowledge,
    withoutKnowledge,
    p50LatencyMs: median(measured.map((r) => r.latencyMs)),
    tokensPerQuestion: measured.length === 0 ? 0 : measured.reduce((sum, r) => sum + r.tokens.total, 0) / measured.length,
  };
}

interface StreamChunk {
  type: string;
  [key: string]: unknown;
}

interface Envelope {
  success: boolean;
  data?: { rows?: unknown[][] };
  error?: { message?: string };
}

/** One question in a new thread: the answer's text, tool calls, last result rows, tokens and time. */
export async function askQuestion(env: EvalEnvironment, question: GoldenQuestion): Promise<QuestionResult> {
  env.usage.take();
  const threadId = crypto.randomUUID();
  const started = performance.now();
  const response = await fetch(`${env.baseUrl}/api/tenants/${env.membershipId}/chat`, {
    method: 'POST',
    headers: { origin: env.baseUrl, 'content-type': 'application/json', cookie: env.cookie },
    body: JSON.stringify({ id: threadId, trigger: 'submit-message', messages: [{ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: question.question }] }], data: { threadId } }),
  });
  const body = await response.text();
  const latencyMs = performance.now() - started;
  const usage = env.usage.take();
  const tokens = { ...usage, total: usage.input + usage.output };
  const base = { id: question.id, category: question.category, question: question.question, expected: describeExpected(question.expected), tokens, latencyMs };
  if (!response.ok) {
    const error = `the chat answered ${response.status}: ${body.slice(0, 300)}`;
    return { ...base, correct: false, match: { correct: false, source: 'none', found: '' }, answer: '', toolCalls: [], sql: [], error };
  }
  const chunks = body
    .split('\n')
    .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
    .map((line) => JSON.parse(line.slice(6)) as StreamChunk);

  const inputs = new Map<string, { tool: string; input: Record<string, unknown> }>();
  const toolCalls: ToolCallRecord[] = [];
  let rows: unknown[][] | null = null;
  let text = '';
  let error: string | undefined;
  for (const chunk of chunks) {
    if (chunk.type === 'text-delta') text += String(chunk.delta);
    // A new step's text replaces nothing: the answer is all the words the agent said.
    if (chunk.type === 'tool-input-available') inputs.set(String(chunk.toolCallId), { tool: String(chunk.toolName), input: (chunk.input ?? {}) as Record<string, unknown> });
    if (chunk.type === 'tool-output-available' || chunk.type === 'tool-output-error') {
      const call = inputs.get(String(chunk.toolCallId));
      const envelope = (chunk.output ?? { success: false, error: { message: String(chunk.errorText ?? 'tool failed') } }) as Envelope;
      const sql = typeof call?.input.sql === 'string' ? call.input.sql : undefined;
      toolCalls.push({ tool: call?.tool ?? 'unknown', success: envelope.success, ...(sql ? { sql } : {}), ...(envelope.success ? {} : { error: envelope.error?.message ?? 'failed' }) });
      if (envelope.success && Array.isArray(envelope.data?.rows)) rows = envelope.data.rows;
    }
    if (chunk.type === 'error') error = String(chunk.errorText);
  }
  const match = matchAnswer(question.expected, { text, rows });
  return {
    ...base,
    correct: match.correct,
    match,
    answer: text.trim(),
    toolCalls,
    sql: toolCalls.flatMap((c) => (c.sql ? [c.sql] : [])),
    ...(error ? { error } : {}),
  };
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length * 0.5)]!;
}

/** The report for people: per question, then the summary, then the RESULT line last. */
export function formatReport(report: EvalReport): string {
  const lines: string[] = [`Scout eval: ${report.questions} golden questions, model ${report.model}`, report.knowledge, ''];
  const passes = report.knowledgeAvailable ? [report.withKnowledge, report.withoutKnowledge] : [report.withKnowledge];
  for (const pass of passes) {
    if (report.knowledgeAvailable) lines.push(`## ${pass.knowledge ? 'with' : 'without'} the knowledge layer`);
    for (const r of pass.results) {
      lines.push(`${r.correct ? 'PASS' : 'FAIL'} ${r.id} [${r.category}] ${r.question}`);
      lines.push(`     expected ${r.expected}; read ${r.match.found || '(nothing)'} from ${r.match.source}`);
      lines.push(`     tools ${r.toolCalls.map((c) => `${c.tool}${c.success ? '' : '(failed)'}`).join(', ') || '(none)'}; tokens ${r.tokens.total} (${r.tokens.input} in, ${r.tokens.output} out, ${r.tokens.modelCalls} model calls); ${Math.round(r.latencyMs)} ms`);
      for (const sql of r.sql) lines.push(`     sql: ${sql.replace(/\s+/g, ' ')}`);
      if (r.error) lines.push(`     error: ${r.error}`);
      if (!r.correct) lines.push(`     answer: ${r.answer.replace(/\s+/g, ' ').slice(0, 300) || '(no text)'}`);
    }
    lines.push('');
  }
  const byCategory = new Map<string, { correct: number; total: number }>();
  for (const r of report.withKnowledge.results) {
    const c = byCategory.get(r.category) ?? { correct: 0, total: 0 };
    c.total++;
    if (r.correct) c.correct++;
    byCategory.set(r.category, c);
  }
  lines.push(`by category: ${[...byCategory].map(([name, c]) => `${name} ${c.correct}/${c.total}`).join(', ')}`);
  lines.push(
    `accuracy ${pct(report.withKnowledge.accuracy)}${report.knowledgeAvailable ? ` with the knowledge layer, ${pct(report.withoutKnowledge.accuracy)} without (gain ${pct(report.withKnowledge.accuracy - report.withoutKnowledge.accuracy)})` : ''}; p50 latency ${Math.round(report.p50LatencyMs)} ms; ${Math.round(report.tokensPerQuestion)} tokens per question`,
  );
  lines.push(resultLine(report));
  return lines.join('\n');
}

export function resultLine(report: EvalReport): string {
  return [
    'RESULT',
    `questions=${report.questions}`,
    `correct=${report.withKnowledge.correct}`,
    `accuracy=${report.withKnowledge.accuracy.toFixed(3)}`,
    `accuracy_without_knowledge=${report.withoutKnowledge.accuracy.toFixed(3)}`,
    `p50_latency_ms=${Math.round(report.p50LatencyMs)}`,
    `tokens_per_question=${Math.round(report.tokensPerQuestion)}`,
    `knowledge=${report.knowledgeAvailable ? 'measured' : 'not_available'}`,
    `model=${report.model}`,
  ].join(' ');
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
