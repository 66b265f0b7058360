import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../src/server/platform/db/embedded-postgres';
import { createLogger } from '../src/server/platform/logger';
import { APP_ROOT, WEB_ROOT } from '../src/server/main';
import { ensureWebBuild } from '../src/server/platform/web-build';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL; each test file creates its own database from it. */
    adminDatabaseUrl: string;
  }
}

/**
 * One PostgreSQL for the whole run: `DATABASE_URL` when set, otherwise an
 * embedded server in a temporary directory. Also builds the web bundle once
 * so that browser tests and `scout start` in tests find it fresh.
 */
export default async function setup(project: TestProject) {
  const logger = createLogger({ level: 'warn' });
  const build = ensureWebBuild({ appRoot: APP_ROOT, outDir: WEB_ROOT }, logger);
  if (process.env.DATABASE_URL) {
    project.provide('adminDatabaseUrl', process.env.DATABASE_URL);
    await build;
    return;
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'scout-test-'));
  // As root the server runs as the postgres user. When it cannot enter this
  // directory (a private TMPDIR) the launcher puts the cluster under
  // /var/lib/scout instead; `database.clusterDir` says where, for clean-up.
  await chmod(dir, 0o755);
  const [database] = await Promise.all([startEmbeddedPostgres({ dataDir: dir, logger, database: 'postgres' }), build]);
  project.provide('adminDatabaseUrl', database.url);
  return async () => {
    await database.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(database.clusterDir, { recursive: true, force: true });
  };
}
