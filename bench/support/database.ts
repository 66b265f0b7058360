import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../src/server/platform/db/embedded-postgres';
import type { Logger } from '../../src/server/platform/logger';

export interface BenchDatabase {
  url: string;
  /** A scratch directory removed by `stop` (holds the embedded cluster when one was started). */
  dataDir: string;
  stop(): Promise<void>;
}

/** `DATABASE_URL`, or an embedded PostgreSQL in a scratch directory for this run. */
export async function benchDatabase(name: string, logger: Logger): Promise<BenchDatabase> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `scout-bench-${name}-`));
  // The embedded server runs as the postgres user when Scout runs as root.
  await chmod(dataDir, 0o755);
  const configured = process.env.DATABASE_URL;
  const embedded = configured ? undefined : await startEmbeddedPostgres({ dataDir, logger, database: 'postgres' });
  return {
    url: configured ?? embedded!.url,
    dataDir,
    async stop() {
      await embedded?.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
