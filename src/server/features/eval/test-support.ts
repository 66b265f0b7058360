import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { ScriptedMockModel, toolResultsIn, type MockTurn } from '../chat/test-support';
import type { GoldenQuestion } from './golden';
import type { KnowledgeSwitch } from './runner';

/**
 * The harness's scripted analyst: the AI SDK's mock model answering a few
 * golden questions right (with real SQL over the synced warehouse, stating
 * what the query returned), a few wrong on purpose, and the rest not at all.
 * It measures the harness, never a model.
 */

/** Answered right: the SQL is correct and the answer states what it returned (or shows the table). */
const RIGHT: Record<string, { sql: string; say: (rows: unknown[][]) => string }> = {
  'cases-total': { sql: 'SELECT count(*)::int AS n FROM cases', say: (rows) => `There are **${String(rows[0]![0])}** cases in total.` },
  'households-total': { sql: "SELECT count(*)::int AS n FROM cases WHERE case_type = 'household'", say: (rows) => `There are **${String(rows[0]![0])}** household cases.` },
  'households-borehole': {
    sql: "SELECT count(*)::int AS n FROM cases WHERE case_type = 'household' AND properties->>'water_source' = 'borehole'",
    say: (rows) => `**${String(rows[0]![0])}** households use a borehole.`,
  },
  'households-per-village': {
    sql: "SELECT properties->>'village' AS village, count(*)::int AS households FROM cases WHERE case_type = 'household' GROUP BY 1 ORDER BY 2 DESC",
    say: () => 'Here are the households per village; the table shows each count.',
  },
};

/** Answered wrong on purpose: a plausible mistake in the SQL, or a number made up without a query. */
const WRONG: Record<string, { sql?: string; say: (rows: unknown[][]) => string }> = {
  // Counts the closed ones instead of the open ones.
  'households-open': { sql: "SELECT count(*)::int AS n FROM cases WHERE case_type = 'household' AND closed", say: (rows) => `**${String(rows[0]![0])}** household cases are open.` },
  'forms-total': { say: () => 'There are **5** forms.' },
};

/** Needs the glossary: right only while `knowledge.enabled` (a stand-in knowledge layer for the switch's own test). */
const NEEDS_GLOSSARY: Record<string, { withGlossary: string; without: string; say: (rows: unknown[][]) => string }> = {
  'anc-visits': {
    withGlossary: "SELECT count(*)::int AS n FROM cases WHERE case_type = 'visit' AND properties->>'visit_type' = 'anc'",
    // Without the definition, every visit is taken for an ANC visit.
    without: "SELECT count(*)::int AS n FROM cases WHERE case_type = 'visit'",
    say: (rows) => `**${String(rows[0]![0])}** ANC visits were recorded.`,
  },
};

export const SCRIPTED_RIGHT = Object.keys(RIGHT);
export const SCRIPTED_WRONG = Object.keys(WRONG);
export const SCRIPTED_GLOSSARY = Object.keys(NEEDS_GLOSSARY);

function lastUserText(options: LanguageModelV3CallOptions): string {
  const message = [...options.prompt].reverse().find((m) => m.role === 'user');
  if (!message || message.role !== 'user') return '';
  return message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** A mock model scripted for `questions`; `knowledge.enabled` says whether the stand-in glossary is on. */
export function scriptedEvalModel(questions: GoldenQuestion[], knowledge: { enabled: boolean } = { enabled: false }): ScriptedMockModel {
  const mock = new ScriptedMockModel();
  const idOf = new Map(questions.map((q) => [q.question, q.id]));
  mock.script = (options): MockTurn => {
    const id = idOf.get(lastUserText(options)) ?? '';
    const results = toolResultsIn(options.prompt);
    const rows = () => ((results.at(-1)?.envelope as { data?: { rows?: unknown[][] } } | undefined)?.data?.rows ?? [[]]) as unknown[][];
    const glossary = NEEDS_GLOSSARY[id];
    const plan = RIGHT[id] ?? WRONG[id] ?? (glossary ? { sql: knowledge.enabled ? glossary.withGlossary : glossary.without, say: glossary.say } : undefined);
    if (!plan) return { text: 'I cannot answer that from this data.' };
    if (plan.sql && results.length === 0) return { toolCalls: [{ name: 'query', args: { sql: plan.sql } }] };
    return { text: plan.say(rows()) };
  };
  return mock;
}

/** A stand-in knowledge layer for testing the switch: flips the flag the scripted model reads. */
export function flagKnowledgeSwitch(flag: { enabled: boolean }, calls: string[] = []): KnowledgeSwitch {
  return {
    available: true,
    description: 'knowledge layer: scripted stand-in (harness self-test)',
    enable: async (ctx) => {
      calls.push(`enable:${ctx.glossary.length}`);
      flag.enabled = true;
    },
    disable: async () => {
      calls.push('disable');
      flag.enabled = false;
    },
  };
}
