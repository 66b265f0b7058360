import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import pg from 'pg';
import type { Logger } from '../../platform/logger';

/**
 * First key of the workers' session advisory locks (`pg_advisory_lock(NS, worker id)`);
 * any constant that no other code of Scout uses as a first int4 key.
 */
export const WORKER_LOCK_NAMESPACE = 0x5c0a7;
/** How often the presence connection is checked; a failed check counts as having lost it. */
const PING_INTERVAL_MS = 2_000;
const PING_TIMEOUT_MS = 10_000;

/**
 * The presence of one process that executes syncs. It registers a
 * `warehouse_worker` row and holds, on a connection of its own, a session
 * advisory lock keyed by that row's id. PostgreSQL drops the lock the moment
 * that connection ends, which it does at once when the process is killed
 * (kill -9, crash, OOM, a container stop), so other processes can tell, by
 * whether the lock is held, that a run's worker is gone: no heartbeat
 * timeout to wait for, and never a mistake about a worker that is alive.
 *
 * If this process loses that connection while it lives, other processes
 * will (rightly) see its runs as orphaned: `onLost` is called so that they
 * stop here too, and the next `ensure()` registers as a new worker.
 */
export class WorkerPresence {
  /** This process's identity, in `warehouse_worker.instance_id` and the connection's application_name. */
  readonly instanceId = randomUUID();
  private client: pg.Client | undefined;
  private id: number | undefined;
  private registering: Promise<number> | undefined;
  private pinger: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
    private readonly onLost: (reason: string) => void,
  ) {}

  /** The worker id, holding its lock; registers (again) when needed. */
  ensure(): Promise<number> {
    if (this.stopped) return Promise.reject(new Error('this worker is stopping'));
    if (this.id !== undefined) return Promise.resolve(this.id);
    this.registering ??= this.register().finally(() => (this.registering = undefined));
    return this.registering;
  }

  /** The worker id while the presence is held, without connecting. */
  get current(): number | undefined {
    return this.id;
  }

  /** Releases the lock and removes the registration (runs still recorded as this worker's then count as orphaned). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.registering?.catch(() => undefined);
    const { client, id } = this;
    this.drop();
    if (!client) return;
    try {
      if (id !== undefined) await client.query('DELETE FROM warehouse_worker WHERE id = $1', [id]);
    } catch {
      // The lock goes with the connection either way; a leftover row is cleaned up by the next sweep.
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  private async register(): Promise<number> {
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      application_name: `scout-worker ${this.instanceId}`.slice(0, 63),
      // A process's death closes its socket at once; a whole host vanishing does not. These make
      // PostgreSQL probe this idle connection and drop it (and the lock) within about 25 s then.
      options: '-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3',
      keepAlive: true,
    });
    client.on('error', (error) => this.lose(client, `its database connection failed (${error.message})`));
    client.on('end', () => this.lose(client, 'its database connection closed'));
    try {
      await client.connect();
      // The lock is taken inside the INSERT: by the time any other process can see the row, the lock is held.
      const result = await client.query<{ id: number }>(
        `INSERT INTO warehouse_worker (instance_id, host, pid) VALUES ($1, $2, $3)
         RETURNING id, pg_advisory_lock($4, id)::text AS locked`,
        [this.instanceId, hostname(), process.pid, WORKER_LOCK_NAMESPACE],
      );
      if (this.stopped) throw new Error('this worker is stopping');
      this.client = client;
      this.id = result.rows[0]!.id;
      this.pinger = setInterval(() => void this.ping(client), PING_INTERVAL_MS);
      this.pinger.unref();
      this.logger.debug({ workerId: this.id, instanceId: this.instanceId }, 'warehouse worker registered');
      return this.id;
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  private async ping(client: pg.Client): Promise<void> {
    if (client !== this.client) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.query('SELECT 1'),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS / 1000} s`)), PING_TIMEOUT_MS))),
      ]);
    } catch (error) {
      this.lose(client, `its database connection stopped answering (${(error as Error).message})`);
    } finally {
      clearTimeout(timer);
    }
  }

  private lose(client: pg.Client, reason: string): void {
    if (client !== this.client || this.stopped) return;
    const id = this.id;
    this.drop();
    // Make sure the lock is really gone (a connection that stopped answering may still be open).
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    this.logger.warn({ workerId: id, reason }, 'warehouse worker lost its presence; its running syncs stop');
    this.onLost(reason);
  }

  private drop(): void {
    clearInterval(this.pinger);
    this.pinger = undefined;
    this.client = undefined;
    this.id = undefined;
  }
}
