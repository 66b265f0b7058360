import { Command } from 'commander';
import type { Kysely } from 'kysely';
import { ConfigError, loadConfig, type Config } from './config';
import { rotateSecrets } from './platform/crypto/encrypted-columns';
import { loadKeyRing } from './platform/crypto/load-key-ring';
import { Lifecycle, StartupError } from './platform/lifecycle';
import { createLogger, type Logger } from './platform/logger';
import { progressBar } from './platform/progress-bar';
import { simulateCommand } from '../../simulator/command';
import { prepareDatabase, startScout } from './main';

/**
 * `scout <command>`. Long-running commands stop cleanly on SIGINT/SIGTERM;
 * expected failures print one line and exit 1.
 */
const program = new Command('scout').description('Scout: ask questions of your CommCare data').showHelpAfterError();

program
  .command('start')
  .description('run the web server and the background worker in one process')
  .option('--no-worker', 'serve the web app and API only; syncs run in `scout worker` processes')
  .action((options: { worker: boolean }) => runService({ http: true, worker: options.worker }));

program
  .command('worker')
  .description('run only the background worker (scale out with more of these)')
  .action(() => runService({ http: false, worker: true }));

program
  .command('migrate')
  .description('bring the database schema up to date (start does this too)')
  .action(() =>
    runTask(async (config, logger, lifecycle) => {
      const { summary } = await prepareDatabase(config, logger, lifecycle);
      const applied = [...summary.auth, ...summary.scout];
      console.log(applied.length === 0 ? 'Database is up to date.' : `Applied: ${applied.join(', ')}`);
    }),
  );

program
  .command('seed')
  .description('bring the connector catalog up to date from catalog.json (start does this too)')
  .action(() =>
    runTask(async (config, logger, lifecycle) => {
      const { catalog } = await prepareDatabase(config, logger, lifecycle);
      console.log(`Connector catalog: ${catalog.inserted.length} added, ${catalog.updated.length} updated, ${catalog.unchanged.length} unchanged.`);
    }),
  );

const keys = program.command('keys').description('manage the encryption key ring');
keys
  .command('rotate')
  .description('re-encrypt every stored secret with the first key of SCOUT_ENCRYPTION_KEYS')
  .action(() =>
    runTask(async (config, logger, lifecycle) => {
      const keyRing = await loadKeyRing(config);
      const { handle } = await prepareDatabase(config, logger, lifecycle);
      const report = await rotateSecrets(handle.db as Kysely<unknown>, keyRing, undefined, (done, column) => {
        if (process.stderr.isTTY) process.stderr.write(`\r${column.table}.${column.column}: ${done} re-encrypted`);
      });
      if (process.stderr.isTTY) process.stderr.write('\n');
      for (const c of report.columns) console.log(`${c.table}.${c.column}: ${c.reencrypted} re-encrypted, ${c.alreadyCurrent} already on key "${report.keyId}"`);
      console.log(`Re-encrypted ${report.reencrypted} secret(s) to key "${report.keyId}".`);
    }),
  );

program
  .command('sync <domain>')
  .description("copy a domain's CommCare data into its warehouse schema (incremental unless --full)")
  .option('--full', 'reload everything instead of fetching what changed')
  .option('--server <url>', 'the CommCare server, when the domain name exists on several')
  .action((domain: string, flags: { full?: boolean; server?: string }) =>
    runTask(async (config, logger, lifecycle) => {
      const scout = await startScout(config, logger, lifecycle, { http: false, worker: false });
      const bars = new Map<string, ReturnType<typeof progressBar>>();
      const run = await scout.services.warehouse.syncNow(domain, {
        mode: flags.full ? 'full' : 'incremental',
        ...(flags.server ? { hqBaseUrl: flags.server } : {}),
        onProgress: (sources) => {
          for (const [source, progress] of Object.entries(sources)) {
            const bar = bars.get(source) ?? progressBar(source.padEnd(12));
            bars.set(source, bar);
            bar.update(progress.rows_loaded, progress.rows_total ?? undefined);
          }
        },
      });
      for (const bar of bars.values()) bar.done();
      if (run.state !== 'completed') {
        console.error(`Sync ${run.state}: ${run.error ?? ''}`);
        await lifecycle.stop();
        process.exit(1);
      }
      const result = run.result as { tables: Array<{ name: string; rows: number }>; views: string[]; duration_ms: number };
      console.log(`Synced ${domain} (${run.mode}) in ${(result.duration_ms / 1000).toFixed(1)} s: ${result.tables.map((t) => `${t.name} ${t.rows}`).join(', ')}; ${result.views.length} views.`);
    }),
  );

