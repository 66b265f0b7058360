import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, silentLogger as logger, testAuthOptions, type TestDatabase } from '../../../../test/support/database';
import { openDatabase, type DatabaseHandle } from './database';
import { migrateToLatest } from './migrate';
import { migrations } from './migrations';

let database: TestDatabase;
let handles: DatabaseHandle[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  // Two pools behave like two Scout processes starting at the same moment.
  handles = [openDatabase(database.url, logger), openDatabase(database.url, logger)];
});
afterAll(async () => {
  await Promise.all(handles.map((h) => h.close()));
  await database?.drop();
});

const optionsFor = testAuthOptions;

async function tables(handle: DatabaseHandle): Promise<string[]> {
  const result = await handle.pool.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);
  return result.rows.map((r) => r.table_name as string);
}

describe('migrateToLatest', () => {
  it('creates better-auth and Scout tables, concurrently and idempotently', async () => {
    const [a, b] = handles as [DatabaseHandle, DatabaseHandle];
    const [first, second] = await Promise.all([
      migrateToLatest(a.db as Kysely<unknown>, optionsFor(a), logger),
      migrateToLatest(b.db as Kysely<unknown>, optionsFor(b), logger),
    ]);
    // Exactly one of the two did the work; the other found nothing to do.
    expect([first.scout.length, second.scout.length].sort()).toEqual([0, Object.keys(migrations).length]);
    expect([first.auth.length > 0, second.auth.length > 0].sort()).toEqual([false, true]);
    expect(await tables(a)).toEqual(
      expect.arrayContaining(['user', 'session', 'account', 'verification', 'rateLimit', 'encryption_key_check', 'scout_migration']),
    );

    const again = await migrateToLatest(a.db as Kysely<unknown>, optionsFor(a), logger);
    expect(again).toEqual({ scout: [], auth: [] });
  });
});
