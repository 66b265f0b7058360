import PgBoss from 'pg-boss';
import type { Logger } from '../logger';

/**
 * Background jobs on the app database (pg-boss): no extra server, and any
 * number of `scout worker` processes share the queue. Features register
 * their handlers on the returned instance.
 */
export async function startJobQueue(databaseUrl: string, logger: Logger): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: databaseUrl, schema: 'pgboss', max: 4, application_name: 'scout-worker' });
  boss.on('error', (error) => logger.error({ err: { message: error.message } }, 'job queue error'));
  await boss.start();
  return boss;
}

export async function stopJobQueue(boss: PgBoss): Promise<void> {
  await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
}
