import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { inject } from 'vitest';
import { authOptions } from '../../src/server/platform/auth/auth';
import type { DatabaseHandle } from '../../src/server/platform/db/database';
import { migrateToLatest } from '../../src/server/platform/db/migrate';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new, empty database on the run's PostgreSQL: test files never share state. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const admin = new URL(inject('adminDatabaseUrl'));
  const name = `scout_test_${randomBytes(5).toString('hex')}`;
  await withAdmin(admin, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin(admin, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

async function withAdmin<T>(url: URL, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** For code under test that must be given a logger, when its lines don't matter. */
export const silentLogger = pino({ level: 'silent' });

/** better-auth's options for a test database (its tables are part of the migrations). */
export function testAuthOptions(handle: DatabaseHandle) {
  return authOptions({ pool: handle.pool, secret: 's'.repeat(40), baseUrl: 'http://localhost', trustedOrigins: [], secureCookies: false, logger: silentLogger });
}

/** Applies Scout's schema to a test database, as `scout migrate` does. */
export async function migrateTestDatabase(handle: DatabaseHandle): Promise<void> {
  await migrateToLatest(handle.db as Kysely<unknown>, testAuthOptions(handle), silentLogger);
}
