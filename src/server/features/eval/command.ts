import { writeFile } from 'node:fs/promises';
import type { ChatModelConfig } from '../../config';
import type { Logger } from '../../platform/logger';
import { progressBar } from '../../platform/progress-bar';
import { createChatModel, type ChatModel } from '../chat/model';
import { startEvalEnvironment } from './environment';
import { EVAL_DOMAIN, goldenQuestions, selectQuestions, type EvalDomain } from './golden';
import { GLOSSARY_SWITCH } from './glossary-switch';
import { formatReport, runEval, type EvalReport, type KnowledgeSwitch } from './runner';

/** What `scout eval` and `npm run bench:eval` print when no model is configured. */
export const NO_EVAL_MODEL_HELP = [
  'scout eval measures the chat agent against a language model, and none is configured.',
  'Set SCOUT_MODEL and its key, then run it again:',
  '  local (Ollama):  SCOUT_MODEL=openai-compatible:llama3.1:8b SCOUT_MODEL_BASE_URL=http://localhost:11434/v1 scout eval',
  '  hosted:          SCOUT_MODEL=anthropic:claude-sonnet-4-5 ANTHROPIC_API_KEY=… scout eval',
  '                   SCOUT_MODEL=openai:gpt-4.1 OPENAI_API_KEY=… scout eval',
  'vLLM and LM Studio work like Ollama (openai-compatible:<model> with SCOUT_MODEL_BASE_URL, SCOUT_MODEL_API_KEY if they need one).',
].join('\n');

export interface EvalCommandOptions {
  /** SCOUT_MODEL's configuration (undefined: none), or a model built already (the harness's own tests). */
  model: ChatModelConfig | ChatModel | undefined;
  logger: Logger;
  quick?: boolean;
  /** Writes the whole report as JSON here. */
  json?: string;
  /** An empty database to use instead of a scratch embedded one. */
  databaseUrl?: string;
  domain?: EvalDomain;
  knowledge?: KnowledgeSwitch;
  maxSteps?: number;
  /** Where the report goes (stdout); progress goes to stderr. */
  print?: (line: string) => void;
  printError?: (line: string) => void;
  /** Draws the progress bar on stderr (default true). */
  progress?: boolean;
}

/** Runs the golden set and prints the report, ending with the RESULT line. Returns the exit code. */
export async function runEvalCommand(options: EvalCommandOptions): Promise<{ code: number; report?: EvalReport }> {
  const print = options.print ?? ((line: string) => console.log(line));
  const printError = options.printError ?? ((line: string) => console.error(line));
  if (!options.model) {
    printError(NO_EVAL_MODEL_HELP);
    return { code: 1 };
  }
  const model = 'provider' in options.model ? createChatModel(options.model) : options.model;
  const domain = options.domain ?? EVAL_DOMAIN;
  const questions = selectQuestions(goldenQuestions(domain), options.quick ?? false);
  printError(`Syncing the simulated domain ${domain.domain} (${domain.cases} cases, seed ${domain.seed}) into a scratch Scout…`);
  const env = await startEvalEnvironment({
    model,
    domain,
    logger: options.logger,
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    ...(options.maxSteps ? { maxSteps: options.maxSteps } : {}),
  });
  try {
    const bar = options.progress === false ? undefined : progressBar('questions'.padEnd(12));
    const report = await runEval({ env, questions, knowledge: options.knowledge ?? GLOSSARY_SWITCH, onProgress: (done, total) => bar?.update(done, total) });
    bar?.done();
    if (options.json) await writeFile(options.json, `${JSON.stringify(report, null, 2)}\n`);
    print(formatReport(report));
    return { code: 0, report };
  } finally {
    await env.stop();
  }
}
