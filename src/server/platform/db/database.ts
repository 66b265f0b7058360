import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from '../logger';
import type { Database } from './schema';

export interface DatabaseHandle {
  pool: pg.Pool;
  db: Kysely<Database>;
  close(): Promise<void>;
}

export function openDatabase(url: string, logger: Logger, options: { max?: number; applicationName?: string; utc?: boolean } = {}): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'scout',
    // CommCare's naive timestamps are UTC; sessions that load them must read them as such.
    ...(options.utc ? { options: '-c TimeZone=UTC' } : {}),
  });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', (error) => logger.warn({ err: { message: error.message } }, 'idle database connection failed'));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let closed: Promise<void> | undefined;
  return {
    pool,
    db,
    close: () => (closed ??= db.destroy()),
  };
}

/** True when the database answers a trivial query within `timeoutMs`. */
export async function pingDatabase(pool: pg.Pool, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
    });
    await Promise.race([pool.query('SELECT 1'), timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
