import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';
import { runScout } from '../../../../test/support/process';
import { NO_EVAL_MODEL_HELP, runEvalCommand } from './command';
import { startEvalEnvironment, type EvalEnvironment } from './environment';
import { goldenQuestions, QUICK_QUESTION_IDS, type EvalDomain } from './golden';
import { formatReport, resultLine, runEval } from './runner';
import { flagKnowledgeSwitch, scriptedEvalModel, SCRIPTED_GLOSSARY, SCRIPTED_RIGHT, SCRIPTED_WRONG } from './test-support';

/**
 * The eval harness end to end: a real Scout and simulator, the golden set's
 * ground truth from the generator, and the AI SDK's mock model scripted to
 * answer some questions right and some wrong, so the report can be checked
 * question by question.
 */
const DOMAIN: EvalDomain = { seed: 11, domain: 'eval-clinic', cases: 240, formsPerCase: 2 };
const logger = pino({ level: 'silent' });
const questions = goldenQuestions(DOMAIN);
const knowledge = { enabled: false };
const mock = scriptedEvalModel(questions, knowledge);
let database: TestDatabase;
let env: EvalEnvironment;

beforeAll(async () => {
  database = await createTestDatabase();
  env = await startEvalEnvironment({ model: mock.chatModel, domain: DOMAIN, logger, databaseUrl: database.url });
});
afterAll(async () => {
  await env?.stop();
  await database?.drop();
});

/** Tokens the scripted model reports: 10 in and 5 out per model call; a query answer takes two calls. */
const tokensFor = (ids: string[]) => ids.map((id) => ([...SCRIPTED_RIGHT, 'households-open', ...SCRIPTED_GLOSSARY].includes(id) ? 30 : 15));

describe('the golden question set', () => {
  it('has at least 40 questions across every kind, glossary terms defined', () => {
    expect(questions.length).toBeGreaterThanOrEqual(40);
    expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length);
    for (const category of ['counting', 'filtering', 'grouping', 'time', 'relationships', 'glossary']) {
      expect(questions.filter((q) => q.category === category).length, category).toBeGreaterThanOrEqual(5);
    }
    expect(questions.filter((q) => q.category === 'glossary').every((q) => q.glossary?.definition)).toBe(true);
    expect(QUICK_QUESTION_IDS.every((id) => questions.some((q) => q.id === id))).toBe(true);
  });
});

