/**
 * npm run bench:eval [-- --quick] [-- --self-test]
 *
 * Answer quality: the golden question set (53 questions; --quick: 10) asked
 * of the model SCOUT_MODEL names, over a freshly synced simulated domain, each
 * answer judged against the simulator generator's own data. Prints each
 * question's verdict, SQL, tool calls, tokens and latency, then the accuracy
 * with and without the knowledge layer, and ends with the RESULT line.
 *
 * --self-test runs the harness with its scripted mock model instead (a few
 * answers right, a few wrong on purpose): a check of the harness, not a
 * measurement of any model.
 */
import { loadConfig } from '../src/server/config';
import { runEvalCommand } from '../src/server/features/eval/command';
import { goldenQuestions } from '../src/server/features/eval/golden';
import { scriptedEvalModel } from '../src/server/features/eval/test-support';
import { createLogger } from '../src/server/platform/logger';

const quick = process.argv.includes('--quick');
const selfTest = process.argv.includes('--self-test');
const config = loadConfig();
const model = selfTest ? scriptedEvalModel(goldenQuestions()).chatModel : config.chat.model;
const { code } = await runEvalCommand({ model, logger: createLogger({ level: 'error' }), quick, maxSteps: config.chat.maxSteps });
process.exit(code);
