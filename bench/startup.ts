/**
 * npm run bench:startup [-- --quick]
 *
 * Time from `scout start` to /healthz answering ok, on a fresh data directory
 * (first start: initdb, migrations, key check) and on the same directory again
 * (second start). Baseline, measured side by side in the same run: the bare
 * embedded PostgreSQL from the same binaries (initdb + start until it accepts
 * a connection), i.e. the floor Scout cannot go below. The ratio is what
 * Scout adds on top of its database.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../src/server/platform/db/embedded-postgres';
import { createLogger } from '../src/server/platform/logger';
import { findFreePort } from '../src/server/platform/net';
import { runScout, waitForHealthy } from '../test/support/process';

const quick = process.argv.includes('--quick');
const rounds = quick ? 1 : 3;
const logger = createLogger({ level: 'silent' });

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'scout-bench-'));
  await chmod(dir, 0o755);
  return dir;
}

async function scoutStart(dataDir: string): Promise<number> {
  const port = await findFreePort();
  const scout = runScout(['start'], { DATABASE_URL: undefined, SCOUT_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', NODE_ENV: 'development' });
  const started = performance.now();
  await waitForHealthy(`http://localhost:${port}`, scout, 120_000);
  const elapsed = performance.now() - started;
  scout.child.kill('SIGTERM');
  await scout.exit;
  return elapsed;
}

async function bareStart(dataDir: string): Promise<number> {
  const started = performance.now();
  const database = await startEmbeddedPostgres({ dataDir, logger, database: 'postgres' });
  const elapsed = performance.now() - started;
  await database.stop();
  return elapsed;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const results = { scoutFirst: [] as number[], scoutSecond: [] as number[], bareFirst: [] as number[], bareSecond: [] as number[] };

for (let round = 1; round <= rounds; round++) {
  process.stderr.write(`round ${round}/${rounds} `);
  const scoutDir = await tempDir();
  const bareDir = await tempDir();
  try {
    results.bareFirst.push(await bareStart(bareDir));
    results.scoutFirst.push(await scoutStart(scoutDir));
    results.bareSecond.push(await bareStart(bareDir));
    results.scoutSecond.push(await scoutStart(scoutDir));
  } finally {
    await rm(scoutDir, { recursive: true, force: true });
    await rm(bareDir, { recursive: true, force: true });
  }
  process.stderr.write('done\n');
}

const ms = (values: number[]) => Math.round(median(values));
const first = ms(results.scoutFirst);
const second = ms(results.scoutSecond);
const bareFirst = ms(results.bareFirst);
const bareSecond = ms(results.bareSecond);
console.log(`first start  (fresh data dir): scout ${first} ms, bare PostgreSQL ${bareFirst} ms, ratio ${(first / bareFirst).toFixed(2)}`);
console.log(`second start (reused data):    scout ${second} ms, bare PostgreSQL ${bareSecond} ms, ratio ${(second / bareSecond).toFixed(2)}`);
console.log(
  `RESULT rounds=${rounds} first_start_ms=${first} second_start_ms=${second} baseline_first_ms=${bareFirst} baseline_second_ms=${bareSecond} ratio_first=${(first / bareFirst).toFixed(2)} ratio_second=${(second / bareSecond).toFixed(2)}`,
);
