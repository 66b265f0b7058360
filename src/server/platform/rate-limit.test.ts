import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, migrateTestDatabase, silentLogger as logger, type TestDatabase } from '../../../test/support/database';
import { openDatabase, type DatabaseHandle } from './db/database';
import { RateLimit } from './rate-limit';

let database: TestDatabase;
let processes: DatabaseHandle[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  // Two pools stand for two Scout processes on one database.
  processes = [openDatabase(database.url, logger), openDatabase(database.url, logger)];
  await migrateTestDatabase(processes[0]!);
});
afterAll(async () => {
  await Promise.all(processes.map((p) => p.close()));
  await database?.drop();
});

describe('rate limits in PostgreSQL', () => {
  it('allows the limit in a window across processes, then says how long to wait, per key and per limit', async () => {
    const [a, b] = processes.map((p) => new RateLimit(p.db, 'test', 3, 2)) as [RateLimit, RateLimit];
    expect([await a.take('user-1'), await b.take('user-1'), await a.take('user-1')]).toEqual([0, 0, 0]);
    const wait = await b.take('user-1');
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(2);
    expect(await a.take('user-2')).toBe(0);
    expect(await new RateLimit(processes[1]!.db, 'other', 1, 2).take('user-1')).toBe(0);
    // Refused calls are not counted: once the window has passed, the key gets its full limit again.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect([await b.take('user-1'), await a.take('user-1'), await b.take('user-1'), await a.take('user-1')].map((w) => w === 0)).toEqual([true, true, true, false]);
  });

  it('counts exactly under concurrency (of 50 calls at once on two processes, 20 get through), and refills as it says', async () => {
    const limits = processes.map((p) => new RateLimit(p.db, 'burst', 20, 60));
    const waits = await Promise.all(Array.from({ length: 50 }, (_, i) => limits[i % 2]!.take('busy-user')));
    expect(waits.filter((w) => w === 0)).toHaveLength(20);
    // A caller told to wait gets in once the wait is over: one call's worth of the window (3 s here) regained.
    const limit = new RateLimit(processes[0]!.db, 'refill', 2, 6);
    expect([await limit.take('k'), await limit.take('k')]).toEqual([0, 0]);
    const wait = await limit.take('k');
    expect(wait).toBeGreaterThanOrEqual(2);
    expect(wait).toBeLessThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 100));
    expect([await limit.take('k'), await limit.take('k')].map((w) => w === 0)).toEqual([true, false]);
  });
});