describe('scout eval with a scripted model', () => {
  it('judges each answer, records its SQL, tool calls and tokens, and sums them up in the RESULT line', async () => {
    const report = await runEval({ env, questions });
    const byId = new Map(report.withKnowledge.results.map((r) => [r.id, r]));
    expect(report.withKnowledge.results.filter((r) => r.correct).map((r) => r.id).sort()).toEqual([...SCRIPTED_RIGHT].sort());
    // Right answers agree with the generator: the synced warehouse holds what the simulator generated.
    expect(byId.get('cases-total')).toMatchObject({ correct: true, match: { source: 'text', found: '240' }, sql: ['SELECT count(*)::int AS n FROM cases'], toolCalls: [{ tool: 'query', success: true }] });
    expect(byId.get('households-per-village')).toMatchObject({ correct: true, match: { source: 'rows' } });
    // The deliberate mistakes are caught.
    for (const id of SCRIPTED_WRONG) expect(byId.get(id)!.correct, id).toBe(false);
    expect(byId.get('households-open')!.sql).toEqual(["SELECT count(*)::int AS n FROM cases WHERE case_type = 'household' AND closed"]);
    expect(byId.get('forms-total')).toMatchObject({ correct: false, toolCalls: [], match: { found: '5' } });
    expect(byId.get('anc-visits')).toMatchObject({ correct: false, sql: ["SELECT count(*)::int AS n FROM cases WHERE case_type = 'visit'"] });
    expect(byId.get('visits-total')!.tokens).toEqual({ input: 10, output: 5, modelCalls: 1, total: 15 });
    expect(byId.get('cases-total')!.tokens).toEqual({ input: 20, output: 10, modelCalls: 2, total: 30 });
    expect(report.withKnowledge.results.every((r) => r.latencyMs > 0)).toBe(true);

    const tokens = tokensFor(questions.map((q) => q.id));
    const mean = tokens.reduce((a, b) => a + b, 0) / tokens.length;
    const accuracy = (SCRIPTED_RIGHT.length / questions.length).toFixed(3);
    const line = resultLine(report);
    expect(line.startsWith('RESULT ')).toBe(true);
    const fields = resultFields(line);
    expect(fields).toEqual({
      questions: String(questions.length),
      correct: String(SCRIPTED_RIGHT.length),
      accuracy,
      accuracy_without_knowledge: accuracy,
      p50_latency_ms: fields.p50_latency_ms,
      tokens_per_question: String(Math.round(mean)),
      knowledge: 'not_available',
      model: 'mock:scripted',
    });
    expect(Number.isInteger(Number(fields.p50_latency_ms))).toBe(true);
    const printed = formatReport(report);
    expect(printed).toContain('knowledge layer: not available yet');
    expect(printed).toContain("FAIL households-open [counting] How many household cases are open?");
    expect(printed).toContain('sql: SELECT count(*)::int AS n FROM cases WHERE case_type = \'household\' AND closed');
    expect(printed).toMatch(/PASS cases-total \[counting\]/);
    expect(printed.split('\n').at(-1)).toBe(resultLine(report));
  });

  it('measures the knowledge layer through the switch: both passes, and the gain', async () => {
    const calls: string[] = [];
    const glossaryQuestions = questions.filter((q) => ['cases-total', 'forms-total', ...SCRIPTED_GLOSSARY].includes(q.id));
    const report = await runEval({ env, questions: glossaryQuestions, knowledge: flagKnowledgeSwitch(knowledge, calls) });
    expect(calls).toEqual(['enable:8', 'disable']);
    expect(report.withKnowledge.results.filter((r) => r.correct).map((r) => r.id)).toEqual(['cases-total', 'anc-visits']);
    expect(report.withoutKnowledge.results.filter((r) => r.correct).map((r) => r.id)).toEqual(['cases-total']);
    expect(resultLine(report)).toMatch(/^RESULT questions=3 correct=2 accuracy=0\.667 accuracy_without_knowledge=0\.333 .* knowledge=measured /);
    expect(formatReport(report)).toContain('## without the knowledge layer');
  });

  it('runs --quick as a command on its own scratch Scout and prints the report ending with the RESULT line', async () => {
    const quickDb = await createTestDatabase();
    const lines: string[] = [];
    try {
      const quickMock = scriptedEvalModel(questions);
      const { code, report } = await runEvalCommand({ model: quickMock.chatModel, logger, quick: true, domain: DOMAIN, databaseUrl: quickDb.url, print: (l) => lines.push(l), printError: () => undefined, progress: false });
      expect(code).toBe(0);
      expect(report!.withKnowledge.results.map((r) => r.id)).toEqual(QUICK_QUESTION_IDS);
      const right = QUICK_QUESTION_IDS.filter((id) => SCRIPTED_RIGHT.includes(id));
      const last = lines.join('\n').split('\n').at(-1)!;
      expect(last.startsWith('RESULT ')).toBe(true);
      expect(resultFields(last)).toMatchObject({ questions: '10', correct: String(right.length), accuracy: (right.length / 10).toFixed(3), accuracy_without_knowledge: (right.length / 10).toFixed(3) });
    } finally {
      await quickDb.drop();
    }
  });

  it('explains how to configure a model when none is, and exits non-zero', async () => {
    const errors: string[] = [];
    expect(await runEvalCommand({ model: undefined, logger, printError: (l) => errors.push(l) })).toEqual({ code: 1 });
    expect(errors.join('\n')).toBe(NO_EVAL_MODEL_HELP);
    const cli = runScout(['eval', '--quick'], { SCOUT_MODEL: undefined, DATABASE_URL: database.url, NODE_ENV: 'development' });
    expect(await cli.exit).toEqual({ code: 1, signal: null });
    expect(cli.stderr()).toContain('SCOUT_MODEL=openai-compatible:llama3.1:8b SCOUT_MODEL_BASE_URL=http://localhost:11434/v1');
    expect(cli.stdout()).not.toContain('RESULT');
  });
});

/** `RESULT a=1 b=2` → { a: '1', b: '2' }. */
function resultFields(line: string): Record<string, string> {
  return Object.fromEntries(line.split(' ').slice(1).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}
