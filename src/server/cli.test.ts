import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { processesMentioning, runScout, waitForHealthy, type ScoutProcess } from '../../test/support/process';
import { HttpClient } from '../../test/support/scout';
import { findFreePort } from './platform/net';

const k1 = `k1:${Buffer.alloc(32, 1).toString('base64')}`;
const k2 = `k2:${Buffer.alloc(32, 2).toString('base64')}`;

async function stop(scout: ScoutProcess, signal: NodeJS.Signals = 'SIGTERM') {
  scout.child.kill(signal);
  return scout.exit;
}

describe('scout start with the embedded database', () => {
  let dataDir: string;
  const embeddedEnv = () => ({ DATABASE_URL: undefined, SCOUT_DATA_DIR: dataDir, NODE_ENV: 'development' });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'scout-cli-'));
    await chmod(dataDir, 0o755);
  });
  afterAll(async () => {
    for (const pid of processesMentioning(dataDir)) process.kill(pid, 'SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts, serves, and on SIGTERM exits 0 leaving no database process', async () => {
    const port = await findFreePort();
    const scout = runScout(['start'], { ...embeddedEnv(), PORT: String(port) });
    await waitForHealthy(`http://localhost:${port}`, scout, 90_000);
    const signUp = await new HttpClient(`http://localhost:${port}`).post('/api/auth/sign-up/email', {
      name: 'Persistent Person',
      email: 'persist@example.org',
      password: 'persist-pass-1',
    });
    expect(signUp.status).toBe(201);
    expect(processesMentioning(dataDir).length).toBeGreaterThan(0);
    expect(await stop(scout)).toEqual({ code: 0, signal: null });
    expect(processesMentioning(dataDir)).toEqual([]);
    // Development secrets were generated once, readable only by their owner.
    for (const file of ['encryption-keys', 'auth-secret', 'postgres-password']) {
      expect((await stat(path.join(dataDir, file))).mode & 0o777).toBe(0o600);
    }
  });

  it('reuses the data on the next start', async () => {
    const port = await findFreePort();
    const scout = runScout(['start'], { ...embeddedEnv(), PORT: String(port) });
    await waitForHealthy(`http://localhost:${port}`, scout);
    const signIn = await new HttpClient(`http://localhost:${port}`).post('/api/auth/sign-in/email', { email: 'persist@example.org', password: 'persist-pass-1' });
    expect(signIn.status).toBe(200);
    expect(await stop(scout, 'SIGINT')).toEqual({ code: 0, signal: null });
    expect(processesMentioning(dataDir)).toEqual([]);
  });

  it('refuses a taken port with one line naming it, exit 1 and no database left running', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const scout = runScout(['start'], { ...embeddedEnv(), PORT: String(port) });
      const { code } = await scout.exit;
      expect(code).toBe(1);
      expect(scout.stderr().trim()).toBe(`Scout cannot start: Port ${port} on 127.0.0.1 is already in use. Stop the program using it, or set PORT to a free port.`);
      expect(processesMentioning(dataDir)).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  it('stops cleanly when SIGTERM arrives during start-up, and the next start works', async () => {
    const port = await findFreePort();
    const scout = runScout(['start'], { ...embeddedEnv(), PORT: String(port) });
    // Wait until the database is being started, then interrupt.
    for (let i = 0; i < 200 && processesMentioning(dataDir).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect((await stop(scout)).code).toBe(0);
    expect(processesMentioning(dataDir)).toEqual([]);

    const again = runScout(['start'], { ...embeddedEnv(), PORT: String(port) });
    await waitForHealthy(`http://localhost:${port}`, again);
    expect((await stop(again)).code).toBe(0);
  });

  it('recovers from being killed outright: the orphaned database is stopped on the next start', async () => {
    const port = await findFreePort();
    const scout = runScout(['start'], { ...embeddedEnv(), PORT: String(port) });
    await waitForHealthy(`http://localhost:${port}`, scout);
    await stop(scout, 'SIGKILL');
    expect(processesMentioning(path.join(dataDir, 'postgres')).length).toBeGreaterThan(0);

    const next = runScout(['start'], { ...embeddedEnv(), PORT: String(port) });
    await waitForHealthy(`http://localhost:${port}`, next);
    const signIn = await new HttpClient(`http://localhost:${port}`).post('/api/auth/sign-in/email', { email: 'persist@example.org', password: 'persist-pass-1' });
    expect(signIn.status).toBe(200);
    expect((await stop(next)).code).toBe(0);
    expect(processesMentioning(dataDir)).toEqual([]);
  });
});

describe('scout commands against DATABASE_URL', () => {
  let database: TestDatabase;
  let dataDir: string;
  const env = () => ({ DATABASE_URL: database.url, SCOUT_DATA_DIR: dataDir });

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(tmpdir(), 'scout-cli-url-'));
  });
  afterAll(async () => {
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints one line per bad variable and exits 1', async () => {
    const scout = runScout(['start'], { ...env(), PORT: 'abc', NODE_ENV: 'staging' });
    expect((await scout.exit).code).toBe(1);
    const lines = scout.stderr().trim().split('\n');
    expect(lines[0]).toMatch(/^Scout cannot start: fix these environment variables/);
    expect(lines.slice(1).map((l) => l.trim().split(':')[0]).sort()).toEqual(['NODE_ENV', 'PORT']);
  });

  it('migrate applies the schema once and is then a no-op', async () => {
    const first = runScout(['migrate'], env());
    expect((await first.exit).code).toBe(0);
    expect(first.stdout()).toContain('Applied: ');
    expect(first.stdout()).toContain('create user');
    expect(first.stdout()).toContain('0001_encryption_key_check');
    const second = runScout(['migrate'], env());
    expect((await second.exit).code).toBe(0);
    expect(second.stdout().trim().split('\n').at(-1)).toBe('Database is up to date.');
  });

  it('seed loads the connector catalog and is idempotent', async () => {
    const first = runScout(['seed'], env());
    expect((await first.exit).code).toBe(0);
    const second = runScout(['seed'], env());
    expect((await second.exit).code).toBe(0);
    expect(second.stdout().trim().split('\n').at(-1)).toBe('Connector catalog: 0 added, 0 updated, 4 unchanged.');
  });

  it('keys rotate moves secrets to the new first key, after which the old key can go', { timeout: 90_000 }, async () => {
    const port = String(await findFreePort());
    const first = runScout(['start'], { ...env(), PORT: port, SCOUT_ENCRYPTION_KEYS: k1 });
    await waitForHealthy(`http://localhost:${port}`, first);
    expect((await stop(first)).code).toBe(0);

    const rotate = runScout(['keys', 'rotate'], { ...env(), SCOUT_ENCRYPTION_KEYS: `${k2},${k1}` });
    expect((await rotate.exit).code).toBe(0);
    expect(rotate.stdout()).toContain('encryption_key_check.ciphertext: 1 re-encrypted');
    expect(rotate.stdout()).toContain('Re-encrypted 1 secret(s) to key "k2".');
    expect(rotate.stdout() + rotate.stderr()).not.toContain(Buffer.alloc(32, 1).toString('base64'));

    const withOldOnly = runScout(['start'], { ...env(), PORT: port, SCOUT_ENCRYPTION_KEYS: k1 });
    expect((await withOldOnly.exit).code).toBe(1);
    expect(withOldOnly.stderr()).toMatch(/cannot decrypt this installation's secrets \(they use key "k2"/);

    const withNewOnly = runScout(['start'], { ...env(), PORT: port, SCOUT_ENCRYPTION_KEYS: k2 });
    await waitForHealthy(`http://localhost:${port}`, withNewOnly);
    expect((await stop(withNewOnly)).code).toBe(0);
  });
  it('sync copies a connected domain with a progress bar, and schemas lists it', { timeout: 90_000 }, async () => {
    const port = String(await findFreePort());
    const scout = runScout(['start'], { ...env(), PORT: port, SCOUT_ENCRYPTION_KEYS: k2 });
    await waitForHealthy(`http://localhost:${port}`, scout);
    const client = new HttpClient(`http://localhost:${port}`);
    await client.post('/api/auth/sign-up/email', { name: 'Syncer', email: 'syncer@example.org', password: 'syncer-pass-1' });
    expect((await client.post('/api/auth/tenant-credentials/demo/')).status).toBe(201);
    expect((await stop(scout)).code).toBe(0);

    const sync = runScout(['sync', 'demo-clinic', '--full'], { ...env(), SCOUT_ENCRYPTION_KEYS: k2 });
    expect((await sync.exit).code, sync.stderr() + sync.stdout()).toBe(0);
    expect(sync.stdout()).toMatch(/Synced demo-clinic \(full\) in [\d.]+ s: cases 1000, forms 2000, /);
    expect(sync.stdout()).toMatch(/, case_relationships \d+; \d+ views\./);
    expect(sync.stderr()).toMatch(/cases +100% \(1000\/1000\)/);

    const schemas = runScout(['schemas'], { ...env(), SCOUT_ENCRYPTION_KEYS: k2 });
    expect((await schemas.exit).code).toBe(0);
    expect(schemas.stdout()).toMatch(/t_demo_clinic_[0-9a-f]{10} +active +demo-clinic/);

    const unknown = runScout(['sync', 'nowhere'], { ...env(), SCOUT_ENCRYPTION_KEYS: k2 });
    expect((await unknown.exit).code).toBe(1);
    expect(unknown.stderr()).toMatch(/No member of Scout has connected the domain "nowhere"/);
  });

});
