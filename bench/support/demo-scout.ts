import type { AppDeps } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import { startScout, type RunningScout } from '../../src/server/main';
import { Lifecycle } from '../../src/server/platform/lifecycle';
import { createLogger } from '../../src/server/platform/logger';
import { findFreePort } from '../../src/server/platform/net';
import { HttpClient } from '../../test/support/scout';
import { benchDatabase } from './database';

export interface DemoScout {
  scout: RunningScout;
  baseUrl: string;
  /** Signed in as the bench user. */
  client: HttpClient;
  userId: string;
  /** The demo domain, connected and synced. */
  membershipId: string;
  /** The bench database, for a baseline with plain pg. */
  databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * Scout in this process (web and worker) on a bench database, with one user
 * whose demo domain (the mounted simulator's 1,000 cases) is synced.
 */
export async function startDemoScout(name: string, env: Record<string, string> = {}, appOverrides: Partial<AppDeps> = {}): Promise<DemoScout> {
  const logger = createLogger({ level: 'warn' });
  const database = await benchDatabase(name, logger);
  const lifecycle = new Lifecycle(logger);
  const stop = async () => {
    await lifecycle.stop();
    await database.stop();
  };
  try {
    const port = await findFreePort();
    const baseUrl = `http://localhost:${port}`;
    const config = loadConfig({ DATABASE_URL: database.url, PORT: String(port), SCOUT_BASE_URL: baseUrl, SCOUT_DATA_DIR: database.dataDir, NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env });
    const scout = await startScout(config, logger, lifecycle, { http: true, worker: true, buildWeb: false, appOverrides });
    const client = new HttpClient(baseUrl);
    await client.post('/api/auth/sign-up/email', { name: 'Bench', email: 'bench@example.org', password: 'bench-pass-123' });
    const { membership_id: membershipId } = (await (await client.post('/api/auth/tenant-credentials/demo/')).json()) as { membership_id: string };
    const userId = ((await (await client.get('/api/me')).json()) as { user: { id: string } }).user.id;
    const { run } = await scout.services.warehouse.start(await scout.services.tenants.get(userId, membershipId), 'full');
    for (;;) {
      const state = (await scout.services.warehouse.runById(run.id))!.state;
      if (state === 'completed') break;
      if (state === 'failed') throw new Error('the demo sync failed');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { scout, baseUrl, client, userId, membershipId, databaseUrl: database.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