program
  .command('schemas')
  .description('list tenant warehouse schemas and their states')
  .action(() =>
    runTask(async (config, logger, lifecycle) => {
      const scout = await startScout(config, logger, lifecycle, { http: false, worker: false });
      const schemas = await scout.services.warehouse.listSchemas();
      if (schemas.length === 0) console.log('No warehouse schemas yet.');
      for (const s of schemas) {
        console.log(`${s.schema_name}  ${s.state.padEnd(13)} ${s.domain} (${s.hq_base_url})  last sync ${s.last_sync_at?.toISOString() ?? 'never'}  last used ${s.last_accessed_at.toISOString()}`);
      }
    }),
  );

program
  .command('eval')
  .description('measure answer quality: ask the golden questions of SCOUT_MODEL over a freshly synced simulated domain')
  .option('--quick', 'ask 10 questions, a few of each kind')
  .option('--json <file>', 'also write the whole report as JSON')
  .option('--database-url <url>', 'an empty PostgreSQL database to use instead of a scratch embedded one')
  .action((flags: { quick?: boolean; json?: string; databaseUrl?: string }) =>
    runTask(async (config, logger, lifecycle) => {
      // Loaded only here: the harness brings the simulator and a scratch database that `scout start` never needs.
      const { runEvalCommand } = await import('./features/eval/command');
      const { code } = await runEvalCommand({ model: config.chat.model, logger: logger.child({}, { level: 'error' }), maxSteps: config.chat.maxSteps, ...flags });
      if (code !== 0) {
        await lifecycle.stop();
        process.exit(code);
      }
    }),
  );

program.addCommand(simulateCommand());

await program.parseAsync(process.argv);

function setUp(): { config: Config; logger: Logger; lifecycle: Lifecycle } {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error('Scout cannot start: fix these environment variables (see README.md, "Configuration"):');
      for (const problem of error.problems) console.error(`  ${problem}`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, pretty: process.stdout.isTTY && !config.isProduction });
  return { config, logger, lifecycle: new Lifecycle(logger) };
}

async function runService(options: { http: boolean; worker: boolean }): Promise<void> {
  const { config, logger, lifecycle } = setUp();
  let starting: Promise<unknown> = Promise.resolve();
  const shutdown = async (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down');
    lifecycle.abort();
    await starting.catch(() => undefined);
    await lifecycle.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  starting = startScout(config, logger, lifecycle, options);
  try {
    await starting;
  } catch (error) {
    if (lifecycle.signal.aborted) return; // a signal interrupted start-up; shutdown() finishes the job
    await fail(error, logger, lifecycle);
  }
}

async function runTask(task: (config: Config, logger: Logger, lifecycle: Lifecycle) => Promise<void>): Promise<void> {
  const { config, logger, lifecycle } = setUp();
  const interrupt = () => void lifecycle.stop().then(() => process.exit(130));
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    await task(config, logger, lifecycle);
    await lifecycle.stop();
    process.exit(0);
  } catch (error) {
    await fail(error, logger, lifecycle);
  }
}

async function fail(error: unknown, logger: Logger, lifecycle: Lifecycle): Promise<never> {
  await lifecycle.stop();
  const expected = error instanceof StartupError || (error instanceof Error && /^(EmbeddedPostgres|KeyRing|KeyRingMismatch)Error$|^RunFailure$/.test(error.name));
  if (expected) {
    console.error(`Scout cannot start: ${(error as Error).message}`);
  } else {
    logger.fatal({ err: { message: (error as Error)?.message, stack: (error as Error)?.stack } }, 'start-up failed');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  process.exit(1);
}
